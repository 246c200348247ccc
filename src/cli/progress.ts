import { describeSnapshot, type DeploymentProgress } from "../../steps/service/progress.js";
import { awsTime } from "../aws/clock.js";
import type { Output } from "./output.js";

// AWS's clock (the simulator's when it runs), the one ECS's events and history are dated by.
const stamp = (at: Date = awsTime()) => at.toISOString().replace(/\.\d{3}Z$/, "Z");

/** CI logs and pipes: one timestamped line per change, event and note, nothing rewritten. */
export function plainProgress(write: (line: string) => void): DeploymentProgress {
  return {
    status: (s) => write(`${stamp()} status  ${describeSnapshot(s)}`),
    // When slipway saw it, then when ECS recorded it: one clock, AWS's.
    event: (e) => write(`${stamp()} event   ${stamp(e.at)} ${e.message}`),
    note: (line) => write(`${stamp()} ${line}`),
  };
}

const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * A terminal: events and notes scroll as lines, and the deployments' state stays on one spinner line beneath
 * them, redrawn in place, so the screen shows the history and the present at once.
 */
export function terminalProgress(stream: NodeJS.WriteStream): DeploymentProgress {
  let status = "waiting for ECS…";
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => stream.write(`\r\x1b[2K${frames[frame % frames.length] ?? ""} ${status}`.slice(0, (stream.columns ?? 120) + 8));
  const start = () => {
    if (timer) return;
    timer = setInterval(() => {
      frame += 1;
      draw();
    }, 100);
    timer.unref();
  };
  const line = (text: string) => {
    stream.write(`\r\x1b[2K${text}\n`);
    draw();
    start();
  };
  return {
    status: (s) => {
      status = describeSnapshot(s);
      draw();
      start();
    },
    event: (e) => line(`${stamp(e.at)} ${e.message}`),
    note: (text) => line(text),
    stage: (text) => {
      status = text;
      draw();
      start();
    },
    done: () => {
      if (timer) clearInterval(timer);
      timer = undefined;
      stream.write("\r\x1b[2K");
    },
  };
}

/**
 * The progress view for a command: a spinner on an interactive terminal, plain timestamped lines in CI
 * (CI=true) or when output is not a terminal; with --json the lines go to stderr so stdout stays parseable.
 */
export function progressFor(io: Output, options: { json: boolean; interactive: boolean }): DeploymentProgress {
  if (options.interactive && !options.json) return terminalProgress(process.stdout);
  return plainProgress(options.json ? io.err : io.out);
}

/** Whether a spinner makes sense: the real stdout, a terminal, and not CI. */
export function isInteractive(io: Output, processOutput: Output): boolean {
  return io === processOutput && process.stdout.isTTY === true && !/^(1|true)$/i.test(process.env.CI ?? "");
}
