import type { SecretStore } from "../../src/aws/secrets.js";
import { executePlan, type ExecutionContext } from "../../src/engine/executor.js";
import type { Plan } from "../../src/engine/plan.js";
import { planSecrets, versionedReference, type OwnedSecret, type SecretAction, type SecretSource, type SecretState } from "./secret-sources.js";

export interface ProvidedSecrets {
  plan: Plan<SecretAction>;
  /** variable → what its `${VARIABLE}` placeholder becomes in the template. */
  references: Record<string, string>;
}

export interface ProvideOptions {
  step: string;
  environment: string;
  kmsKeyId?: string;
  /** Plan only: owned secrets whose value would change get a placeholder reference. */
  dryRun: boolean;
  execution: ExecutionContext;
}

/**
 * Makes every owned secret hold the value read for this deployment (writing only where it differs, each write
 * journalled) and answers the references the template's placeholders become.
 */
export async function provideSecrets(sources: readonly SecretSource[], store: SecretStore, options: ProvideOptions): Promise<ProvidedSecrets> {
  const owned = sources.filter((s): s is OwnedSecret => s.kind === "owned");
  const states = new Map<string, SecretState | undefined>(await Promise.all(owned.map(async (s) => [s.name, await store.read(s.name, s.value)] as const)));
  const plan = planSecrets(options.step, owned, states);
  const references: Record<string, string> = {};
  for (const source of sources) if (source.kind === "reference") references[source.variable] = source.valueFrom;
  for (const secret of owned) {
    const state = states.get(secret.name);
    if (state?.matches) references[secret.variable] = versionedReference(state.arn, state.versionId);
    else if (options.dryRun) references[secret.variable] = `(a new version of the secret ${secret.name})`;
  }
  if (options.dryRun || plan.actions.length === 0) return { plan, references };
  const byVariable = new Map(owned.map((s) => [s.variable, s]));
  const valueOf = (variable: string) => byVariable.get(variable)?.value ?? "";
  const executed = await executePlan(
    plan,
    async (action) => {
      if (action.kind === "put-secret-value") {
        const { versionId } = await store.put(action.params.arn, valueOf(action.params.variable));
        return { arn: action.params.arn, versionId };
      }
      const secret = byVariable.get(action.params.variable);
      const tags = [
        { Key: "slipway:project", Value: secret?.project ?? "" },
        { Key: "slipway:environment", Value: options.environment },
        { Key: "slipway:variable", Value: action.params.variable },
      ];
      return store.create(action.params.name, valueOf(action.params.variable), { tags, description: `${action.params.variable} for ${options.environment}, kept by slipway`, ...(options.kmsKeyId !== undefined && { kmsKeyId: options.kmsKeyId }) });
    },
    options.execution,
  );
  for (const { action, result } of executed) {
    const { arn, versionId } = result as { arn: string; versionId: string };
    references[action.params.variable] = versionedReference(arn, versionId);
  }
  return { plan, references };
}
