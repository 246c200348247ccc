import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { DeploymentEvent } from "../../src/engine/store.js";
import { ApiClient } from "../../src/cli/remote/api-client.js";
import { deploymentEvents, SseParser } from "../../src/cli/remote/event-stream.js";

const event = (id: number, type = "note"): DeploymentEvent => ({ id, deploymentId: "d-1", at: "2026-12-06T10:00:00.000Z", type, message: `event ${id}` });
const frame = (e: DeploymentEvent) => `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;

describe("reading server-sent events", () => {
  it("splits messages as EventSource does: any line ending, chunks cut anywhere, comments, several data lines", () => {
    const parser = new SseParser();
    const text = ": heartbeat\r\n\r\nid: 7\r\nevent: note\r\ndata: first\r\ndata: second\r\n\r\nid: 8\rdata: third\r\rdata:no-space\n\n";
    const messages = [...text].flatMap((c) => parser.push(c));
    expect(messages).toEqual([
      { id: "7", event: "note", data: "first\nsecond" },
      { id: "8", data: "third" },
      { data: "no-space" },
    ]);
  });
});

describe("following a deployment's events through a server", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  it("opens the stream again after the last event it saw when the connection breaks, and ends at the done event", async () => {
    const asked: (string | undefined)[] = [];
    server = createServer((req, res) => {
      asked.push(req.headers["last-event-id"] as string | undefined);
      res.writeHead(200, { "content-type": "text/event-stream" });
      if (asked.length === 1) {
        // A proxy cutting the connection after the first event.
        res.write(frame(event(1)), () => res.socket?.destroy());
        return;
      }
      res.end(frame(event(2)) + frame(event(3, "done")));
    });
    await new Promise<void>((done) => server?.listen(0, "127.0.0.1", done));
    const { port } = server.address() as AddressInfo;
    const api = new ApiClient({ base: new URL(`http://127.0.0.1:${port}/`), key: "slw_test" });
    const seen: number[] = [];
    const reconnects: string[] = [];
    for await (const e of deploymentEvents(api, "d-1", {}, new AbortController().signal, (why) => reconnects.push(why))) seen.push(e.id);
    expect(seen).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, "1"]);
    expect(reconnects).toHaveLength(1);
  });
});
