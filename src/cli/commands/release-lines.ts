import type { Release } from "../../releases/release.js";

/** One line per chosen image: "web shop/web 1.4.2 sha256:…". */
export function releaseLines(release: Release): string[] {
  const lines = [`release ${release.version} (channel ${release.channel}) created ${release.createdAt} by ${release.createdBy}${release.notes ? `: ${release.notes}` : ""}`];
  for (const step of release.snapshot.steps) {
    lines.push(`  ${step.name} (${step.uses}${step.environments ? `, only in ${step.environments.join(", ")}` : ""})`);
    if (step.uses === "task-definition") for (const i of step.images) lines.push(`    ${i.container}: ${i.repository}:${i.tag ?? "(digest)"} ${i.digest}`);
  }
  return lines;
}

/** A release in `release list`: version, channel, when, who, notes. */
export function releaseListLine(r: Pick<Release, "version" | "channel" | "createdAt" | "createdBy" | "notes">): string {
  return `${r.version.padEnd(16)} ${r.channel.padEnd(10)} ${r.createdAt}  ${r.createdBy}${r.notes ? `  ${r.notes}` : ""}`;
}
