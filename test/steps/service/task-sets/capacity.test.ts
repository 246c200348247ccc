import { describe, expect, it } from "vitest";
import { trafficBeyondCapacity } from "../../../../steps/service/task-sets/capacity.js";
import { toStage, type RawStage } from "../../../../steps/service/task-sets/stages.js";

const label = (_stage: unknown, index: number) => `stage ${index + 1}`;
const warn = (raw: RawStage[], desiredCount: number) => trafficBeyondCapacity(raw.map(toStage), desiredCount, label);

describe("traffic beyond the canary's capacity", () => {
  it("warns with the numbers when a 20 % canary of 5 tasks (one task) gets half the traffic", () => {
    expect(warn([{ canaryRollout: { scale: 20 } }, { trafficRouting: { canary: 50 } }, { primaryRollout: {} }, { trafficRouting: { primary: 100 } }], 5)).toEqual([
      "warning: stage 2 sends 50% of the traffic to 1 new task(s), 20% of the service's 5 (scale 20%): each carries 2.5× a task's usual load. Raise the rollout's scale to 50% or lower the share to 20%.",
    ]);
  });

  it("counts whole tasks as ECS does: 10 % of 2 tasks is one task, half the capacity, so 10 % of the traffic is fine", () => {
    expect(warn([{ canaryRollout: { scale: 10 } }, { trafficRouting: { canary: 10 } }, { pause: { seconds: 300 } }, { primaryRollout: {} }, { trafficRouting: { primary: 100 } }, { canaryClean: {} }], 2)).toEqual([]);
  });

  it("says nothing of blue/green (the green stack is full size) nor of traffic after the primary rollout", () => {
    expect(warn([{ greenRollout: {} }, { trafficRouting: { green: 100 } }, { pause: { seconds: 300 } }, { clean: {} }], 4)).toEqual([]);
    expect(warn([{ canaryRollout: { scale: 25 } }, { primaryRollout: {} }, { trafficRouting: { canary: 100 } }], 4)).toEqual([]);
  });
});
