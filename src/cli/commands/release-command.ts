import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import { throughServerOr, withServer } from "../remote/server-option.js";
import type { Output } from "../output.js";

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerRelease(program: Command, io: Output): void {
  const release = program.command("release").description("create and inspect releases: the process with every image pinned, promoted unchanged through the lifecycle");
  const withProject = (c: Command) => withServer(c.option("--project <file>", "the project file", "slipway.yaml").option("--json", "print JSON (default: text)"));

  withProject(release.command("create"))
    .description("snapshot the deployment process and choose every image and package once (by the step's rule, the channel's, or --image / --package); a release never changes afterwards")
    .argument("<version>", "the release version (semver, e.g. 1.4.0)")
    .option("--channel <name>", "the channel whose version rules apply (default: the project's default channel)")
    .option("--image <choice>", "container=tag or container@sha256:digest, instead of the step's rule (repeatable)", collect, [])
    .option("--package <choice>", "family=revision: a service step's task definition revision, instead of the step's rule (repeatable)", collect, [])
    .option("--notes <text>", "what is in this release, shown with it")
    .action(throughServerOr(lazily(() => import("./release.js"), (m) => m.createAction(io)), lazily(() => import("../remote/remote-release.js"), (m) => m.createAction(io))));

  withProject(release.command("plan"))
    .description("show what a release created now would choose: each package's revision and what else the channel lets it take, each image; creates nothing")
    .option("--channel <name>", "the channel whose rules apply (default: the project's default channel)")
    .option("--image <choice>", "container=tag or container@sha256:digest (repeatable)", collect, [])
    .option("--package <choice>", "family=revision (repeatable)", collect, [])
    .action(throughServerOr(lazily(() => import("./release.js"), (m) => m.planAction(io)), lazily(() => import("../remote/remote-release.js"), (m) => m.planAction(io))));

  withProject(release.command("list"))
    .description("list the releases, newest first")
    .action(throughServerOr(lazily(() => import("./release.js"), (m) => m.listAction(io)), lazily(() => import("../remote/remote-release.js"), (m) => m.listAction(io))));

  withProject(release.command("show"))
    .description("show a release: its steps and the image digests it pins")
    .argument("<version>", "the release version")
    .action(throughServerOr(lazily(() => import("./release.js"), (m) => m.showAction(io)), lazily(() => import("../remote/remote-release.js"), (m) => m.showAction(io))));
}
