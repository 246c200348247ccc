import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../../src/errors.js";
import { loadServiceStep } from "../../../../steps/service/load.js";
import { stagesIn, type RawStage } from "../../../../steps/service/task-sets/stages.js";

const stages: RawStage[] = [
  { canaryRollout: { scale: 50 } },
  { pause: { seconds: 30, environments: ["test", "prod"] } },
  { approval: { timeoutSeconds: 600, environments: ["prod"] } },
  { primaryRollout: {} },
];

describe("waiting stages limited to some environments", () => {
  it("are left out elsewhere, so dev deploys without waiting for a person", () => {
    expect(stagesIn(stages, "dev").map((s) => Object.keys(s)[0])).toEqual(["canaryRollout", "primaryRollout"]);
    expect(stagesIn(stages, "prod").map((s) => Object.keys(s)[0])).toEqual(["canaryRollout", "pause", "approval", "primaryRollout"]);
  });

  it("must name environments of the project", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-stage-env-"));
    const file = join(dir, "canary.service.yaml");
    writeFileSync(
      file,
      [
        "service: shop-web",
        "mode: canary",
        "desiredCount: 2",
        "loadBalancer: { containerName: web, containerPort: 8080 }",
        "network: { subnets: [subnet-a] }",
        "stages:",
        "  - canaryRollout: { scale: 50 }",
        "  - approval: { environments: [prd] }",
        "  - primaryRollout: {}",
        "  - trafficRouting: { primary: 100 }",
        "  - canaryClean: {}",
        "",
      ].join("\n"),
    );
    let error: InputError | undefined;
    try {
      loadServiceStep(file, { environments: ["dev", "prod"] });
    } catch (caught) {
      error = caught as InputError;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error?.problems.map((p) => [p.path, p.line, p.hint])).toEqual([["/stages/1/approval/environments/0", 8, 'Did you mean "prod"? The environments are: dev, prod.']]);
  });
});
