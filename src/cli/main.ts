import { Command, CommanderError } from "commander";
import { SlipwayError, InputError } from "../errors.js";
import { exitCodeOf, exitCodes, exitCodeTable } from "./exit-codes.js";
import { processOutput, type Output } from "./output.js";
import { stopSignals } from "./signals.js";
import { packageVersion } from "../config/package-root.js";
import { registerApprovals } from "./commands/approvals-command.js";
import { registerDeploy } from "./commands/deploy-command.js";
import { registerDemo } from "./commands/demo-command.js";
import { registerRelease } from "./commands/release-command.js";
import { registerStatus } from "./commands/status-command.js";
import { registerFeed } from "./commands/feed-command.js";
import { registerKeys } from "./commands/keys-command.js";
import { registerServe } from "./commands/serve-command.js";
import { registerHistory } from "./commands/history-command.js";
import { registerInit } from "./commands/init-command.js";
import { registerRollback } from "./commands/rollback-command.js";
import { registerResume } from "./commands/resume-command.js";
import { registerService } from "./commands/service-command.js";
import { registerSim } from "./commands/sim.js";
import { registerTaskdef } from "./commands/taskdef-command.js";
import { registerTargets } from "./commands/targets-command.js";
import { registerValidate } from "./commands/validate-command.js";

/** Waits for Ctrl-C or SIGTERM, then stops what was started. */
function untilSignalled(stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      for (const signal of stopSignals) process.off(signal, finish);
      void stop().then(resolve);
    };
    for (const signal of stopSignals) process.on(signal, finish);
  });
}

export interface RunOptions {
  io?: Output;
  keepAlive?: (stop: () => Promise<void>) => Promise<void>;
}

export function buildProgram(io: Output, keepAlive: RunOptions["keepAlive"] = untilSignalled): Command {
  const program = new Command("slipway")
    .description("Deploy containerised services to Amazon ECS: releases, environments, canaries and verification.")
    .version(packageVersion(), "-V, --version", "print slipway's version")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .addHelpText("after", `\n${exitCodeTable()}`);
  registerSim(program, io, keepAlive);
  registerValidate(program, io);
  registerInit(program, io);
  registerTargets(program, io);
  registerDemo(program, io, keepAlive);
  registerRelease(program, io);
  registerDeploy(program, io);
  registerStatus(program, io);
  registerTaskdef(program, io);
  registerFeed(program, io, keepAlive);
  registerServe(program, io, keepAlive);
  registerKeys(program, io);
  registerService(program, io);
  registerResume(program, io);
  registerRollback(program, io);
  registerHistory(program, io);
  registerApprovals(program, io);
  return program;
}

/** Prints an error the way a person can act on: what went wrong, then how to fix it. Returns the exit code. */
export function report(error: unknown, io: Output): number {
  // Commander has already printed what was wrong (an unknown option, a missing argument); help and --version end 0.
  if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok.code : exitCodes.input.code;
  if (error instanceof SlipwayError) {
    // A person stopped it: not an error, and 130 is the shell's "ended by SIGINT".
    if (error.kind === "interrupted") {
      io.err(error.message);
      if (error.hint) io.err(error.hint);
      return exitCodes.interrupted.code;
    }
    io.err(`error: ${error.message}`);
    if (error instanceof InputError) {
      for (const p of error.problems) {
        const where = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`;
        io.err(`  ${where} ${p.path}: ${p.message}\n    fix: ${p.hint}`);
      }
    }
    if (error.hint) io.err(`hint: ${error.hint}`);
    return exitCodeOf(error.kind);
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`error: unexpected failure: ${message}`);
  io.err("hint: this is a bug in slipway; run again with SLIPWAY_DEBUG=1 for details and report it.");
  if (process.env.SLIPWAY_DEBUG && error instanceof Error) io.err(error.stack ?? "");
  return exitCodes.unexpected.code;
}

export async function run(argv: string[], options: RunOptions = {}): Promise<number> {
  const io = options.io ?? processOutput;
  const program = buildProgram(io, options.keepAlive);
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    return report(error, io);
  }
}
