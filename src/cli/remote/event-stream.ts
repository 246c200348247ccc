import { setTimeout as sleep } from "node:timers/promises";
import type { DeploymentEvent } from "../../engine/store.js";
import { ServerError, SlipwayError } from "../../errors.js";
import { ServerUnreachableError, type ApiClient } from "./api-client.js";

/** One server-sent event: its fields as the stream gave them. */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/**
 * Splits server-sent event text into messages, as the HTML standard's EventSource does: lines end in \n, \r\n or \r;
 * a blank line ends a message; `data:` lines join with \n; a line starting with ":" is a comment. Hand-written
 * because the maintained parser (eventsource-parser 4) needs Node 22.12, and this is the whole of it.
 */
export class SseParser {
  private buffer = "";
  private fields: { id?: string; event?: string; data: string[] } = { data: [] };

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const out: SseMessage[] = [];
    // A trailing \r may be half of \r\n: keep it for the next chunk.
    const lines = this.buffer.split(/\r\n|\r(?!$)|\n/);
    this.buffer = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "") {
        if (this.fields.data.length > 0) out.push({ ...(this.fields.id !== undefined && { id: this.fields.id }), ...(this.fields.event !== undefined && { event: this.fields.event }), data: this.fields.data.join("\n") });
        this.fields = { data: [] };
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (name === "data") this.fields.data.push(value);
      else if (name === "id") this.fields.id = value;
      else if (name === "event") this.fields.event = value;
    }
    return out;
  }
}

/** The last event a follower saw: a stream opened again starts after it. */
export interface StreamPosition {
  after?: number;
}

/** How long to wait before reconnecting after the stream broke, and how many times in a row to try. */
const reconnectDelaysMs = [250, 1000, 2000, 5000, 5000, 10_000, 10_000, 15_000];

/**
 * A deployment's events from the server as they are written, through its done event. A stream that breaks (a
 * proxy's idle timeout, the server restarting) is opened again after the last event seen, as EventSource would;
 * `onReconnect` says so. Ends without a done event only when the stream ends normally (the run ended).
 */
export async function* deploymentEvents(api: ApiClient, id: string, position: StreamPosition, signal: AbortSignal, onReconnect: (reason: string) => void): AsyncGenerator<DeploymentEvent> {
  let failures = 0;
  for (;;) {
    let ended = false;
    try {
        const response = await api.open(`deployments/${encodeURIComponent(id)}/events`, { accept: "text/event-stream", ...(position.after !== undefined && { "last-event-id": String(position.after) }) }, signal);
      const parser = new SseParser();
      const decoder = new TextDecoder();
      for await (const chunk of response.body ?? []) {
        failures = 0;
        for (const message of parser.push(decoder.decode(chunk as Uint8Array, { stream: true }))) {
          const event = JSON.parse(message.data) as DeploymentEvent;
          position.after = event.id;
          yield event;
          if (event.type === "done") return;
        }
      }
      ended = true;
    } catch (error) {
      if (signal.aborted) return;
      // A refusal (a revoked key, an unknown deployment) does not get better by asking again; a broken connection may.
      if (error instanceof SlipwayError && !(error instanceof ServerUnreachableError)) throw error;
      onReconnect(error instanceof Error ? error.message : String(error));
    }
    // The server ends the stream without a done event only for a run that ended before the stream caught up.
    if (ended) return;
    const delay = reconnectDelaysMs[failures];
    if (delay === undefined) throw new ServerError(`Lost the server's event stream of deployment ${id} ${reconnectDelaysMs.length} times in a row.`, `The deployment goes on at the server: \`slipway status\` shows it, \`slipway abort ${id}\` stops it.`);
    failures += 1;
    await sleep(delay, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return;
  }
}
