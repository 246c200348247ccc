import { isLoopbackEndpoint } from "../../aws/clients.js";
import type { LoadedProject } from "../../config/load.js";
import { InputError, type Problem } from "../../errors.js";
import { accountOfTarget } from "../../../targets/target.js";

/** One simulator `sim start --project` runs: where its targets point, and the account its ARNs name. */
export interface SimListener {
  endpoint: string;
  host: string;
  port: number;
  account?: string;
  environments: string[];
}


/**
 * Where `slipway sim start --project` listens: at each endpoint the project's targets name, one simulator per
 * endpoint (an account of its own: environments in one account share an endpoint, and one per account each have
 * theirs). Every target must name an endpoint on this machine; otherwise nothing starts.
 */
export function simListeners(loaded: LoadedProject): SimListener[] {
  const file = loaded.project.targetsFile ?? loaded.project.file;
  const problems: Problem[] = [];
  const listeners = new Map<string, SimListener>();
  for (const environment of loaded.project.lifecycle.names) {
    const target = loaded.targets.get(environment);
    if (!target) continue;
    const endpoint = target.endpoint;
    if (!endpoint || !isLoopbackEndpoint(endpoint)) {
      problems.push({
        file,
        path: `/targets/${environment}${endpoint ? "/endpoint" : ""}`,
        message: endpoint ? `${endpoint} is not on this machine, so the simulator cannot listen there.` : `the ${environment} target has no endpoint: it is AWS itself, and the simulator stands in only for an endpoint on this machine.`,
        hint: "Point it at the simulator: endpoint: http://127.0.0.1:4599.",
      });
      continue;
    }
    const url = new URL(endpoint);
    const key = url.origin;
    const found = listeners.get(key);
    if (found) {
      found.environments.push(environment);
      continue;
    }
    const account = accountOfTarget(target);
    listeners.set(key, { endpoint: key, host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || (url.protocol === "https:" ? 443 : 80)), ...(account && { account }), environments: [environment] });
  }
  if (problems.length > 0) throw new InputError("the simulator cannot stand in for every target of this project; nothing was started.", "sim start --project listens where the targets' endpoints point.", problems);
  return [...listeners.values()];
}
