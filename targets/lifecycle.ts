import { NotFoundError } from "../src/errors.js";

/** One stage of a project's lifecycle. */
export interface Environment {
  name: string;
  /** A release may be promoted past an optional environment without deploying to it. */
  optional: boolean;
  description?: string;
}

/**
 * The environments in the order a release is promoted through them (dev → test → prod). Only the order is
 * known here; which promotions a release's history allows is decided by the release code on top of this.
 */
export class Lifecycle {
  readonly environments: readonly Environment[];

  constructor(environments: readonly Environment[]) {
    this.environments = environments;
  }

  get names(): string[] {
    return this.environments.map((e) => e.name);
  }

  get(name: string): Environment {
    const environment = this.environments.find((e) => e.name === name);
    if (!environment) throw new NotFoundError(`There is no environment "${name}" in this project.`, `The environments are, in order: ${this.names.join(", ")}.`);
    return environment;
  }

  indexOf(name: string): number {
    return this.environments.indexOf(this.get(name));
  }

  /** The environment right after `name`; undefined after the last one. */
  next(name: string): Environment | undefined {
    return this.environments[this.indexOf(name) + 1];
  }

  /** Whether promotion may pass over this environment without deploying to it. */
  mayBeSkipped(name: string): boolean {
    return this.get(name).optional;
  }

  /**
   * Where a release may go next after `from` (from the start when undefined): the next environment and, while
   * that one may be skipped, the ones after it, up to and including the first that may not.
   */
  reachableAfter(from: string | undefined): Environment[] {
    const start = from === undefined ? 0 : this.indexOf(from) + 1;
    const reachable: Environment[] = [];
    for (const environment of this.environments.slice(start)) {
      reachable.push(environment);
      if (!environment.optional) break;
    }
    return reachable;
  }
}
