import { run } from "../../src/cli/main.js";

/** Runs the CLI in-process and collects what a user would see on stdout and stderr. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string[]; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { io: { out: (line) => out.push(line), err: (line) => err.push(line) } });
  return { code, out, err: err.join("\n") };
}
