import type { Handler } from "../module.js";

export const serviceDeploymentOperations: Record<string, Handler> = {};
