import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildProgram } from "../../src/cli/main.js";

/**
 * The example GitHub Actions workflows (examples/github-actions/) are copied into other repositories, so every
 * `slipway …` line in their run: steps, and every `slipway …` their comments tell a reader to run, must be one the
 * CLI accepts: parsed here by the real commander program, with each command's action replaced so nothing runs.
 */
const folder = "examples/github-actions";
const workflows = readdirSync(folder).filter((f) => f.endsWith(".yml")).sort();

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, unknown> }
interface Job { steps: Step[]; environment?: string; permissions?: Record<string, string> }
interface Workflow { on: { push?: { branches?: string[] } }; permissions?: Record<string, string>; env?: Record<string, string>; jobs: Record<string, Job> }

/** Values for what the workflows leave to GitHub or the shell: a run number, the commit. */
const github: Record<string, string> = { "github.run_number": "42", "github.sha": "0123456789abcdef0123456789abcdef01234567" };

function expand(text: string, env: Record<string, string>): string {
  return text
    .replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => github[name] ?? env[name.replace(/^env\./, "")] ?? `<${name}>`)
    .replace(/\$\{?(\w+)\}?/g, (_, name: string) => (name === "GITHUB_SHA" ? (github["github.sha"] as string) : env[name] ?? `<${name}>`));
}

/** Splits a command line as sh does for the quoting these lines use: '…', "…" and bare words. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)) out.push(m[1] ?? m[2]?.replace(/\\(.)/g, "$1") ?? (m[3] as string));
  return out;
}

/** Every line of a run: script whose command is slipway, with backslash continuations joined. */
function slipwayLines(script: string): string[] {
  return script
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^slipway\s/.test(l));
}

/** Parses the arguments with the real program; answers the command whose action would have run, or the error. */
async function accepted(args: string[]): Promise<{ command?: string; error?: string }> {
  const errors: string[] = [];
  const program = buildProgram({ out: () => {}, err: (line) => errors.push(line) });
  let ran: string | undefined;
  const stub = (command: Command, path: string[]) => {
    if (command.commands.length === 0) command.action(() => void (ran = path.join(" ")));
    for (const sub of command.commands) stub(sub, [...path, sub.name()]);
  };
  stub(program, []);
  try {
    await program.parseAsync(args, { from: "user" });
  } catch (error) {
    return { error: `${error instanceof Error ? error.message : String(error)} ${errors.join(" ")}`.trim() };
  }
  return ran === undefined ? { error: "no command ran (a command group without its subcommand?)" } : { command: ran };
}

describe("the example GitHub Actions workflows", () => {
  it("are there: one through slipway serve, one with DATABASE_URL", () => {
    expect(workflows).toEqual(["release-through-server.yml", "release-with-database.yml"]);
  });

  for (const file of workflows) {
    const text = readFileSync(join(folder, file), "utf8");
    const workflow = parse(text) as Workflow;
    const env = Object.fromEntries(Object.entries(workflow.env ?? {}).map(([k, v]) => [k, expand(String(v), {})]));
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const runLines = steps.flatMap((s) => (s.run ? slipwayLines(s.run) : []));
    // A comment's `slipway …` with options is a command to run (a key to create); `slipway approve` alone names one.
    const commentLines = [...text.matchAll(/`(slipway [^`]+ --[^`]+)`/g)].map((m) => m[1] as string);

    it(`${file}: every slipway command in its run: steps and comments is one the CLI accepts`, async () => {
      expect(runLines.length).toBeGreaterThan(0);
      const seen = new Set<string>();
      for (const line of [...runLines, ...commentLines]) {
        const args = words(expand(line, env)).slice(1);
        const result = await accepted(args);
        expect(result, line).toEqual({ command: expect.any(String) as string });
        seen.add(result.command as string);
        if (result.command === "release create") {
          expect(semver.valid(args[2]), `${line}: the release version`).not.toBeNull();
          const images = args.flatMap((a, i) => (args[i - 1] === "--image" ? [a] : []));
          for (const image of images) expect(image, line).toMatch(/^web(=[\w][\w.-]{0,127}|@sha256:[0-9a-f]{64})$/);
        }
      }
      // The pipeline: a release from the commit's image, deployed to dev, promoted, and what runs where.
      for (const command of ["release create", "deploy", "promote", "status"]) expect(seen, file).toContain(command);
      const releaseLine = runLines.find((l) => l.startsWith("slipway release create")) ?? "";
      expect(releaseLine).toMatch(/--image "?web=\$GITHUB_SHA"?/);
      expect(runLines).toContain('slipway deploy "$VERSION" --to dev');
    });

    it(`${file}: runs on a push to main with AWS's OIDC role pattern and no long-lived keys`, () => {
      expect(workflow.on.push?.branches).toContain("main");
      expect(workflow.permissions?.["id-token"]).toBe("write");
      const credentials = steps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
      expect(credentials.length).toBeGreaterThan(0);
      for (const step of credentials) {
        expect(step.with?.["role-to-assume"]).toBeTruthy();
        expect(Object.keys(step.with ?? {})).not.toContain("aws-access-key-id");
        expect(Object.keys(step.with ?? {})).not.toContain("aws-secret-access-key");
      }
      expect(text).not.toMatch(/AWS_SECRET_ACCESS_KEY\s*:|secrets\.AWS_/);
      // Prod waits for the GitHub environment's reviewers.
      expect(workflow.jobs.prod?.environment).toBe("prod");
    });
  }

  it("the server variant uses SLIPWAY_SERVER and an API key, the other DATABASE_URL", () => {
    const server = readFileSync(join(folder, "release-through-server.yml"), "utf8");
    expect(server).toMatch(/SLIPWAY_SERVER:/);
    expect(server).toMatch(/SLIPWAY_API_KEY: \$\{\{ secrets\.SLIPWAY_API_KEY \}\}/);
    expect(server).toContain("slipway keys create ci --create-releases --deploy dev,test --read");
    expect(server).not.toMatch(/DATABASE_URL/);
    const database = readFileSync(join(folder, "release-with-database.yml"), "utf8");
    expect(database).toMatch(/DATABASE_URL: \$\{\{ secrets\.SLIPWAY_DATABASE_URL \}\}/);
    expect(database).not.toMatch(/SLIPWAY_SERVER|SLIPWAY_API_KEY/);
  });

  it("the check itself refuses what the CLI refuses", async () => {
    expect(await accepted(["deploy", "1.0.0", "--to", "dev"])).toEqual({ command: "deploy" });
    expect((await accepted(["deploy", "1.0.0", "--to", "dev", "--env", "dev"])).error).toMatch(/unknown option '--env'/);
    expect((await accepted(["release"])).error).toBeDefined();
    expect((await accepted(["promte", "1.0.0"])).error).toMatch(/unknown command/);
  });
});
