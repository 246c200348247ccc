import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import type { Target } from "../../../targets/target.js";

/** A project name from a service name: lowercase letters, digits and hyphens, starting with a letter. */
function projectName(service: string): string {
  return service.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/^[^a-z]+/, "").slice(0, 63) || "project";
}

/** The files init writes, relative to the project folder, with their YAML. */
export function projectFiles(opts: { service: string; name?: string }, targets: Target[], serviceStep: object, taskdef: { family: string; step: object } | undefined): Map<string, string> {
  const service = opts.service;
  const files = new Map<string, string>();
  const serviceFile = `steps/${service}.service.yaml`;
  const taskdefFile = `steps/${service}.taskdef.yaml`;
  const process = [
    ...(taskdef ? [{ name: `${taskdef.family} task definition`, uses: "task-definition", file: taskdefFile }] : []),
    { name: `${service} service`, uses: "service", file: serviceFile, ...(taskdef && { taskDefinitionFrom: `${taskdef.family} task definition` }) },
  ];
  const project = { apiVersion: "slipway/v1", kind: "Project", name: opts.name ?? projectName(service), environments: targets.map((t) => ({ name: t.environment })), targets: "targets.yaml", process };
  // In targets.yaml a listener given by ARN is the ARN itself.
  const targetMap = Object.fromEntries(
    targets.map(({ environment, loadBalancer, ...t }) => [environment, { ...t, ...(loadBalancer && { loadBalancer: { ...loadBalancer, listener: "arn" in loadBalancer.listener ? loadBalancer.listener.arn : loadBalancer.listener } }) }]),
  );
  files.set("slipway.yaml", `# Written by slipway init from the running service ${service}.\n${stringify(project)}`);
  files.set("targets.yaml", stringify({ apiVersion: "slipway/v1", kind: "Targets", targets: targetMap }));
  if (taskdef) files.set(taskdefFile, `# The task definition ${taskdef.family} as it runs in ${targets[0]?.environment ?? ""}: each image's running tag or digest is its rule.\n${stringify(taskdef.step)}`);
  files.set(serviceFile, `# The service ${service} as it runs${targets.length > 1 ? `; environments: holds what differs from ${targets[0]?.environment ?? ""}` : ""}.\n${stringify(serviceStep)}`);
  return files;
}

export function writeFiles(dir: string, files: Map<string, string>): string[] {
  return [...files].map(([file, text]) => {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  });
}

