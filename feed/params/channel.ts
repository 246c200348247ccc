import { NotFoundError } from "../../src/errors.js";
import type { Channel } from "../../src/config/process-model.js";
import { revisionRange, type RevisionRange } from "../../src/releases/revision-range.js";
import { singleValue } from "./single.js";

/** A project's channel as the feed applies it: its revision ranges, parsed once. */
export interface FeedChannel {
  name: string;
  /** family → the revisions the channel allows; a family it does not name allows every revision. */
  revisions: ReadonlyMap<string, RevisionRange>;
}

/** The project's channels, by name. The config check has refused ranges that do not parse, so none is dropped here. */
export function feedChannels(channels: readonly Channel[]): ReadonlyMap<string, FeedChannel> {
  const parsed = (revisions: Record<string, string>) =>
    new Map(Object.entries(revisions).flatMap(([family, text]): [string, RevisionRange][] => {
      const range = revisionRange(text);
      return range ? [[family, range]] : [];
    }));
  return new Map(channels.map((c) => [c.name, { name: c.name, revisions: parsed(c.revisions ?? {}) }]));
}

/**
 * `channel`: one of the project's channels, whose revision rule the answer applies. Default (absent or empty): none.
 * A name the project has no channel for is a 404, as an unknown environment or package is: the name is well formed.
 */
export function parseChannel(raw: unknown, channels: ReadonlyMap<string, FeedChannel>): FeedChannel | undefined {
  const text = singleValue("channel", raw);
  if (text === undefined || text === "") return undefined;
  const channel = channels.get(text);
  if (channel) return channel;
  const names = [...channels.keys()];
  throw new NotFoundError(`channel "${text.slice(0, 100)}" is not a channel of the project.`, names.length > 0 ? `The project's channels are: ${names.join(", ")}.` : "The project has no channels: leave channel out.");
}
