import type { Command } from "commander";
import { runDemo, type DemoOptions } from "../../demo/run-demo.js";
import { InputError } from "../../errors.js";
import { parsePort } from "../flags.js";
import type { Output } from "../output.js";
import { refuseTakenPort } from "../port-check.js";
import { stopSignals } from "../signals.js";
import { startDemoServer } from "./demo-server.js";

interface DemoFlags {
  serve: boolean;
  port: string;
  speed: string;
  frontendBasePort: string;
  keepProject?: boolean;
}

const isCi = () => /^(1|true)$/i.test(process.env.CI ?? "");

/**
 * `slipway demo` (`npm run demo`): the whole job on the embedded simulator. With the dashboard (the default on a
 * laptop) the prod canary waits for a person to approve it there, and the dashboard keeps running afterwards;
 * with --no-serve or CI=true the canary is approved by the demo itself and everything stops at the end.
 * Its definition, loaded at start, is in demo-command.ts.
 */
export const demoAction = (io: Output, keepAlive: (stop: () => Promise<void>) => Promise<void>) =>
  async (flags: DemoFlags, command: Command) => {
    const serveGiven = command.getOptionValueSource("serve") === "cli";
    const serve = serveGiven ? flags.serve : flags.serve && !isCi();
    const speed = Number(flags.speed);
    if (!Number.isFinite(speed) || speed <= 0) throw new InputError(`--speed must be a positive number, got "${flags.speed}".`, "For example: --speed 60");
    const port = parsePort(flags.port, 4600);
    // Before anything starts: a dashboard URL where something else answers would be worse than no demo.
    if (serve) await refuseTakenPort(port, "--port");
    const frontendBasePort = flags.frontendBasePort === undefined ? (serve ? 8080 : 0) : parsePort(flags.frontendBasePort, 8080);
    const options: DemoOptions = {
      speed,
      frontendBasePort,
      autoApprove: !serve,
      say: io.out,
      ...(serve && {
        startServer: (context) => startDemoServer(context, port),
        onWaiting: (gate, url) => io.out(`  the prod canary waits for you: approve "${gate.stage}" on ${url ?? "the dashboard"} (or run: slipway approve ${gate.deploymentId} --project <the project above>)`),
      }),
    };
    // A signal or a reader gone (`slipway demo | head`) before the end stops the simulator and the rest;
    // afterwards keepAlive takes the signals, and the reader going away still stops everything.
    const interrupt = new AbortController();
    const onSignal = () => interrupt.abort();
    for (const signal of stopSignals) process.once(signal, onSignal);
    void io.closed?.then(onSignal);
    let result: Awaited<ReturnType<typeof runDemo>>;
    try {
      result = await runDemo({ ...options, signal: interrupt.signal });
    } finally {
      for (const signal of stopSignals) process.off(signal, onSignal);
    }
    let finishing: Promise<void> | undefined;
    const finish = () =>
      (finishing ??= result.stop().then(() => {
        if (!flags.keepProject) result.removeProject();
      }));
    const kept = flags.keepProject ? `; its project stays at ${result.projectFile}` : "";
    if (!serve) {
      await finish();
      io.out(`done in ${result.seconds.toFixed(1)}s; everything the demo started has stopped${kept}.`);
      return;
    }
    io.out(`done in ${result.seconds.toFixed(1)}s. The dashboard keeps running at ${result.serverUrl ?? "?"}; the simulator at ${result.endpoint}. Ctrl-C stops both${flags.keepProject ? "" : " and removes the demo's temporary project"}.`);
    io.out(`  try: npx slipway status --project ${result.projectFile}`);
    await Promise.race([keepAlive(finish), ...(io.closed ? [io.closed.then(finish)] : [])]);
  };
