import type { Interrupted } from "../../../src/engine/interruption.js";
import { InterruptedError } from "../../../src/errors.js";
import type { DeploymentFacts } from "./facts.js";
import { otherShare } from "./weights.js";
import type { World } from "./world.js";

/** "live 50% / other 50%" across the gathered rules; each distinct split once (they differ only mid-stage). */
function trafficOf(world: World, facts: DeploymentFacts): string | undefined {
  const splits = new Set<string>();
  for (const rule of facts.rules) {
    const actions = world.actions[rule.arn];
    const other = actions && otherShare(actions, facts.targetGroups);
    if (other === undefined) continue;
    const shown = Math.round(other * 10) / 10;
    splits.add(`${Math.round((100 - shown) * 10) / 10}% live / ${shown}% other`);
  }
  return splits.size === 0 ? undefined : [...splits].join(" and ");
}

/** "stage 6 approval" → "stage 6 (approval)". */
function placeOf(where: string | undefined): string {
  const stage = /^stage (\d+) (.+)$/.exec(where ?? "");
  if (stage) return `stage ${stage[1]} (${stage[2]})`;
  return where ?? "before the first stage";
}

/**
 * What a person needs after stopping a deployment: where it stood, how traffic is split now, and what slipway can
 * do from there. Only an approval stage has a gate `slipway abort` can decide, so only there is rolling back offered.
 */
export function interruptedError(interrupted: Interrupted, facts: DeploymentFacts, world: World): InterruptedError {
  const id = facts.deploymentId;
  const traffic = trafficOf(world, facts);
  const message = `interrupted at ${placeOf(interrupted.where)}${traffic ? `: traffic ${traffic}` : ""}`;
  let next: string;
  if (interrupted.where === "rollback") next = `run \`slipway resume ${id}\` to finish rolling back`;
  else if (/^stage \d+ approval$/.test(interrupted.where ?? "")) next = `run \`slipway resume ${id}\` to wait at the gate again, or \`slipway abort ${id}\` then \`slipway resume ${id}\` to roll back`;
  else next = `run \`slipway resume ${id}\` to continue from there`;
  return new InterruptedError(`${message}; ${next}`);
}
