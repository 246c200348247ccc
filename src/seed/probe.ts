import type { LoadedProject } from "../config/load.js";
import type { Problem } from "../errors.js";

/** What answered at an endpoint's /_sim/health. */
type Answer = { simulator: true } | { simulator: false; why: string };

/** Whether a slipway simulator answers there: its /_sim/health says {ok: true, now, speed}. AWS and other emulators do not. */
async function probe(endpoint: string): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(new URL("/_sim/health", endpoint), { signal: AbortSignal.timeout(3_000), redirect: "manual" });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return { simulator: false, why: `nothing answered (${cause})` };
  }
  const body: unknown = await res.json().catch(() => undefined);
  const health = body as { ok?: unknown; now?: unknown; speed?: unknown } | undefined;
  if (res.ok && health?.ok === true && typeof health.now === "string" && typeof health.speed === "number") return { simulator: true };
  return { simulator: false, why: `GET /_sim/health answered ${res.status} without a slipway simulator's {ok, now, speed}` };
}

/**
 * Every environment whose target is not a running slipway simulator, as a problem of the targets file: no endpoint
 * (AWS itself), or an endpoint where no simulator answers. Seeding writes nothing unless this is empty, so it can
 * never create anything in a real AWS account. Each endpoint is asked once.
 */
export async function notSimulators(loaded: LoadedProject): Promise<Problem[]> {
  const file = loaded.project.targetsFile ?? loaded.project.file;
  const answers = new Map<string, Promise<Answer>>();
  const problems: Problem[] = [];
  for (const environment of loaded.project.lifecycle.names) {
    const target = loaded.targets.get(environment);
    const path = `/targets/${environment}`;
    if (!target?.endpoint) {
      problems.push({ file, path, message: `the ${environment} target has no endpoint: it is AWS itself, and seeding only ever writes to a slipway simulator.`, hint: "Add endpoint: http://127.0.0.1:4599 (where `slipway sim start` listens) to try the project on the simulator." });
      continue;
    }
    let answer = answers.get(target.endpoint);
    if (!answer) {
      answer = probe(target.endpoint);
      answers.set(target.endpoint, answer);
    }
    const found = await answer;
    if (!found.simulator) {
      problems.push({ file, path: `${path}/endpoint`, message: `${target.endpoint} is not a slipway simulator: ${found.why}.`, hint: `Start one there (slipway sim start --project ${loaded.project.file}), or point the endpoint at one.` });
    }
  }
  return problems;
}
