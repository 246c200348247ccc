import { authHeaders } from "./api.js";

/**
 * Follows a deployment's server-sent events (GET /api/v1/deployments/{id}/events) until its done event. Without a
 * key this is an EventSource. EventSource cannot send a header, and a key in the URL would end up in logs, so with
 * a key the same stream is read through fetch and parsed here; both resume after the last event id they saw.
 */
const types = ["run", "step", "note", "status", "service-event", "gate", "done"];
const retryMs = 2000;

export function followEvents(url, onEvent) {
  return authHeaders().Authorization ? followWithFetch(url, onEvent) : followWithEventSource(url, onEvent);
}

function followWithEventSource(url, onEvent) {
  const source = new EventSource(url);
  const stop = () => source.close();
  for (const type of types) {
    source.addEventListener(type, (message) => {
      const event = JSON.parse(message.data);
      onEvent(event);
      // The server ends the stream after done; an EventSource would otherwise connect again and again.
      if (event.type === "done") stop();
    });
  }
  return stop;
}

/** One "id:/event:/data:" frame → the event in its data line, if any. */
function parseFrame(frame) {
  const data = frame
    .split("\n")
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(5).trimStart())
    .join("\n");
  return data ? JSON.parse(data) : undefined;
}

function followWithFetch(url, onEvent) {
  const stopping = new AbortController();
  let lastId;
  let ended = false;
  const once = async () => {
    const response = await fetch(lastId === undefined ? url : `${url}${url.includes("?") ? "&" : "?"}after=${lastId}`, { headers: { Accept: "text/event-stream", ...authHeaders() }, signal: stopping.signal, cache: "no-store" });
    if (!response.ok || !response.body) throw new Error(`the event stream answered ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, "\n");
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const event = parseFrame(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
        if (!event) continue;
        lastId = event.id;
        onEvent(event);
        if (event.type === "done") ended = true;
      }
    }
  };
  void (async () => {
    while (!ended && !stopping.signal.aborted) {
      try {
        await once();
      } catch {
        // The deployment page keeps re-reading the deployment; the stream is tried again shortly.
      }
      if (!ended && !stopping.signal.aborted) await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  })();
  return () => stopping.abort();
}
