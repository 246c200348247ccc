import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectStores } from "../support/project-store.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { callsSince, push, resetCalls } from "../steps/task-definition/world.js";
import { runCli } from "./capture.js";

const fixtures = "test/fixtures/steps/task-definition";
const uri = "000000000000.dkr.ecr.us-east-1.amazonaws.com";

/** A project whose dev and prod targets point at the harness's simulator, with the web step beside it. */
function project(h: SimHarness): { dir: string; project: string; step: string } {
  const dir = mkdtempSync(join(tmpdir(), "slipway-taskdef-"));
  writeFileSync(join(dir, "slipway.yaml"), "apiVersion: slipway/v1\nkind: Project\nname: shop\nenvironments:\n  - name: dev\n  - name: prod\ntargets: targets.yaml\n");
  const target = (cluster: string) => `    region: us-east-1\n    cluster: ${cluster}\n    endpoint: ${h.url}\n`;
  writeFileSync(join(dir, "targets.yaml"), `apiVersion: slipway/v1\nkind: Targets\ntargets:\n  dev:\n${target("shop-dev")}  prod:\n${target("shop-prod")}`);
  for (const name of ["web.step.yaml", "web.taskdef.yaml", "broken.step.yaml"]) copyFileSync(join(fixtures, name), join(dir, name));
  return { dir, project: join(dir, "slipway.yaml"), step: join(dir, "web.step.yaml") };
}

describe("slipway taskdef", () => {
  let h: SimHarness;
  let p: ReturnType<typeof project>;
  let web142: string;
  beforeAll(async () => {
    h = await startSim();
    web142 = await push(h, "shop/web", "1.4.2");
    await push(h, "shop/log-router", "2.1.0");
    p = project(h);
  });
  const stores = new ProjectStores();
  afterAll(async () => {
    await stores.closeAll();
    await h.close();
  });

  it("render prints the RegisterTaskDefinition input with pinned images and the environment's variables", async () => {
    const { code, out, err } = await runCli("taskdef", "render", p.step, "--env", "prod", "--project", p.project, "--release", "7");
    expect(err).toBe("");
    expect(code).toBe(0);
    const input = JSON.parse(out.join("\n")) as { family: string; memory: string; containerDefinitions: { image: string }[]; tags: unknown[] };
    expect(input.family).toBe("shop-web");
    expect(input.memory).toBe("1024");
    expect(input.containerDefinitions[0]?.image).toBe(`${uri}/shop/web@${web142}`);
    expect(input.tags).toContainEqual({ key: "slipway:release", value: "7" });
  });

  it("render uses the project's variables under the step's own: the step's value wins in each scope, an environment's over default", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-taskdef-vars-"));
    for (const name of ["web.step.yaml", "web.taskdef.yaml", "targets.yaml"]) copyFileSync(join(p.dir, name), join(dir, name));
    // LOG_LEVEL: the project says debug for prod, the step says warn for prod: the step's prod value wins.
    // MEMORY: the project says 2048 for prod, the step 512 by default and 1024 for prod: the step's prod value wins.
    // CPU: the project says 1024 for prod; the step only "256" by default: the project's prod value wins.
    writeFileSync(
      join(dir, "slipway.yaml"),
      'apiVersion: slipway/v1\nkind: Project\nname: shop\nenvironments:\n  - name: dev\n  - name: prod\ntargets: targets.yaml\nvariables:\n  prod:\n    LOG_LEVEL: debug\n    MEMORY: 2048\n    CPU: "1024"\n',
    );
    const { code, out, err } = await runCli("taskdef", "render", join(dir, "web.step.yaml"), "--env", "prod", "--project", join(dir, "slipway.yaml"));
    expect(err).toBe("");
    expect(code).toBe(0);
    const input = JSON.parse(out.join("\n")) as { cpu: string; memory: string; containerDefinitions: { environment?: { name: string; value: string }[] }[] };
    expect({ cpu: input.cpu, memory: input.memory }).toEqual({ cpu: "1024", memory: "1024" });
    expect(input.containerDefinitions[0]?.environment).toContainEqual({ name: "LOG_LEVEL", value: "warn" });
  });

  it("register --dry-run prints the plan and the diff and writes nothing", async () => {
    await resetCalls(h);
    const { code, out } = await runCli("taskdef", "register", p.step, "--env", "dev", "--project", p.project, "--dry-run");
    expect(code).toBe(0);
    expect(out[0]).toBe("task-definition:shop-web: 1 action(s)");
    expect(out[1]).toMatch(/^ {2}\+ register a new revision of shop-web for dev \(content [0-9a-f]{12}\)$/);
    expect(out).toContain("--- shop-web (no ACTIVE revision in dev)");
    expect(out).toContain(`+      "image": "${uri}/shop/web@${web142}",`);
    expect(out.at(-1)).toBe("dry run: nothing was changed");
    expect((await callsSince(h)).writes).toEqual({});
  });

  it("register registers, then reuses the unchanged revision with zero writes; diff says no changes", async () => {
    const first = await runCli("taskdef", "register", p.step, "--env", "dev", "--project", p.project, "--release", "1", "--json");
    expect(first.code).toBe(0);
    const registered = JSON.parse(first.out.join("\n")) as { deploymentId: string; output: { revision: number; registered: boolean; taskDefinitionArn: string } };
    expect(registered.output).toMatchObject({ revision: 1, registered: true, taskDefinitionArn: "arn:aws:ecs:us-east-1:000000000000:task-definition/shop-web:1" });
    // The register is journalled in the project's store, under the deployment id it printed.
    const journal = await (await stores.of(p.project)).journal.entries(registered.deploymentId);
    expect(journal.map((e) => `${e.actionKind} ${e.phase}`)).toEqual(["register started", "register succeeded"]);

    await resetCalls(h);
    const again = await runCli("taskdef", "register", p.step, "--env", "dev", "--project", p.project, "--release", "2");
    expect(again.code).toBe(0);
    expect(again.out[0]).toBe("task-definition:shop-web: no changes");
    expect(again.out).toContain("  · revision 1 reused: dev has one with this exact content");
    expect(again.out.at(-3)).toBe("reused shop-web:1 arn:aws:ecs:us-east-1:000000000000:task-definition/shop-web:1");
    expect((await callsSince(h)).writes).toEqual({});

    const diff = await runCli("taskdef", "diff", p.step, "--env", "dev", "--project", p.project);
    expect(diff).toEqual({ code: 0, out: ["no changes: shop-web:1 is what the step renders for dev"], err: "" });
  });

  it("diff shows what a new image would change", async () => {
    const newer = await push(h, "shop/web", "1.4.7");
    const { code, out } = await runCli("taskdef", "diff", p.step, "--env", "dev", "--project", p.project);
    expect(code).toBe(0);
    expect(out.slice(0, 2)).toEqual(["--- shop-web:1 (newest in dev)", "+++ shop-web (rendered for dev)"]);
    expect(out.filter((l) => /^[-+] /.test(l))).toEqual([`-      "image": "${uri}/shop/web@${web142}",`, `+      "image": "${uri}/shop/web@${newer}",`]);
    const pinned = await runCli("taskdef", "diff", p.step, "--env", "dev", "--project", p.project, "--image", "web=1.4.2");
    expect(pinned.out).toEqual(["no changes: shop-web:1 is what the step renders for dev"]);
  });

  it("refuses latest on the command line with the reason, exit 2", async () => {
    const { code, err } = await runCli("taskdef", "render", p.step, "--env", "dev", "--project", p.project, "--image", "web=latest");
    expect(code).toBe(2);
    expect(err).toMatch(/^error: The image tag "latest" for container "web" moves to newer images/);
    expect(err).toMatch(/\nhint: Pin a version instead/);
  });

  it("reports a missing tag with the nearest tags, exit 5 (not found)", async () => {
    const { code, err } = await runCli("taskdef", "render", p.step, "--env", "dev", "--project", p.project, "--image", "web=1.4.3");
    expect(code).toBe(5);
    expect(err).toBe('error: No image is tagged "1.4.3" in the repository shop/web (container "web").\nhint: The nearest tags are: 1.4.2, 1.4.7. Push the image, or choose one with --image web=<tag>.');
  });

  it("reports every problem of a broken step file, exit 2 and no stack trace", async () => {
    const { code, out, err } = await runCli("taskdef", "register", join(p.dir, "broken.step.yaml"), "--env", "dev", "--project", p.project);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    const lines = err.split("\n");
    expect(lines[0]).toBe(`error: 9 problems in ${join(p.dir, "broken.step.yaml")}.`);
    expect(lines).toContain(`  ${join(p.dir, "broken.step.yaml")}:6:7 /definition/containerDefinitions/0/memroy: Unknown key "memroy".`);
    expect(lines).toContain("    fix: The environments are: dev, prod (and default: for every environment).");
    expect(err).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it("refuses an environment the project does not have", async () => {
    const { code, err } = await runCli("taskdef", "render", p.step, "--env", "staging", "--project", p.project);
    expect(code).toBe(5);
    expect(err).toMatch(/^error: There is no environment "staging" in this project\./);
  });
});
