import { loadProject, type LoadedProject } from "../../config/load.js";
import { describeListener, type Target } from "../../../targets/target.js";
import type { Environment } from "../../../targets/lifecycle.js";
import type { Output } from "../output.js";

interface TargetRow {
  environment: string;
  optional: boolean;
  description?: string;
  target: Target;
}

function rows({ project, targets }: LoadedProject): TargetRow[] {
  return project.lifecycle.environments.map((e: Environment) => ({
    environment: e.name,
    optional: e.optional,
    ...(e.description !== undefined && { description: e.description }),
    // loadProject guarantees every environment has a target.
    target: targets.get(e.name) as Target,
  }));
}

/** Columns padded to their widest cell; the last column is not padded so lines carry no trailing spaces. */
function table(header: string[], body: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
  return [header, ...body].map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "));
}

function identity(target: Target): string {
  if (target.roleArn) return target.roleArn + (target.externalId ? " (external ID)" : "");
  return target.account ?? (target.profile ? `profile ${target.profile}` : "-");
}

function asText(list: TargetRow[]): string[] {
  return table(
    ["ENVIRONMENT", "REGION", "CLUSTER", "ACCOUNT/ROLE", "ENDPOINT", "LISTENER", "PRIMARY", "CANARY"],
    list.map(({ environment, optional, target: t }) => [
      environment + (optional ? " (optional)" : ""),
      t.region,
      t.cluster,
      identity(t),
      t.endpoint ?? "AWS",
      t.loadBalancer ? describeListener(t.loadBalancer.listener) : "-",
      t.loadBalancer?.targetGroups.primary ?? "-",
      t.loadBalancer?.targetGroups.canary ?? "-",
    ]),
  );
}

/** The action of `targets` (its definition, loaded at start, is in targets-command.ts). */
export const targetsAction = (io: Output) =>
  (opts: { project: string; json?: boolean }) => {
    const list = rows(loadProject(opts.project));
    if (opts.json) {
      const json = list.map(({ environment, optional, description, target: { environment: _, ...target } }) => ({ environment, optional, ...(description !== undefined && { description }), ...target }));
      io.out(JSON.stringify(json, null, 2));
      return;
    }
    for (const line of asText(list)) io.out(line);
  };
