import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateListenerCommand,
  DescribeAccountLimitsCommand,
  DescribeListenerAttributesCommand,
  DescribeSSLPoliciesCommand,
  ModifyListenerAttributesCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { startSim, type SimHarness } from "../support/sim.js";
import { createAlb, createListener, createTargetGroup, failure, forwardTo } from "./elbv2-world.js";

describe("ELBv2: listener attributes, SSL policies and account limits", () => {
  let h: SimHarness;
  let lb: string;
  let http: string;
  beforeAll(async () => {
    h = await startSim();
    lb = await createAlb(h, "info");
    const group = await createTargetGroup(h, "info-tg");
    http = await createListener(h, lb, 80, forwardTo([group, 1]));
  });
  afterAll(() => h.close());

  const attributes = async (listenerArn: string) =>
    Object.fromEntries(((await h.clients.elbv2.send(new DescribeListenerAttributesCommand({ ListenerArn: listenerArn }))).Attributes ?? []).map((a) => [a.Key, a.Value ?? ""]));

  it("describes an HTTP listener's attributes with AWS's defaults: the Server header on, no response headers added", async () => {
    const attrs = await attributes(http);
    expect(attrs["routing.http.response.server.enabled"]).toBe("true");
    expect(attrs["routing.http.response.strict_transport_security.header_value"]).toBe("");
    expect(Object.keys(attrs)).toHaveLength(11);
    expect(Object.keys(attrs).some((k) => k.startsWith("routing.http.request."))).toBe(false);
  });

  it("gives an HTTPS listener the TLS and mTLS request header names too, and keeps what ModifyListenerAttributes sets", async () => {
    const group = await createTargetGroup(h, "info-tls");
    const out = await h.clients.elbv2.send(
      new CreateListenerCommand({ LoadBalancerArn: lb, Protocol: "HTTPS", Port: 443, Certificates: [{ CertificateArn: "arn:aws:acm:us-east-1:000000000000:certificate/c" }], DefaultActions: forwardTo([group, 1]) }),
    );
    const https = out.Listeners?.[0]?.ListenerArn ?? "";
    expect((await attributes(https))["routing.http.request.x_amzn_tls_version.header_name"]).toBe("X-Amzn-Tls-Version");
    const modified = await h.clients.elbv2.send(
      new ModifyListenerAttributesCommand({
        ListenerArn: https,
        Attributes: [
          { Key: "routing.http.response.server.enabled", Value: "false" },
          { Key: "routing.http.response.strict_transport_security.header_value", Value: "max-age=31536000" },
        ],
      }),
    );
    expect(modified.Attributes).toContainEqual({ Key: "routing.http.response.server.enabled", Value: "false" });
    expect(await attributes(https)).toMatchObject({
      "routing.http.response.server.enabled": "false",
      "routing.http.response.strict_transport_security.header_value": "max-age=31536000",
    });
    const unknown = await failure(h.clients.elbv2.send(new ModifyListenerAttributesCommand({ ListenerArn: http, Attributes: [{ Key: "routing.http.request.x_amzn_tls_version.header_name", Value: "X" }] })));
    expect(unknown.name).toBe("ValidationError");
    const missing = await failure(h.clients.elbv2.send(new DescribeListenerAttributesCommand({ ListenerArn: `${http}0` })));
    expect(missing.name).toBe("ListenerNotFoundException");
  });

  it("describes AWS's predefined SSL policies with their protocols and ciphers in priority order", async () => {
    const out = await h.clients.elbv2.send(new DescribeSSLPoliciesCommand({ Names: ["ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-2016-08"] }));
    const byName = Object.fromEntries((out.SslPolicies ?? []).map((p) => [p.Name, p]));
    expect(byName["ELBSecurityPolicy-TLS13-1-2-2021-06"]?.SslProtocols).toEqual(["TLSv1.2", "TLSv1.3"]);
    expect(byName["ELBSecurityPolicy-TLS13-1-2-2021-06"]?.Ciphers?.slice(0, 4)).toEqual([
      { Name: "TLS_AES_128_GCM_SHA256", Priority: 1 },
      { Name: "TLS_AES_256_GCM_SHA384", Priority: 2 },
      { Name: "TLS_CHACHA20_POLY1305_SHA256", Priority: 3 },
      { Name: "ECDHE-ECDSA-AES128-GCM-SHA256", Priority: 4 },
    ]);
    expect(byName["ELBSecurityPolicy-2016-08"]?.SslProtocols).toEqual(["TLSv1", "TLSv1.1", "TLSv1.2"]);
    expect(byName["ELBSecurityPolicy-2016-08"]?.Ciphers).toHaveLength(18);
    expect(byName["ELBSecurityPolicy-2016-08"]?.SupportedLoadBalancerTypes).toEqual(["application", "network"]);
    const all = await h.clients.elbv2.send(new DescribeSSLPoliciesCommand({}));
    expect(all.SslPolicies?.map((p) => p.Name)).toContain("ELBSecurityPolicy-TLS13-1-2-Res-2021-06");
    expect((await h.clients.elbv2.send(new DescribeSSLPoliciesCommand({ LoadBalancerType: "gateway" }))).SslPolicies).toEqual([]);
    const unknown = await failure(h.clients.elbv2.send(new DescribeSSLPoliciesCommand({ Names: ["ELBSecurityPolicy-Nope"] })));
    expect(unknown.name).toBe("SSLPolicyNotFoundException");
  });

  it("lists AWS's default quotas by name, the ones the simulator enforces among them, and pages them", async () => {
    const out = await h.clients.elbv2.send(new DescribeAccountLimitsCommand({}));
    const limits = Object.fromEntries((out.Limits ?? []).map((l) => [l.Name, l.Max]));
    expect(limits).toMatchObject({
      "application-load-balancers": "50",
      "listeners-per-application-load-balancer": "50",
      "rules-per-application-load-balancer": "100",
      "target-groups": "3000",
      "target-groups-per-action-on-application-load-balancer": "5",
      "targets-per-application-load-balancer": "1000",
    });
    const first = await h.clients.elbv2.send(new DescribeAccountLimitsCommand({ PageSize: 10 }));
    const rest = await h.clients.elbv2.send(new DescribeAccountLimitsCommand({ PageSize: 10, Marker: first.NextMarker }));
    expect([...(first.Limits ?? []), ...(rest.Limits ?? [])]).toEqual(out.Limits);
    expect(rest.NextMarker).toBeUndefined();
  });
});
