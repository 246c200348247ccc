import type { Action, Plan } from "../../src/engine/plan.js";

/**
 * Where one secret variable's value comes from in a deployment. A secret reaches a container only through an ECS
 * `secrets` entry whose valueFrom is `${VARIABLE}`; what that placeholder becomes is decided here:
 * - owned: the deploying process read the value (fromEnv); slipway keeps it in the Secrets Manager secret
 *   `name`, and the placeholder becomes that secret's ARN pinned to the version holding the value. The value
 *   lives in memory only: it is never part of a plan, an action's parameters, the journal or an output.
 * - reference: a secret the team manages; the placeholder becomes its ARN, and slipway never reads it.
 */
export type SecretSource = { variable: string; kind: "owned"; name: string; project: string; value: string } | { variable: string; kind: "reference"; valueFrom: string };

export type OwnedSecret = Extract<SecretSource, { kind: "owned" }>;

export type SecretAction = Action<"create-secret", { variable: string; name: string }> | Action<"put-secret-value", { variable: string; name: string; arn: string }>;

/** An owned secret as read: undefined when it does not exist yet. */
export interface SecretState {
  arn: string;
  versionId: string;
  matches: boolean;
}

/**
 * The reference ECS resolves when a task starts, pinned to one version (ARN:json-key:version-stage:version-id,
 * the first two empty). Pinning makes a rotated value a changed task definition — a new revision and so a new
 * deployment, which is how running tasks get the new value — and makes a rollback run the value it ran with.
 */
export function versionedReference(arn: string, versionId: string): string {
  return `${arn}:::${versionId}`;
}

/** Owned secrets vs what Secrets Manager holds → create or put a new version only where the value differs. Pure. */
export function planSecrets(step: string, owned: readonly OwnedSecret[], current: ReadonlyMap<string, SecretState | undefined>): Plan<SecretAction> {
  const actions: SecretAction[] = [];
  const notes: string[] = [];
  for (const secret of owned) {
    const state = current.get(secret.name);
    if (!state) {
      actions.push({ kind: "create-secret", key: `create-secret ${secret.name}`, summary: `create the secret ${secret.name} holding ${secret.variable}`, params: { variable: secret.variable, name: secret.name } });
    } else if (!state.matches) {
      // The key names the version it replaces: a resumed run whose value changed again puts once more.
      actions.push({ kind: "put-secret-value", key: `put-secret-value ${secret.name} after ${state.versionId}`, summary: `put a new version of the secret ${secret.name}: ${secret.variable} changed`, params: { variable: secret.variable, name: secret.name, arn: state.arn } });
    } else {
      notes.push(`secret ${secret.name} unchanged (version ${state.versionId})`);
    }
  }
  return { step, actions, diff: [], notes };
}
