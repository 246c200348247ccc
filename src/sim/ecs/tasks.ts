import type { Handler } from "../module.js";

export const taskOperations: Record<string, Handler> = {};
