import type { ReleaseSummary } from "../../api/views/release.js";
import type { Release } from "../../releases/release.js";
import type { Output } from "../output.js";
import type { ReleasePlan } from "../../releases/release-plan.js";
import { releaseLines, releaseListLine, releasePlanLines } from "../commands/release-lines.js";
import type { CreateOptions as LocalCreateOptions, PlanOptions as LocalPlanOptions, ReleaseOptions as LocalReleaseOptions } from "../commands/release.js";
import { connect } from "./connect.js";
import type { ServerOptions } from "./server-option.js";

// The local command's options, and where the server is: one definition of what the command takes.
type ReleaseOptions = LocalReleaseOptions & ServerOptions;
type CreateOptions = LocalCreateOptions & ServerOptions;
type PlanOptions = LocalPlanOptions & ServerOptions;

/** `release create` through a server: the server's project, its registry and its store; the key's name records it. */
export const createAction = (io: Output) =>
  async (version: string, opts: CreateOptions) => {
    const { api } = await connect(opts);
    const made = await api.post<Release>("releases", { version, images: opts.image, packages: opts.package, ...(opts.channel !== undefined && { channel: opts.channel }), ...(opts.notes !== undefined && { notes: opts.notes }) });
    if (opts.json) io.out(JSON.stringify(made, null, 2));
    else for (const line of releaseLines(made)) io.out(line);
  };

/** `release list` through a server. */
export const listAction = (io: Output) =>
  async (opts: ReleaseOptions) => {
    const { api } = await connect(opts);
    const { items } = await api.get<{ items: ReleaseSummary[] }>("releases");
    if (opts.json) return io.out(JSON.stringify(items, null, 2));
    if (items.length === 0) return io.out("no releases yet: slipway release create <version>");
    for (const r of items) io.out(releaseListLine(r));
  };

/** `release show` through a server. */
export const showAction = (io: Output) =>
  async (version: string, opts: ReleaseOptions) => {
    const { api } = await connect(opts);
    const found = await api.get<Release>(`releases/${encodeURIComponent(version)}`);
    if (opts.json) io.out(JSON.stringify(found, null, 2));
    else for (const line of releaseLines(found)) io.out(line);
  };

/** `release plan` through a server: its project's rules, read in its first environment. */
export const planAction = (io: Output) =>
  async (opts: PlanOptions) => {
    const { api } = await connect(opts);
    const pairs: [string, string][] = [...opts.image.map((i): [string, string] => ["image", i]), ...opts.package.map((p): [string, string] => ["package", p]), ...(opts.channel !== undefined ? [["channel", opts.channel] as [string, string]] : [])];
    const query = new URLSearchParams(pairs);
    const plan = await api.get<ReleasePlan>(`release-plan${query.size > 0 ? `?${query.toString()}` : ""}`);
    if (opts.json) io.out(JSON.stringify(plan, null, 2));
    else for (const line of releasePlanLines(plan)) io.out(line);
  };
