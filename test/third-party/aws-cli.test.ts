import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { simulatedVpcId } from "../../src/sim/elbv2/load-balancers.js";
import { startSim, type SimHarness } from "../support/sim.js";

/**
 * A third-party client against the simulator: the AWS CLI v1 (Python, botocore's own serialisers, parsers and
 * waiters; installed in .venv/ by scripts/ensure-python-tools.sh) runs one scripted sequence over ECS, ELBv2 and
 * ECR, and the test asserts on its answers. The same sequence then runs against moto, where the calls moto
 * answers must agree on what matters, and the calls it does not answer are listed (and checked still not to be).
 */
const execFileAsync = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");
const awsBinary = join(root, ".venv", "bin", "aws");
const awsMissing = existsSync(awsBinary) ? undefined : `the AWS CLI is not installed (${awsBinary} is missing); install it with: bash scripts/ensure-python-tools.sh`;
if (awsMissing && process.env.CI === "true") throw new Error(`CI=true and ${awsMissing}`);

const region = "us-east-1";
/** About 25 CLI processes per test at 0.5 s each when the machine is idle; several times that on a loaded one. */
const cliTimeoutMs = 300_000;

interface Target {
  name: "simulator" | "moto";
  endpoint: string;
  account: string;
  vpcId: string;
  subnets: [string, string];
  securityGroup: string;
}

type Json = Record<string, unknown>;

/** How many CLI processes each target has seen. */
const calls = { simulator: 0, moto: 0 };

/** Runs one `aws` command against the target and returns its parsed JSON (an empty object when it prints none). */
async function aws(t: Target, ...args: string[]): Promise<Json> {
  calls[t.name] += 1;
  try {
    const { stdout } = await execFileAsync(awsBinary, [...args, "--endpoint-url", t.endpoint, "--output", "json", "--region", region], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: tmpdir(),
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_DEFAULT_REGION: region,
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_PAGER: "",
        AWS_MAX_ATTEMPTS: "1",
      },
      timeout: 60_000,
    });
    return stdout.trim() ? (JSON.parse(stdout) as Json) : {};
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`aws ${args.slice(0, 2).join(" ")} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}

/** A Docker image manifest, as `docker push` would send it to ECR's PutImage. */
const manifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: "application/vnd.docker.distribution.manifest.v2+json",
  config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 1470, digest: `sha256:${createHash("sha256").update("config").digest("hex")}` },
  layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: 2811478, digest: `sha256:${createHash("sha256").update("layer").digest("hex")}` }],
});

/** The steps moto does not answer as AWS does (moto 5.2.5), and why; each must still fail against moto. */
const motoGaps: Record<string, string> = {
  "ecs wait services-stable (first deployment)":
    "moto never starts a service's tasks (runningCount stays 0 of 2, the deployment IN_PROGRESS), so the waiter would poll for its full 10 minutes; the test does not call it",
  "ecs update-service (revision 2) + wait services-stable":
    "moto's UpdateService answers the task definition as given (family:2, not its ARN) and starts no second deployment",
  "ecs delete-task-set (the old one, still scaled: --force)": "moto's DeleteTaskSet answers the task set with status ACTIVE, not DRAINING",
};

interface StepResult {
  step: string;
  ok: boolean;
  error?: string;
}

/**
 * The scripted sequence. Each step is one or more CLI calls and the assertions on their answers; `beforeWait`
 * lets the simulator bring a service to steady state before the CLI's waiter (which polls every 15 s) first looks.
 */
async function sequence(t: Target, dir: string, opts: { beforeWait: (cluster: string, service: string) => Promise<void>}): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${t.account}:${resource}`;
  const cluster = `cli-${process.pid}`;
  const family = `cli-web-${process.pid}`;
  const lbName = `cli-${process.pid}`;
  const repository = `cli/web-${process.pid}`;
  const network = `awsvpcConfiguration={subnets=[${t.subnets.join(",")}],securityGroups=[${t.securityGroup}],assignPublicIp=DISABLED}`;
  const ctx: Record<string, string> = {};
  const need = (key: string): string => {
    const value = ctx[key];
    if (!value) throw new Error(`no ${key} from an earlier step`);
    return value;
  };
  const step = async (name: string, body: () => Promise<void>) => {
    try {
      await body();
      results.push({ step: name, ok: true });
    } catch (error) {
      results.push({ step: name, ok: false, error: (error as Error).message.slice(0, 600) });
    }
  };
  const forward = (weights: [string, number][]) =>
    JSON.stringify([{ Type: "forward", ForwardConfig: { TargetGroups: weights.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) } }]);
  const weightsOf = (actions: unknown): Record<string, number> => {
    const groups = (actions as { ForwardConfig?: { TargetGroups?: { TargetGroupArn: string; Weight: number }[] } }[])[0]?.ForwardConfig?.TargetGroups ?? [];
    return Object.fromEntries(groups.map((g) => [g.TargetGroupArn, g.Weight]));
  };
  const taskDefinitionFile = (image: string) => {
    const file = join(dir, `${t.name}-${image.replace(/\W/g, "_")}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        family,
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "256",
        memory: "512",
        containerDefinitions: [{ name: "web", image, essential: true, memory: 512, portMappings: [{ containerPort: 8080, protocol: "tcp" }] }],
      }),
    );
    return `file://${file}`;
  };
  const describeService = async (service: string) => {
    const out = await aws(t, "ecs", "describe-services", "--cluster", cluster, "--services", service);
    return (out.services as Json[])[0] ?? {};
  };

  await step("ecs create-cluster", async () => {
    const out = await aws(t, "ecs", "create-cluster", "--cluster-name", cluster);
    expect(out.cluster).toMatchObject({ clusterName: cluster, clusterArn: arn("ecs", `cluster/${cluster}`), status: "ACTIVE" });
  });
  await step("ecs register-task-definition (two revisions, from JSON files)", async () => {
    for (const [revision, image] of [[1, "registry.example/web:1.0.0"], [2, "registry.example/web:2.0.0"]] as const) {
      const out = await aws(t, "ecs", "register-task-definition", "--cli-input-json", taskDefinitionFile(image));
      expect(out.taskDefinition).toMatchObject({ family, revision, status: "ACTIVE", taskDefinitionArn: arn("ecs", `task-definition/${family}:${revision}`) });
    }
  });
  await step("elbv2 create-load-balancer", async () => {
    const out = await aws(t, "elbv2", "create-load-balancer", "--name", lbName, "--type", "application", "--subnets", ...t.subnets, "--security-groups", t.securityGroup);
    const lb = (out.LoadBalancers as Json[])[0];
    ctx.lb = lb?.LoadBalancerArn as string;
    expect(lb?.LoadBalancerArn).toMatch(new RegExp(`^${arn("elasticloadbalancing", `loadbalancer/app/${lbName}/`)}[0-9a-f]{16}$`));
    expect(lb).toMatchObject({ LoadBalancerName: lbName, Type: "application", VpcId: t.vpcId });
  });
  await step("elbv2 create-target-group (blue, green)", async () => {
    for (const colour of ["blue", "green"]) {
      const name = `cli-${colour}-${process.pid}`;
      const out = await aws(t, "elbv2", "create-target-group", "--name", name, "--protocol", "HTTP", "--port", "8080", "--vpc-id", t.vpcId, "--target-type", "ip");
      const tg = (out.TargetGroups as Json[])[0];
      expect(tg?.TargetGroupArn).toMatch(new RegExp(`^${arn("elasticloadbalancing", `targetgroup/${name}/`)}[0-9a-f]{16}$`));
      expect(tg).toMatchObject({ TargetGroupName: name, Protocol: "HTTP", Port: 8080, TargetType: "ip" });
      ctx[colour] = tg?.TargetGroupArn as string;
    }
  });
  await step("elbv2 create-listener (weighted forward 100/0)", async () => {
    const out = await aws(t, "elbv2", "create-listener", "--load-balancer-arn", need("lb"), "--protocol", "HTTP", "--port", "80", "--default-actions", forward([[need("blue"), 100], [need("green"), 0]]));
    const listener = (out.Listeners as Json[])[0];
    ctx.listener = listener?.ListenerArn as string;
    expect(listener?.ListenerArn).toMatch(new RegExp(`^${arn("elasticloadbalancing", `listener/app/${lbName}/`)}[0-9a-f]{16}/[0-9a-f]{16}$`));
    expect(weightsOf(listener?.DefaultActions)).toEqual({ [need("blue")]: 100, [need("green")]: 0 });
  });
  await step("elbv2 create-rule (http-header and query-string conditions)", async () => {
    const conditions = JSON.stringify([
      { Field: "http-header", HttpHeaderConfig: { HttpHeaderName: "X-Canary", Values: ["1"] } },
      { Field: "query-string", QueryStringConfig: { Values: [{ Key: "canary", Value: "yes" }] } },
    ]);
    const out = await aws(t, "elbv2", "create-rule", "--listener-arn", need("listener"), "--priority", "10", "--conditions", conditions, "--actions", forward([[need("green"), 100], [need("blue"), 0]]));
    const rule = (out.Rules as Json[])[0];
    ctx.rule = rule?.RuleArn as string;
    expect(rule?.RuleArn).toMatch(new RegExp(`^${arn("elasticloadbalancing", `listener-rule/app/${lbName}/`)}[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}$`));
    expect(rule).toMatchObject({ Priority: "10", IsDefault: false });
  });
  await step("elbv2 modify-rule (weights 80/20)", async () => {
    const out = await aws(t, "elbv2", "modify-rule", "--rule-arn", need("rule"), "--actions", forward([[need("blue"), 80], [need("green"), 20]]));
    expect(weightsOf((out.Rules as Json[])[0]?.Actions)).toEqual({ [need("blue")]: 80, [need("green")]: 20 });
  });
  await step("elbv2 describe-rules", async () => {
    const out = await aws(t, "elbv2", "describe-rules", "--listener-arn", need("listener"));
    const rules = out.Rules as Json[];
    expect(rules.map((r) => r.Priority)).toEqual(["10", "default"]);
    expect(weightsOf(rules[0]?.Actions)).toEqual({ [need("blue")]: 80, [need("green")]: 20 });
    expect(weightsOf(rules[1]?.Actions)).toEqual({ [need("blue")]: 100, [need("green")]: 0 });
    const conditions = rules[0]?.Conditions as Json[];
    expect(conditions.find((c) => c.Field === "http-header")).toMatchObject({ HttpHeaderConfig: { HttpHeaderName: "X-Canary", Values: ["1"] } });
    expect(conditions.find((c) => c.Field === "query-string")).toMatchObject({ QueryStringConfig: { Values: [{ Key: "canary", Value: "yes" }] } });
  });
  await step("ecs create-service (rolling, behind the blue target group)", async () => {
    const out = await aws(
      t, "ecs", "create-service", "--cluster", cluster, "--service-name", "web", "--task-definition", `${family}:1`, "--desired-count", "2",
      "--launch-type", "FARGATE", "--network-configuration", network,
      "--load-balancers", `targetGroupArn=${need("blue")},containerName=web,containerPort=8080`,
      "--deployment-configuration", "maximumPercent=200,minimumHealthyPercent=100",
    );
    expect(out.service).toMatchObject({
      serviceName: "web",
      serviceArn: arn("ecs", `service/${cluster}/web`),
      status: "ACTIVE",
      desiredCount: 2,
      taskDefinition: arn("ecs", `task-definition/${family}:1`),
      deploymentController: { type: "ECS" },
    });
  });
  await step("ecs wait services-stable (first deployment)", async () => {
    await opts.beforeWait(cluster, "web");
    await aws(t, "ecs", "wait", "services-stable", "--cluster", cluster, "--services", "web");
    expect(await describeService("web")).toMatchObject({ runningCount: 2, desiredCount: 2, deployments: [{ status: "PRIMARY", rolloutState: "COMPLETED" }] });
  });
  await step("ecs update-service (revision 2) + wait services-stable", async () => {
    const out = await aws(t, "ecs", "update-service", "--cluster", cluster, "--service", "web", "--task-definition", `${family}:2`);
    expect(out.service).toMatchObject({ taskDefinition: arn("ecs", `task-definition/${family}:2`) });
    expect((out.service as Json).deployments).toHaveLength(2);
    await opts.beforeWait(cluster, "web");
    await aws(t, "ecs", "wait", "services-stable", "--cluster", cluster, "--services", "web");
    expect(await describeService("web")).toMatchObject({
      runningCount: 2,
      taskDefinition: arn("ecs", `task-definition/${family}:2`),
      deployments: [{ status: "PRIMARY", rolloutState: "COMPLETED", taskDefinition: arn("ecs", `task-definition/${family}:2`) }],
    });
  });
  await step("ecs create-service (EXTERNAL controller)", async () => {
    const out = await aws(t, "ecs", "create-service", "--cluster", cluster, "--service-name", "ext", "--desired-count", "2", "--deployment-controller", "type=EXTERNAL");
    expect(out.service).toMatchObject({ serviceName: "ext", serviceArn: arn("ecs", `service/${cluster}/ext`), deploymentController: { type: "EXTERNAL" } });
  });
  await step("ecs create-task-set (blue 100%, green 0%)", async () => {
    for (const [key, revision, scale] of [["blueSet", 1, 100], ["greenSet", 2, 0]] as const) {
      const out = await aws(
        t, "ecs", "create-task-set", "--cluster", cluster, "--service", "ext", "--task-definition", `${family}:${revision}`,
        "--launch-type", "FARGATE", "--network-configuration", network, "--scale", `unit=PERCENT,value=${scale}`, "--external-id", key,
      );
      const set = out.taskSet as Json;
      ctx[key] = set.taskSetArn as string;
      expect(set.id).toMatch(/^ecs-svc\/\d+$/);
      expect(set).toMatchObject({
        taskSetArn: arn("ecs", `task-set/${cluster}/ext/${set.id as string}`),
        taskDefinition: arn("ecs", `task-definition/${family}:${revision}`),
        scale: { unit: "PERCENT", value: scale },
        externalId: key,
      });
    }
  });
  await step("ecs update-service-primary-task-set", async () => {
    const out = await aws(t, "ecs", "update-service-primary-task-set", "--cluster", cluster, "--service", "ext", "--primary-task-set", need("greenSet"));
    expect(out.taskSet).toMatchObject({ taskSetArn: need("greenSet"), status: "PRIMARY" });
  });
  await step("ecs delete-task-set (the old one, still scaled: --force)", async () => {
    const out = await aws(t, "ecs", "delete-task-set", "--cluster", cluster, "--service", "ext", "--task-set", need("blueSet"), "--force");
    expect(out.taskSet).toMatchObject({ taskSetArn: need("blueSet"), status: "DRAINING" });
  });
  await step("ecr create-repository", async () => {
    const out = await aws(t, "ecr", "create-repository", "--repository-name", repository);
    expect(out.repository).toMatchObject({
      repositoryName: repository,
      repositoryArn: arn("ecr", `repository/${repository}`),
      repositoryUri: `${t.account}.dkr.ecr.${region}.amazonaws.com/${repository}`,
      registryId: t.account,
    });
  });
  await step("ecr put-image (a Docker image manifest)", async () => {
    const out = await aws(t, "ecr", "put-image", "--repository-name", repository, "--image-tag", "1.0.0", "--image-manifest", manifest);
    const image = out.image as { imageId: { imageDigest: string; imageTag: string }; imageManifest: string };
    expect(image.imageId.imageTag).toBe("1.0.0");
    expect(image.imageId.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    ctx.digest = image.imageId.imageDigest;
  });
  await step("ecr describe-images", async () => {
    const out = await aws(t, "ecr", "describe-images", "--repository-name", repository);
    expect(out.imageDetails).toEqual([expect.objectContaining({ imageDigest: need("digest"), imageTags: ["1.0.0"], repositoryName: repository, registryId: t.account })]);
  });
  await step("ecr batch-get-image", async () => {
    const out = await aws(t, "ecr", "batch-get-image", "--repository-name", repository, "--image-ids", "imageTag=1.0.0");
    expect(out.failures ?? []).toEqual([]);
    const images = out.images as { imageId: { imageDigest: string }; imageManifest: string }[];
    expect(images).toHaveLength(1);
    expect(images[0]?.imageId.imageDigest).toBe(need("digest"));
    expect(JSON.parse(images[0]?.imageManifest ?? "{}")).toEqual(JSON.parse(manifest));
  });
  return results;
}

describe.skipIf(awsMissing !== undefined)("the AWS CLI v1 against the simulator and moto", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "slipway-aws-cli-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the whole sequence against the simulator", async () => {
    // A frozen clock: time moves only when the test moves it, so nothing races the wall clock.
    const h: SimHarness = await startSim({ region, speed: 0 });
    try {
      const target: Target = {
        name: "simulator",
        endpoint: h.url,
        account: h.sim.account,
        // The simulator keeps no EC2 world: its load balancers sit in one VPC, and the target groups go there too.
        vpcId: simulatedVpcId,
        subnets: ["subnet-0fa1c0de0000000a", "subnet-0fa1c0de0000000b"],
        securityGroup: "sg-0fa1c0de00000001",
      };
      const results = await sequence(target, dir, { beforeWait: (cluster, service) => settle(h, cluster, service) });
      console.log(`[aws-cli] simulator: ${results.filter((r) => r.ok).length}/${results.length} steps passed in ${calls.simulator} CLI calls`);
      expect(results.filter((r) => !r.ok)).toEqual([]);
    } finally {
      await h.close();
    }
  }, cliTimeoutMs);

  const motoUrl = inject("motoUrl");
  it.skipIf(!motoUrl)("runs the same sequence against moto, where moto answers", async () => {
    const endpoint = motoUrl ?? "";
    // moto_server is shared by every test file; those keep to accounts of their own (x-moto-account-id, which
    // the CLI cannot send), so this one works in moto's default account under names carrying the process id.
    const probe: Target = { name: "moto", endpoint, account: "123456789012", vpcId: "", subnets: ["", ""], securityGroup: "" };
    const subnets = (await aws(probe, "ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true")).Subnets as { SubnetId: string; VpcId: string }[];
    const vpcId = subnets[0]?.VpcId ?? "";
    const groups = (await aws(probe, "ec2", "describe-security-groups", "--filters", "Name=group-name,Values=default", `Name=vpc-id,Values=${vpcId}`)).SecurityGroups as { GroupId: string }[];
    // AWS has given every account long ECS ARNs by default since 2021; moto starts each account on the short ones (its put-account-setting-default answers HTTP 500).
    await aws(probe, "ecs", "put-account-setting", "--name", "serviceLongArnFormat", "--value", "enabled");
    await aws(probe, "ecs", "put-account-setting", "--name", "taskLongArnFormat", "--value", "enabled");
    const target: Target = { ...probe, vpcId, subnets: [subnets[0]?.SubnetId ?? "", subnets[1]?.SubnetId ?? ""], securityGroup: groups[0]?.GroupId ?? "" };
    const results = await sequence(target, dir, { beforeWait: (cluster, service) => motoStable(target, cluster, service) });
    console.log(`[aws-cli] moto: ${results.filter((r) => r.ok).length}/${results.length} steps passed in ${calls.moto} CLI calls; not answered: ${Object.keys(motoGaps).join("; ")}`);
    // Every step but the listed gaps passes with the same assertions as on the simulator; the gaps still fail,
    // so a moto that learns one of them makes this test ask for the list to shrink.
    expect(results.filter((r) => r.ok === (r.step in motoGaps))).toEqual([]);
  }, cliTimeoutMs);
});

/** moto has no time: the waiter would poll for 10 minutes on a service moto never brings to steady state. */
async function motoStable(t: Target, cluster: string, service: string): Promise<void> {
  const out = await aws(t, "ecs", "describe-services", "--cluster", cluster, "--services", service);
  const s = (out.services as { deployments?: unknown[]; runningCount?: number; desiredCount?: number }[])[0];
  if (s?.deployments?.length !== 1 || s.runningCount !== s.desiredCount) {
    throw new Error(`moto's service is not steady (deployments ${s?.deployments?.length}, running ${s?.runningCount} of ${s?.desiredCount}): the waiter would time out`);
  }
}

/**
 * Moves the simulator's frozen clock until the service is steady (one COMPLETED deployment, all tasks running),
 * so the CLI's waiter, which polls every 15 s of wall time, sees it stable on its first look.
 */
async function settle(h: SimHarness, cluster: string, service: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { services } = await h.clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
    const s = services?.[0];
    if (s?.deployments?.length === 1 && s.runningCount === s.desiredCount && s.deployments[0]?.rolloutState === "COMPLETED") return;
    h.sim.clock.advance(15);
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${service} did not settle within 3000 simulated seconds`);
}

