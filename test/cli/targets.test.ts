import { describe, expect, it } from "vitest";
import { runCli } from "./capture.js";

describe("slipway targets", () => {
  it("lists the environments in lifecycle order as a table", async () => {
    const { code, out } = await runCli("targets", "--project", "examples/slipway.yaml");
    expect(code).toBe(0);
    expect(out).toEqual([
      "ENVIRONMENT      REGION     CLUSTER    ACCOUNT/ROLE  ENDPOINT               LISTENER      PRIMARY         CANARY",
      "dev              us-east-1  shop-dev   -             http://127.0.0.1:4599  shop-dev:80   shop-dev-blue   shop-dev-green",
      "test (optional)  us-east-1  shop-test  -             http://127.0.0.1:4599  shop-test:80  shop-test-blue  shop-test-green",
      "prod             us-east-1  shop-prod  -             http://127.0.0.1:4599  shop-prod:80  shop-prod-blue  shop-prod-green",
    ]);
  });

  it("shows roles, AWS endpoints and missing load balancers", async () => {
    const { out } = await runCli("targets", "--project", "test/fixtures/config/inline/slipway.yaml");
    const [header, staging, prod] = out;
    expect(header?.split(/\s{2,}/)).toEqual(["ENVIRONMENT", "REGION", "CLUSTER", "ACCOUNT/ROLE", "ENDPOINT", "LISTENER", "PRIMARY", "CANARY"]);
    expect(staging?.split(/\s{2,}/)).toEqual(["staging", "eu-west-2", "payments-staging", "profile payments-dev", "AWS", "-", "-", "-"]);
    expect(prod?.split(/\s{2,}/).slice(0, 5)).toEqual(["prod", "eu-west-1", "arn:aws:ecs:eu-west-1:123456789012:cluster/payments", "arn:aws:iam::123456789012:role/slipway-deploy (external ID)", "AWS"]);
    expect(prod?.split(/\s{2,}/).at(-1)).toBe("payments-green");
  });

  it("prints JSON with --json", async () => {
    const { code, out } = await runCli("targets", "--project", "examples/slipway.yaml", "--json");
    expect(code).toBe(0);
    const list = JSON.parse(out.join("\n")) as { environment: string; optional: boolean }[];
    expect(list.map((t) => [t.environment, t.optional])).toEqual([
      ["dev", false],
      ["test", true],
      ["prod", false],
    ]);
    expect(list[2]).toEqual({
      environment: "prod",
      optional: false,
      description: "Customers",
      region: "us-east-1",
      cluster: "shop-prod",
      endpoint: "http://127.0.0.1:4599",
      loadBalancer: { listener: { loadBalancer: "shop-prod", port: 80 }, targetGroups: { primary: "shop-prod-blue", canary: "shop-prod-green" } },
    });
  });

  it("refuses a broken project with every problem and exit code 2", async () => {
    const { code, out, err } = await runCli("targets", "--project", "test/fixtures/config/broken-project/slipway.yaml");
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toMatch(/^error: 14 problems in /);
  });
});
