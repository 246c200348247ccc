import type { Handler } from "../module.js";

export const serviceOperations: Record<string, Handler> = {};
