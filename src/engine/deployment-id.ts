import { randomBytes } from "node:crypto";
import { InputError } from "../errors.js";

/** Deployment ids name files (journal, approvals): letters, digits, dots, hyphens and underscores only. */
const safeDeploymentId = /^[A-Za-z0-9._-]+$/;

/** The id, or an InputError saying what a deployment id may hold; `given` says where it came from (a flag, an argument). */
export function checkDeploymentId(id: string, given = "deployment id"): string {
  if (safeDeploymentId.test(id)) return id;
  throw new InputError(
    `"${id}" is not a deployment id (${given}).`,
    "Deployment ids are letters, digits, dots, hyphens and underscores — give the id `slipway service deploy` printed (deployment …), or leave --deployment out for a new one.",
  );
}

/** A new deployment id: what it deploys and where, when, and a random tail so two runs in one second differ. */
export function newDeploymentId(kind: string, environment: string, subject: string): string {
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${kind}-${environment}-${subject}-${stamp}-${randomBytes(3).toString("hex")}`;
}
