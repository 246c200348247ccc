import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import type { Output } from "../output.js";

/** `slipway feed serve`: each environment's task definitions as packages and versions, until Ctrl-C. */
export function registerFeed(program: Command, io: Output, keepAlive: (stop: () => Promise<void>) => Promise<void>): void {
  const feed = program.command("feed").description("the task definition feed: families as packages, revisions as versions");
  feed
    .command("serve")
    .description("serve the feed over HTTP for every environment of the project")
    .option("--port <n>", "port to listen on (0 picks a free one)", "4600")
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--project <file>", "the project file", "slipway.yaml")
    .option("--open", "serve without read keys; allowed on loopback only (default: keys required)")
    .option("--keys-file <file>", "read keys, one a line, sent as Authorization: Bearer <key>")
    .option("--fresh-seconds <s>", "how long listings are served from cache before ECS is asked again", "30")
    .option("--reconcile-seconds <s>", "how often a family's revisions are listed whole; a deregistered revision can show ACTIVE this long (default: 10 × --fresh-seconds)")
    .action(lazily(() => import("./feed.js"), (m) => m.serveAction(io, keepAlive)));
}
