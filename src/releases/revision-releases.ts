import type { TaskDefinitionReader } from "../aws/task-definitions.js";
import type { Store } from "../engine/store.js";
import type { DeploymentRun } from "./deployment-run.js";
import { taskDefinitionArnOf } from "./held-revisions.js";
import { releaseTag } from "../../steps/task-definition/ownership.js";

const namesRevision = (output: unknown, arn: string) => taskDefinitionArnOf(output) === arn;

/** The release the run says the revision belongs to, if it says. */
function releaseIn(run: DeploymentRun, arn: string): string | undefined {
  if (run.kind === "deploy") return Object.values(run.outputs).some((o) => namesRevision(o, arn)) ? run.release : undefined;
  if (run.rollback.to.taskDefinition === arn) return run.rollback.to.release;
  if (run.rollback.from.taskDefinition === arn) return run.rollback.from.release;
  return undefined;
}

/** The release the revision's slipway:release tag names, when the project has it; a read that fails knows nothing. */
async function taggedRelease(store: Store, reader: Pick<TaskDefinitionReader, "describe">, arn: string): Promise<string | undefined> {
  const described = await reader.describe(arn).catch(() => undefined);
  const tagged = described?.tags.find((t) => t.key === releaseTag)?.value;
  return tagged !== undefined && (await store.releases.get(tagged)) ? tagged : undefined;
}

/**
 * Which release of the project each revision belongs to, for a rollback's from and to. The environment's runs are
 * asked first, newest first: a deployment whose step outputs name the revision, or a rollback to or from it. They
 * say which release last put that revision there — also when a later release reused an identical revision the
 * tag would credit to an earlier one. Otherwise the revision's slipway:release tag (the release that registered
 * it), when this project has that release: a tag written by hand (`slipway taskdef --release`) or by another
 * project claims nothing. Otherwise the revision has no release (absent from the map's value): nothing is claimed.
 * Never throws for a tag it cannot read: a rollback must not wait on knowing a release's name.
 */
export async function releasesOfRevisions(store: Store, environment: string, reader: Pick<TaskDefinitionReader, "describe">, arns: readonly string[]): Promise<Map<string, string | undefined>> {
  const runs = await store.runs.list({ environment, limit: 1000 });
  const found = new Map<string, string | undefined>();
  for (const arn of new Set(arns)) {
    let release: string | undefined;
    for (const run of runs) {
      release = releaseIn(run, arn);
      if (release !== undefined) break;
    }
    found.set(arn, release ?? (await taggedRelease(store, reader, arn)));
  }
  return found;
}
