import type { Release, SnapshotPackage } from "../../releases/release.js";
import type { ReleasePlan } from "../../releases/release-plan.js";

/** A package: the revision chosen, how, and each image as every environment runs it. */
export function packageLines(pkg: SnapshotPackage): string[] {
  return [
    `    package ${pkg.family}:${pkg.revision} from ${pkg.chosenIn} (${pkg.chosenBy}), content ${pkg.content.slice(0, 12)}`,
    ...pkg.images.map((i) => `    ${i.container}: ${i.image}${i.tag !== undefined && i.digest !== undefined && i.image !== i.registered ? ` (was ${i.tag})` : ""}${i.unpinned !== undefined ? ` (not pinned: ${i.unpinned})` : ""}`),
  ];
}

/** One line per chosen image: "web shop/web 1.4.2 sha256:…". */
export function releaseLines(release: Release): string[] {
  const lines = [`release ${release.version} (channel ${release.channel}) created ${release.createdAt} by ${release.createdBy}${release.notes ? `: ${release.notes}` : ""}`];
  for (const step of release.snapshot.steps) {
    lines.push(`  ${step.name} (${step.uses}${step.environments ? `, only in ${step.environments.join(", ")}` : ""})`);
    if (step.uses === "task-definition") for (const i of step.images) lines.push(`    ${i.container}: ${i.repository}:${i.tag ?? "(digest)"} ${i.digest}`);
    if (step.uses === "service" && step.package) lines.push(...packageLines(step.package));
  }
  return lines;
}

/** A release in `release list`: version, channel, when, who, notes. */
export function releaseListLine(r: Pick<Release, "version" | "channel" | "createdAt" | "createdBy" | "notes">): string {
  return `${r.version.padEnd(16)} ${r.channel.padEnd(10)} ${r.createdAt}  ${r.createdBy}${r.notes ? `  ${r.notes}` : ""}`;
}

/** `release plan` for people: per package its choice and what else it could take; per step its images. */
export function releasePlanLines(plan: ReleasePlan): string[] {
  const lines = [`a release in channel ${plan.channel} would choose, in ${plan.environment}:`];
  for (const p of plan.packages) {
    lines.push(`  ${p.step}: package ${p.family}:${p.chosen} (${p.chosenBy})`);
    if (p.refused) lines.push(`    refused: ${p.refused.message}${p.refused.hint !== undefined ? ` ${p.refused.hint}` : ""}`);
    lines.push(`    could take, newest first: ${p.candidates.map((c) => c.revision).join(", ")}`);
  }
  for (const step of plan.images) for (const i of step.images) lines.push(`  ${step.step}: ${i.container} ${i.repository}:${i.tag ?? "(digest)"} ${i.digest}`);
  if (plan.packages.length === 0 && plan.images.length === 0) lines.push("  nothing: the process has no task definition step and no service step package");
  return lines;
}
