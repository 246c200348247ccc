import type { ProjectVariables } from "../config/process-model.js";
import { Redactor } from "../releases/redactor.js";
import type { Release } from "../releases/release.js";

/**
 * The secret values this server knows — the secret variables' values in its own environment, which is where the
 * deployments it runs read them — replaced by "***" in every answer. Deployments already redact what they write;
 * this also covers what they record verbatim (journal results), and whatever a future writer forgets.
 */
export class AnswerRedactor {
  private readonly redactor = new Redactor();
  private readonly learned = new Set<string>();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    variables: ProjectVariables,
  ) {
    this.learn(variables);
  }

  private learn(variables: ProjectVariables): void {
    for (const values of Object.values(variables)) {
      for (const value of Object.values(values)) {
        if (typeof value !== "object" || !("fromEnv" in value)) continue;
        const secret = this.env[value.fromEnv];
        if (secret !== undefined && secret !== "") this.redactor.add(secret);
      }
    }
  }

  /** Adds the secrets of an older release, whose variables may name other environment variables. */
  learnRelease(release: Release): void {
    if (this.learned.has(release.version)) return;
    this.learned.add(release.version);
    this.learn(release.snapshot.variables);
  }

  value<T>(value: T): T {
    return this.redactor.value(value);
  }
}
