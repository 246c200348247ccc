import type { Differences } from "../module.js";

/** What the simulated Application Auto Scaling is known to do differently from AWS (shown on src/sim/README.md). */
export const differences: Differences = {
  service: [
    "Only ECS services scale (`ServiceNamespace` `ecs`, `ecs:service:DesiredCount`).",
    "There are no scaling policies, scheduled actions or tag operations, and no CloudWatch: a service scales only through `POST /_sim/autoscaling/scale`, which stands in for a target-tracking alarm.",
    "AWS publishes no API rates for the service: its throttling bucket's figures are the simulator's own.",
  ],
  operations: {
    RegisterScalableTarget: [
      "A namespace other than `ecs` is refused with a `ValidationException` in the simulator's own words.",
      "A desired count outside `[MinCapacity, MaxCapacity]` is moved inside at once, through `UpdateService`; AWS does it shortly after answering.",
    ],
  },
};
