import type { Handler } from "../module.js";

export const tagOperations: Record<string, Handler> = {};
