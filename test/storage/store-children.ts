import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const builtStore = resolve("dist/src/storage/open-store.js");

/** A JSON line a child said. */
export type Said = Record<string, unknown>;

/**
 * Another slipway process using the store: `node` running `body` as an ES module with openStore imported from the
 * BUILT dist/ (npm test builds it first), `args` as JSON, `say(message)` writing a JSON line to the test and
 * `heard()` reading a line the test sends.
 */
export class StoreChild {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly lines: AsyncIterator<string>;
  stderr = "";

  constructor(body: string, args: unknown) {
    if (!existsSync(builtStore)) throw new Error(`${builtStore} is missing: run \`npm run build\` first (npm test does it for you).`);
    const code = [
      `import { openStore } from ${JSON.stringify(pathToFileURL(builtStore).href)};`,
      `import { createInterface } from "node:readline";`,
      `const args = JSON.parse(process.argv[1]);`,
      `const say = (message) => process.stdout.write(JSON.stringify(message) + "\\n");`,
      `const input = createInterface({ input: process.stdin })[Symbol.asyncIterator]();`,
      `const heard = async () => (await input.next()).value;`,
      body,
      // stdin stays open for heard(): the child ends when its work does.
      `process.exit(0);`,
    ].join("\n");
    this.process = spawn(process.execPath, ["--input-type=module", "-e", code, JSON.stringify(args)], { stdio: ["pipe", "pipe", "pipe"] });
    this.process.stderr?.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    // A child whose work ended (the loser of a race, say) may have exited before a line sent to it arrives: it
    // wanted no more input, so the broken pipe is nothing to report. Any other failure still is.
    this.process.stdin?.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
    this.lines = createInterface({ input: this.process.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
    this.exited = new Promise((done) => this.process.once("exit", (code, signal) => done({ code, signal })));
  }

  /** The next line the child says, parsed; an error (with its stderr) if it ends first or takes too long. */
  async next(timeoutMs = 20_000): Promise<Said> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`child ${this.process.pid} said nothing for ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
    });
    try {
      const line = await Promise.race([this.lines.next(), timeout]);
      if (line.done) throw new Error(`child ${this.process.pid} ended without a word; stderr: ${this.stderr}`);
      return JSON.parse(line.value) as Said;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Every line the child says from here until its output ends. */
  async rest(): Promise<Said[]> {
    const said: Said[] = [];
    for (;;) {
      const line = await this.lines.next();
      if (line.done) return said;
      said.push(JSON.parse(line.value) as Said);
    }
  }

  /** Reads lines until one has `key`. */
  async until(key: string, timeoutMs?: number): Promise<Said> {
    for (;;) {
      const said = await this.next(timeoutMs);
      if (key in said) return said;
    }
  }

  send(line: string): void {
    this.process.stdin?.write(`${line}\n`);
  }

  /** Waits for a clean exit; an error with its stderr otherwise. */
  async finished(): Promise<void> {
    const { code, signal } = await this.exited;
    if (code !== 0) throw new Error(`child ${this.process.pid} exited with ${code ?? signal}; stderr: ${this.stderr}`);
  }

  kill(signal: NodeJS.Signals = "SIGKILL"): void {
    this.process.kill(signal);
  }
}

/** The openStore options a child builds from its args. */
export const openStoreInChild = `const store = await openStore({ stateDir: args.stateDir, project: args.project, ...(args.databaseUrl && { databaseUrl: args.databaseUrl }) });`;
