import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import type { Output } from "../output.js";

export function registerDemo(program: Command, io: Output, keepAlive: (stop: () => Promise<void>) => Promise<void>): void {
  program
    .command("demo")
    .description("run the main job on the embedded AWS simulator: sample infrastructure, a release through dev, test and prod, then a canary with header-routed verification and an approval")
    .option("--no-serve", "approve the canary automatically and exit at the end, leaving nothing running (default with CI=true)")
    .option("--serve", "keep the dashboard even when CI=true")
    .option("--port <n>", "port of the dashboard and API (0 picks a free one)", "4600")
    .option("--speed <x>", "simulated seconds per real second", "120")
    .option("--frontend-base-port <n>", "first local port of the simulated load balancers (0 picks free ones; default 8080, or free ones without the dashboard)")
    .option("--keep-project", "keep the demo's temporary project and its store when it stops, to look at them afterwards (default: removed)")
    .action(lazily(() => import("./demo.js"), (m) => m.demoAction(io, keepAlive)));
}
