import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { CreateClusterCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { createAwsClients } from "../../src/aws/clients.js";
import { runCli } from "./capture.js";

const motoUrl = inject("motoUrl");
// A region of its own: moto keeps state per region, and other test files share this moto_server.
const region = "ap-southeast-2";

/**
 * The calls a rolling deploy makes (CreateService, UpdateService, DescribeServices, DescribeTaskDefinition, ListTasks,
 * DescribeTasks) are all accepted by moto. moto never starts tasks, so a deploy there can only end TIMED_OUT: the test
 * checks that it gets that far — every call understood, the service created and then updated as asked — and that
 * the failure is the explained timeout (exit 3), not an AWS call error.
 */
describe.skipIf(!motoUrl)(`a rolling deploy's calls against moto${motoUrl ? "" : ` (skipped: ${inject("motoUnavailable")})`}`, () => {
  const dir = mkdtempSync(join(tmpdir(), "slipway-moto-rolling-"));
  const project = join(dir, "slipway.yaml");
  const step = join(dir, "web.service.yaml");
  const clients = createAwsClients({ region, endpoint: motoUrl ?? "http://127.0.0.1:1" });

  beforeAll(async () => {
    writeFileSync(project, "apiVersion: slipway/v1\nkind: Project\nname: shop\nenvironments:\n  - name: dev\ntargets: targets.yaml\n");
    writeFileSync(join(dir, "targets.yaml"), `apiVersion: slipway/v1\nkind: Targets\ntargets:\n  dev:\n    region: ${region}\n    cluster: moto-rolling\n    endpoint: ${motoUrl}\n`);
    // EC2 launch type with bridge networking: moto needs no subnets in its EC2 for it.
    writeFileSync(step, "service: shop-web\nmode: rolling\ndesiredCount: 2\nlaunchType: EC2\nwaitTimeoutSeconds: 2\n");
    await clients.ecs.send(new CreateClusterCommand({ clusterName: "moto-rolling" }));
    for (const version of ["1.0.0", "1.1.0"]) {
      await clients.ecs.send(new RegisterTaskDefinitionCommand({ family: "shop-web", containerDefinitions: [{ name: "web", image: `shop/web:${version}`, memory: 128 }] }));
    }
  });

  it("creates, then updates the service; only the steady state never comes", async () => {
    for (const revision of ["shop-web:1", "shop-web:2"]) {
      const { code, out, err } = await runCli("service", "deploy", step, "--env", "dev", "--project", project, "--task-definition", revision, "--poll-interval", "0.2");
      expect(code).toBe(3);
      expect(err).toMatch(new RegExp(`Deploying shop-web to ${revision} timed out \\(TIMED_OUT\\)`));
      expect(out.join("\n")).toMatch(/started ECS deployment ecs-svc\//);
    }
    const described = await clients.ecs.send(new DescribeServicesCommand({ cluster: "moto-rolling", services: ["shop-web"] }));
    expect(described.services?.[0]?.taskDefinition).toMatch(/task-definition\/shop-web:2$/);
    expect(described.services?.[0]?.desiredCount).toBe(2);
  });
});
