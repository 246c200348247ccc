import type { ModeName } from "./input.js";
import type { ServiceMode } from "./mode.js";
import { ecsBlueGreenMode, ecsCanaryMode, ecsLinearMode } from "./native/index.js";
import { rollingMode } from "./rolling/index.js";
import { blueGreenMode, canaryMode } from "./task-sets/index.js";

/** Every deployment mode by its mode: name — the one place a mode is chosen (STYLE lesson 3). */
const modes: Record<ModeName, ServiceMode> = {
  rolling: rollingMode,
  canary: canaryMode,
  "blue-green": blueGreenMode,
  "ecs-blue-green": ecsBlueGreenMode,
  "ecs-linear": ecsLinearMode,
  "ecs-canary": ecsCanaryMode,
};

export function modeFor(name: ModeName): ServiceMode {
  return modes[name];
}
