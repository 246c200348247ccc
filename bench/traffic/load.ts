import http from "node:http";

/**
 * The load: two paced loops of keep-alive HTTP requests against one listener's frontend, one with the
 * verification header, each sample kept with its outcome and the revision that answered. Loopback only; it stops
 * when told to, or by itself after `maxSeconds`.
 */
export interface Sample {
  /** ms since the load started. */
  t: number;
  header: boolean;
  /** HTTP status, or the connection error's code ("ECONNRESET", "timeout", …). */
  outcome: number | string;
  revision?: string;
  /** The listener rule that answered: its priority, or "default". */
  rule?: string;
  /** A 200 from a target that fails its health checks (the group failed open). */
  failOpen?: boolean;
  /** For a 5xx: the simulator's reason; for a connection error: how old the connection was and how many requests it had carried. */
  message?: string;
}

export interface LoadOptions {
  port: number;
  /** Requests per second, per loop. */
  rate: number;
  /** Keep-alive connections per loop. */
  concurrency: number;
  maxSeconds: number;
  header: { name: string; value: string };
}

export interface Load {
  samples: Sample[];
  started: number;
  stop(): Promise<void>;
}

export const failed = (s: Sample): boolean => typeof s.outcome === "string" || s.outcome >= 500 || s.outcome === 0;

/** When each keep-alive connection was opened, and how many requests it has carried. */
const sockets = new WeakMap<object, { opened: number; requests: number }>();

export function startLoad(options: LoadOptions): Load {
  const { port, rate, concurrency, maxSeconds, header: verify } = options;
  const samples: Sample[] = [];
  const started = performance.now();
  const deadline = started + maxSeconds * 1000;
  let stopping = false;
  const loop = (header: boolean) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    const gap = 1000 / rate;
    let next = performance.now();
    const take = async (): Promise<boolean> => {
      const at = next;
      next += gap;
      const wait = at - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return !stopping && performance.now() < deadline;
    };
    const one = () =>
      new Promise<void>((resolve) => {
        const t = performance.now() - started;
        const req = http.get({ host: "127.0.0.1", port, path: "/", agent, headers: header ? { [verify.name]: verify.value } : {}, timeout: 5000 }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const body = Buffer.concat(chunks).toString();
            const sample: Sample = { t, header, outcome: res.statusCode ?? 0 };
            const revision = res.headers["x-slipway-revision"];
            if (typeof revision === "string") sample.revision = revision;
            const rule = /"rule": "?(\w+)"?/.exec(body)?.[1];
            if (rule) sample.rule = rule;
            if (body.includes('"failOpen": true')) sample.failOpen = true;
            if ((res.statusCode ?? 0) >= 500) sample.message = /"message": "([^"]*)"/.exec(body)?.[1] ?? body.slice(0, 120);
            samples.push(sample);
            resolve();
          });
          res.on("error", (error: NodeJS.ErrnoException) => {
            samples.push({ t, header, outcome: error.code ?? "error", message: `${error.code ?? "error"} while reading the answer` });
            resolve();
          });
        });
        let socketInfo: { opened: number; requests: number } | undefined;
        req.on("socket", (socket) => {
          socketInfo = sockets.get(socket);
          if (!socketInfo) sockets.set(socket, (socketInfo = { opened: performance.now(), requests: 0 }));
          socketInfo.requests += 1;
        });
        req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "timeout" })));
        req.on("error", (error: NodeJS.ErrnoException) => {
          const on = socketInfo ? `on a connection ${((performance.now() - socketInfo.opened) / 1000).toFixed(1)} s old, its request #${socketInfo.requests}` : "before a connection";
          samples.push({ t, header, outcome: error.code ?? "error", message: `${error.code ?? "error"} ${on}` });
          resolve();
        });
      });
    const worker = async () => {
      while (await take()) await one();
    };
    return Promise.all(Array.from({ length: concurrency }, worker)).finally(() => agent.destroy());
  };
  const running = Promise.all([loop(false), loop(true)]);
  return {
    samples,
    started,
    async stop() {
      stopping = true;
      await running;
    },
  };
}
