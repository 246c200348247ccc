import type { Command } from "commander";
import type { Output } from "../output.js";
import { registerDecision } from "./approve.js";

/** `slipway abort <deployment>`: the waiting deployment stops and rolls back. */
export function registerAbort(program: Command, io: Output): void {
  registerDecision(program, io, "abort", "aborted", "abort a deployment waiting at a manual intervention gate: it stops and rolls back");
}
