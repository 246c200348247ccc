import type { Handler } from "../module.js";

export const taskSetOperations: Record<string, Handler> = {};
