import { exitCodes } from "./exit-codes.js";
import type { Output } from "./output.js";

export interface SignalStop {
  /** Aborted at the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** Removes the handlers: signals act as Node's default again. */
  dispose(): void;
}

/**
 * Ctrl-C during a deployment: the first SIGINT or SIGTERM asks the run to stop at its next safe point (the AWS
 * write in flight and its journal entry finish; nothing new starts), so it can say where it stopped and release
 * its lock. A second signal exits at once, as a person pressing Ctrl-C twice expects.
 */
export function stopOnSignal(io: Output): SignalStop {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      io.err(`${name} again: exiting now; \`slipway resume\` finds what the journal recorded`);
      process.exit(exitCodes.interrupted.code);
    }
    io.err(`${name}: stopping once the AWS write in flight is recorded (${name === "SIGINT" ? "Ctrl-C" : name} again exits at once)`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
