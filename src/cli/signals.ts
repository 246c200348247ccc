/** Ctrl-C, a supervisor's SIGTERM, and a closed terminal (SIGHUP): each stops a long-running command cleanly. */
export const stopSignals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
