import type { Handler } from "../module.js";

export const taskDefinitionOperations: Record<string, Handler> = {};
