import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";

/** One frame of a server-sent event stream: an event (id, event, data) or a comment line. */
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** Splits a stream's text into frames (blank-line separated), as an EventSource reads them. */
export function parseSse(text: string): SseFrame[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const frame: SseFrame = {};
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) frame.comment = line.slice(1).trim();
        const match = /^(id|event|data): ?(.*)$/.exec(line);
        if (match) frame[match[1] as "id" | "event" | "data"] = match[2] as string;
      }
      return frame;
    });
}

/** The app on a free loopback port, for clients that read a response as it arrives. */
export async function listening(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/**
 * Reads an event stream as it arrives, telling `onFrame` each frame; returns every frame once the server ends
 * the stream (or `onFrame` returns "stop", which closes it from this side).
 */
export async function readStream(url: string, headers: Record<string, string>, onFrame: (frame: SseFrame) => void | "stop" | Promise<void | "stop">): Promise<{ frames: SseFrame[]; endedByServer: boolean; contentType: string | null }> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  if (!res.ok || !res.body) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const frames: SseFrame[] = [];
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { frames, endedByServer: true, contentType: res.headers.get("content-type") };
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const [frame] = parseSse(buffer.slice(0, end + 2));
      buffer = buffer.slice(end + 2);
      if (!frame) continue;
      frames.push(frame);
      if ((await onFrame(frame)) === "stop") {
        controller.abort();
        return { frames, endedByServer: false, contentType: res.headers.get("content-type") };
      }
    }
  }
}
