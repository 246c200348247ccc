import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDeployableProject } from "../../src/config/load.js";
import { problemsOf } from "./helpers.js";

/** The example project with its service step's text changed: `from` replaced by `to`. */
function exampleWith(from: string, to: string): string {
  const dir = mkdtempSync(join(tmpdir(), "slipway-targets-"));
  cpSync("examples", dir, { recursive: true });
  const step = join(dir, "steps", "web.service.yaml");
  const text = readFileSync(step, "utf8");
  expect(text).toContain(from);
  writeFileSync(step, text.replace(from, to));
  return join(dir, "slipway.yaml");
}

/** What ECS would refuse at CreateService, after a revision was registered, is found when the project is read. */
describe("the container and port a service step routes traffic to", () => {
  it("must be a container of the task definition it runs", () => {
    const project = exampleWith("containerName: web", "containerName: webb");
    expect(problemsOf(() => loadDeployableProject(project))).toEqual([
      expect.objectContaining({
        path: "/loadBalancer/containerName",
        line: 9,
        message: expect.stringContaining('loadBalancer.containerName is "webb", but the task definition of "web task definition"') as string,
        hint: 'Did you mean "web"? Its containers are: web.',
      }),
    ]);
  });

  it("must be a port that container maps", () => {
    const project = exampleWith("containerPort: 8080", "containerPort: 80");
    expect(problemsOf(() => loadDeployableProject(project))).toEqual([
      expect.objectContaining({ path: "/loadBalancer/containerPort", message: expect.stringContaining('the container "web" in') as string, hint: "Route to a port the container maps, or add { containerPort: 80 } to its portMappings." }),
    ]);
  });

  it("accepts the example as it is", () => {
    expect(loadDeployableProject(exampleWith("containerPort: 8080", "containerPort: 8080")).process.steps.map((s) => s.uses)).toContain("service");
  });
});
