import type { Handler } from "../module.js";

export const clusterOperations: Record<string, Handler> = {};
