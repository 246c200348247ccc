import { describe, expect, it } from "vitest";
import { toAwsConnection } from "../../targets/connection.js";
import { createAwsClients } from "../../src/aws/clients.js";
import { loadProject } from "../../src/config/load.js";

describe("toAwsConnection", () => {
  it("keeps where and as whom, and leaves out what is only for deploying", () => {
    const { targets } = loadProject("test/fixtures/config/inline/slipway.yaml");
    const prod = targets.get("prod");
    expect(prod && toAwsConnection(prod)).toEqual({
      region: "eu-west-1",
      roleArn: "arn:aws:iam::123456789012:role/slipway-deploy",
      externalId: "payments-prod",
    });
    const staging = targets.get("staging");
    expect(staging && toAwsConnection(staging)).toEqual({ region: "eu-west-2", profile: "payments-dev" });
  });

  it("points the client factory at a target's endpoint and region", async () => {
    const { targets } = loadProject("examples/slipway.yaml");
    const dev = targets.get("dev");
    if (!dev) throw new Error("the example has a dev target");
    const connection = toAwsConnection(dev);
    expect(connection).toEqual({ region: "us-east-1", endpoint: "http://127.0.0.1:4599" });
    const clients = createAwsClients(connection);
    try {
      expect(await clients.ecs.config.region()).toBe("us-east-1");
      const endpoint = await clients.ecs.config.endpoint?.();
      expect(endpoint?.hostname).toBe("127.0.0.1");
      expect(endpoint?.port).toBe(4599);
    } finally {
      clients.destroy();
    }
  });
});
