import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import type { Output } from "../output.js";

/** `slipway keys create|list|revoke`: the API keys `slipway serve` accepts, each with its scopes. */
export function registerKeys(program: Command, io: Output): void {
  const keys = program.command("keys").description("API keys for `slipway serve`, each with scopes per environment");
  const withProject = (c: Command) => c.option("--project <file>", "the project file (the keys live in its store)", "slipway.yaml");

  withProject(keys.command("create"))
    .description("create a key and print its secret — the only time it is shown")
    .argument("<name>", "names the key in the audit log, e.g. ci-dev")
    .option("--read", "may read everything: releases, deployments and their events, status, history, the feed")
    .option("--create-releases", "may create releases")
    .option("--deploy <envs>", "may deploy to these environments, e.g. dev,test (* for every one)")
    .option("--approve <envs>", "may approve or abort deployments in these environments, e.g. dev (* for every one)")
    .action(lazily(() => import("./keys.js"), (m) => m.createAction(io)));

  withProject(keys.command("list"))
    .description("list the keys and their scopes (never their secrets)")
    .option("--json", "print JSON (default: text)")
    .action(lazily(() => import("./keys.js"), (m) => m.listAction(io)));

  withProject(keys.command("revoke"))
    .description("revoke a key: the API refuses it from now on")
    .argument("<name>", "the key's name")
    .action(lazily(() => import("./keys.js"), (m) => m.revokeAction(io)));
}
