import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { ListClustersCommand } from "@aws-sdk/client-ecs";
import { DescribeScalableTargetsCommand } from "@aws-sdk/client-application-auto-scaling";
import { startSim, type SimHarness } from "../support/sim.js";

/**
 * The service a call is for comes from its SigV4 credential scope, as AWS's endpoints are per service: a query call
 * to IAM is IAM's, not ELBv2's, and every call is counted in /_sim/calls whether or not the simulator serves it.
 */
type Counts = { total: number; byOperation: Record<string, Record<string, number>> };

const authorization = (service: string, region = "us-east-1") =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;

describe("requests routed by their signature", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.control("DELETE", "calls");
  });

  const query = (service: string | undefined, body: string) =>
    fetch(h.url, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", ...(service && { authorization: authorization(service) }) },
    });
  const json = (service: string | undefined, target: string, body = "{}") =>
    fetch(h.url, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target, ...(service && { authorization: authorization(service) }) },
    });
  const calls = async () => (await h.control("GET", "calls")) as Counts;

  it("names a query call to IAM, STS or CloudFormation by its own service, in that API's XML namespace, and counts it", async () => {
    const iam = await query("iam", "Action=GetRole&Version=2010-05-08&RoleName=x");
    expect(iam.status).toBe(400);
    const text = await iam.text();
    expect(text).toContain(`<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">`);
    expect(text).toContain("<Code>InvalidAction</Code><Message>The simulator does not implement iam:GetRole.</Message>");
    expect(text).not.toContain("elbv2");
    expect((await query("sts", "Action=GetCallerIdentity&Version=2011-06-15")).status).toBe(400);
    expect((await query("cloudformation", "Action=ListStacks&Version=2010-05-15")).status).toBe(400);
    expect(await calls()).toEqual({
      total: 3,
      byOperation: { "iam:GetRole": { error: 1 }, "sts:GetCallerIdentity": { error: 1 }, "cloudformation:ListStacks": { error: 1 } },
    });
  });

  it("counts a JSON call to a service the simulator lacks, answered UnknownOperationException", async () => {
    const logs = await json("logs", "Logs_20140328.DescribeLogGroups");
    expect(logs.status).toBe(400);
    expect(logs.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    expect(await logs.json()).toEqual({ __type: "UnknownOperationException", message: "The simulator does not implement logs:DescribeLogGroups." });
    // Unsigned, the target prefix is all there is to name it by.
    expect((await json(undefined, "Logs_20140328.DescribeLogGroups")).status).toBe(400);
    expect((await calls()).byOperation).toEqual({ "logs:DescribeLogGroups": { error: 1 }, "Logs_20140328:DescribeLogGroups": { error: 1 } });
  });

  it("still serves ELBv2 signed as elasticloadbalancing, tells classic ELB (Version 2012-06-01) apart, and serves unsigned ELBv2 calls as before", async () => {
    const v2 = await query("elasticloadbalancing", "Action=DescribeLoadBalancers&Version=2015-12-01");
    expect(v2.status).toBe(200);
    const classic = await query("elasticloadbalancing", "Action=DescribeLoadBalancers&Version=2012-06-01");
    expect(classic.status).toBe(400);
    expect(await classic.text()).toContain("The simulator does not implement elb:DescribeLoadBalancers.");
    expect((await query(undefined, "Action=DescribeTargetGroups&Version=2015-12-01")).status).toBe(200);
    expect((await calls()).byOperation).toEqual({
      "elbv2:DescribeLoadBalancers": { ok: 1 },
      "elb:DescribeLoadBalancers": { error: 1 },
      "elbv2:DescribeTargetGroups": { ok: 1 },
    });
  });

  it("refuses a target of another service than the one signed for, and counts a REST call by method and path", async () => {
    const crossed = await json("ecs", "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories");
    expect(crossed.status).toBe(400);
    expect(((await crossed.json()) as { message: string }).message).toBe("The simulator does not implement ecs:DescribeRepositories.");
    const s3 = await fetch(`${h.url}/my-bucket?list-type=2`, { headers: { authorization: authorization("s3") } });
    expect(s3.status).toBe(400);
    expect((await calls()).byOperation).toEqual({ "ecs:DescribeRepositories": { error: 1 }, "s3:GET /my-bucket": { error: 1 } });
  });

  it("counts calls it cannot read: bad JSON, and a query call with no Action", async () => {
    const bad = await json("ecs", "AmazonEC2ContainerServiceV20141113.ListClusters", "{");
    expect(bad.headers.get("x-amzn-errortype")).toBe("SerializationException");
    const noAction = await query("elasticloadbalancing", "Version=2015-12-01");
    expect(await noAction.text()).toContain("<Code>MissingAction</Code>");
    expect((await calls()).byOperation).toEqual({ "ecs:ListClusters": { error: 1 }, "elbv2:POST /": { error: 1 } });
  });

  it("takes the region from the same credential scope", async () => {
    await fetch(h.url, {
      method: "POST",
      body: JSON.stringify({ clusterName: "scoped" }),
      headers: { "x-amz-target": "AmazonEC2ContainerServiceV20141113.CreateCluster", "content-type": "application/x-amz-json-1.1", authorization: authorization("ecs", "eu-west-1") },
    });
    expect(h.sim.ecs.regions.get("eu-west-1").clusters.has("scoped")).toBe(true);
    expect(h.sim.ecs.regions.get("us-east-1").clusters.has("scoped")).toBe(false);
  });

  it("answers the SDK's own clients as before, Application Auto Scaling included", async () => {
    await h.clients.ecs.send(new ListClustersCommand({}));
    await h.clients.autoscaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs" }));
    expect((await calls()).byOperation).toEqual({ "ecs:ListClusters": { ok: 1 }, "application-autoscaling:DescribeScalableTargets": { ok: 1 } });
  });
});

/**
 * The AWS CLI's own library, botocore (in .venv/, scripts/ensure-python-tools.sh), signing real requests for the
 * calls issue 19 tried with the CLI. Skipped without it.
 */
const python = ".venv/bin/python";
const hasBotocore = existsSync(python) && existsSync(".venv/lib");

const botocoreScript = `
import json, sys, botocore.session
from botocore.exceptions import ClientError
s = botocore.session.get_session()
s.set_credentials("AKIDEXAMPLE", "secretsecretsecret")
url = sys.argv[1]
def client(service):
    return s.create_client(service, region_name="us-east-1", endpoint_url=url)
def call(service, op, **kw):
    try:
        getattr(client(service), op)(**kw)
        return "ok"
    except ClientError as e:
        return e.response["Error"]["Code"]
policy = client("elbv2").describe_ssl_policies(Names=["ELBSecurityPolicy-2016-08"])["SslPolicies"][0]
login = client("ecr").get_authorization_token()["authorizationData"][0]
print(json.dumps({
    "iam": call("iam", "get_role", RoleName="x"),
    "sts": call("sts", "get_caller_identity"),
    "cloudformation": call("cloudformation", "list_stacks"),
    "logs": call("logs", "describe_log_groups"),
    "autoscaling": call("application-autoscaling", "describe_scalable_targets", ServiceNamespace="ecs"),
    "ecs": call("ecs", "list_clusters"),
    "ecrLogin": call("ecr", "get_authorization_token"),
    "accountSettings": call("ecs", "list_account_settings", effectiveSettings=True),
    "sslPolicies": call("elbv2", "describe_ssl_policies", Names=["ELBSecurityPolicy-2016-08"]),
    "limits": call("elbv2", "describe_account_limits"),
    "policy": [policy["SslProtocols"], len(policy["Ciphers"]), policy["Ciphers"][0]],
    "login": [login["proxyEndpoint"], hasattr(login["expiresAt"], "isoformat")],
}))
`;

describe.skipIf(!hasBotocore)("botocore's signed calls", () => {
  let h: SimHarness;
  // Each call is parsed by botocore against AWS's model: a reply it could not read would be an exception, not "ok".
  beforeAll(async () => {
    h = await startSim();
  });
  afterAll(() => h.close());

  it("are each counted under the service botocore signed for", async () => {
    const { stdout } = await promisify(execFile)(python, ["-c", botocoreScript, h.url], { env: { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" } });
    expect(JSON.parse(stdout)).toEqual({
      iam: "InvalidAction",
      sts: "InvalidAction",
      cloudformation: "InvalidAction",
      logs: "UnknownOperationException",
      autoscaling: "ok",
      ecs: "ok",
      ecrLogin: "ok",
      accountSettings: "ok",
      sslPolicies: "ok",
      limits: "ok",
      policy: [["TLSv1", "TLSv1.1", "TLSv1.2"], 18, { Name: "ECDHE-ECDSA-AES128-GCM-SHA256", Priority: 1 }],
      login: ["https://000000000000.dkr.ecr.us-east-1.amazonaws.com", true],
    });
    const counts = (await h.control("GET", "calls")) as Counts;
    expect(counts.byOperation).toEqual({
      "iam:GetRole": { error: 1 },
      "sts:GetCallerIdentity": { error: 1 },
      "cloudformation:ListStacks": { error: 1 },
      "logs:DescribeLogGroups": { error: 1 },
      "application-autoscaling:DescribeScalableTargets": { ok: 1 },
      "ecs:ListClusters": { ok: 1 },
      "ecr:GetAuthorizationToken": { ok: 2 },
      "ecs:ListAccountSettings": { ok: 1 },
      "elbv2:DescribeSSLPolicies": { ok: 2 },
      "elbv2:DescribeAccountLimits": { ok: 1 },
    });
  }, 30_000);
});
