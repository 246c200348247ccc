import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateListenerCommand, DescribeListenersCommand, DescribeSSLPoliciesCommand, ModifyListenerCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { startSim, type SimHarness } from "../support/sim.js";
import { createAlb, createTargetGroup, failure, forwardTo } from "./elbv2-world.js";

/**
 * A listener's SslPolicy names one of the policies DescribeSSLPolicies lists; CreateListener and ModifyListener
 * refuse any other name with SSLPolicyNotFound (the wire code of the model's SSLPolicyNotFoundException, which both
 * declare), and a refused ModifyListener leaves the listener as it was.
 */
const certificate = [{ CertificateArn: "arn:aws:acm:us-east-1:000000000000:certificate/c" }];

describe("ELBv2: a listener's SslPolicy", () => {
  let h: SimHarness;
  let lb: string;
  let group: string;
  beforeAll(async () => {
    h = await startSim();
    lb = await createAlb(h, "tls");
    group = await createTargetGroup(h, "tls-tg");
  });
  afterAll(() => h.close());

  const listeners = async () => (await h.clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb }))).Listeners ?? [];

  it("is refused by CreateListener when no policy has that name, and no listener is made", async () => {
    const refused = await failure(
      h.clients.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb, Protocol: "HTTPS", Port: 443, Certificates: certificate, SslPolicy: "ELBSecurityPolicy-Nope", DefaultActions: forwardTo([group, 1]) })),
    );
    expect(refused).toMatchObject({ name: "SSLPolicyNotFoundException", message: "SSL policy 'ELBSecurityPolicy-Nope' not found", $metadata: { httpStatusCode: 400 } });
    expect(await listeners()).toEqual([]);
  });

  it("is SSLPolicyNotFound on the wire, in the query protocol's error XML", async () => {
    const params = new URLSearchParams({
      Action: "CreateListener",
      Version: "2015-12-01",
      LoadBalancerArn: lb,
      Protocol: "HTTPS",
      Port: "443",
      "Certificates.member.1.CertificateArn": certificate[0]!.CertificateArn,
      SslPolicy: "constructor",
      "DefaultActions.member.1.Type": "fixed-response",
      "DefaultActions.member.1.FixedResponseConfig.StatusCode": "200",
    });
    const res = await fetch(h.url, { method: "POST", body: params.toString(), headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" } });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<Code>SSLPolicyNotFound</Code><Message>SSL policy &apos;constructor&apos; not found</Message>");
  });

  it("takes each policy DescribeSSLPolicies lists, and defaults to ELBSecurityPolicy-2016-08", async () => {
    const names = ((await h.clients.elbv2.send(new DescribeSSLPoliciesCommand({}))).SslPolicies ?? []).map((p) => p.Name ?? "");
    expect(names.length).toBeGreaterThan(1);
    const created = await h.clients.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb, Protocol: "HTTPS", Port: 443, Certificates: certificate, DefaultActions: forwardTo([group, 1]) }));
    const listener = created.Listeners?.[0];
    expect(listener?.SslPolicy).toBe("ELBSecurityPolicy-2016-08");
    for (const name of names) {
      const modified = await h.clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: listener?.ListenerArn, SslPolicy: name }));
      expect(modified.Listeners?.[0]?.SslPolicy).toBe(name);
    }
  });

  it("is refused by ModifyListener when no policy has that name, leaving the listener as it was", async () => {
    const [listener] = await listeners();
    const before = listener?.SslPolicy;
    const refused = await failure(h.clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: listener?.ListenerArn, Port: 8443, SslPolicy: "ELBSecurityPolicy-2016-08 " })));
    expect(refused).toMatchObject({ name: "SSLPolicyNotFoundException", message: "SSL policy 'ELBSecurityPolicy-2016-08 ' not found" });
    expect(await listeners()).toMatchObject([{ Port: 443, SslPolicy: before }]);
  });

  it("is refused for an HTTP listener, by CreateListener and by a ModifyListener that makes one HTTP, changing nothing", async () => {
    const policy = "ELBSecurityPolicy-2016-08";
    const created = await failure(h.clients.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb, Protocol: "HTTP", Port: 80, SslPolicy: policy, DefaultActions: forwardTo([group, 1]) })));
    expect(created).toMatchObject({ name: "ValidationError", message: "An SSL policy cannot be specifed for HTTP listeners" });
    const [listener] = await listeners();
    const modified = await failure(h.clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: listener?.ListenerArn, Protocol: "HTTP", SslPolicy: policy })));
    expect(modified).toMatchObject({ name: "ValidationError", message: "An SSL policy cannot be specifed for HTTP listeners" });
    expect(await listeners()).toMatchObject([{ Port: 443, Protocol: "HTTPS" }]);
  });
});
