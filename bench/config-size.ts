/**
 * How long `slipway validate` takes on configuration files of growing size: a task definition step file with
 * many environment entries, and a project file with many variables, ordinary ones and the shortest possible (the
 * most keys in one map). YAML parsing grows faster than the file — quadratically in the keys of one map, which the
 * yaml package checks for duplicates pairwise — which is why readSource refuses files above MAX_CONFIG_FILE_BYTES;
 * this measures where validate stays under 2 s on this machine. Each size is timed twice:
 * the whole CLI (`node bin/slipway.js validate`, what a person waits for, Node's start-up included) and the parse
 * alone in-process (parseSource, which has no limit, so the cost of sizes above the limit shows too).
 * Figures are printed, not asserted; the npm script builds bin/slipway.js first:
 *   npm run bench:config-size
 * BENCH_MAX_KIB (default 4096) is the largest size tried, from 16 KiB up; a case stops after the first size that
 * takes over 10 s.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSource } from "../src/config/source.js";

const KiB = 1024;

/** `head`, then as many lines as fit in `bytes` (ASCII: one byte a character); `line(i)` gives entry i. */
function grow(head: string, bytes: number, line: (i: number) => string): string {
  const parts = [head];
  let size = head.length;
  for (let i = 0; size + line(i).length <= bytes; i += 1) {
    parts.push(line(i));
    size += line(i).length;
  }
  return parts.join("");
}

const project = (variables: string) => `apiVersion: slipway/v1
kind: Project
name: shop
environments:
  - name: dev
  - name: test
    optional: true
  - name: prod
targets: targets.yaml
process:
  - name: web task definition
    uses: task-definition
    file: steps/web.taskdef.yaml
channels:
  - name: stable
    default: true
    releaseVersions: ">=1.0.0 <2.0.0"
variables:
  default:
    LOG_LEVEL: info
${variables}`;

const taskdefHead = `family: shop-web
definition:
  networkMode: awsvpc
  requiresCompatibilities: [FARGATE]
  cpu: "256"
  memory: "512"
  containerDefinitions:
    - name: web
      image: shop/web
      portMappings:
        - containerPort: 8080
      environment:
`;

const taskdefTail = `images:
  web:
    range: "^1.0"
`;

/** A step file whose one container has as many environment entries as it takes to reach `bytes`. */
function bigStepFile(bytes: number): string {
  return grow(taskdefHead, bytes - taskdefTail.length, (i) => `        - name: SETTING_${i}\n          value: "value of setting number ${i}"\n`) + taskdefTail;
}

/** A project file whose default: variables are as many as it takes to reach `bytes`. */
function bigProjectFile(bytes: number): string {
  const head = project("");
  return head + grow("", bytes - head.length, (i) => `    SETTING_${i}: "value of setting number ${i}"\n`);
}

/** The same with the shortest entries: the most keys in one map per byte, the parser's worst case. */
function denseProjectFile(bytes: number): string {
  const head = project("");
  return head + grow("", bytes - head.length, (i) => `    V${i}: 1\n`);
}

const smallStepFile = taskdefHead + `        - name: LOG_LEVEL\n          value: info\n` + taskdefTail;

function validate(file: string): { seconds: number; status: number | null; refused: boolean } {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["bin/slipway.js", "validate", file], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, status: result.status, refused: result.stderr.includes("slipway reads in a configuration file") };
}

function parseSeconds(file: string, text: string): number {
  const start = process.hrtime.bigint();
  parseSource(file, text);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** 16, 32, 48, 64, 96, 128, 192 … KiB: powers of two and halfway between them. */
function sizesKiB(max: number): number[] {
  const sizes: number[] = [];
  for (let kib = 16; kib <= max; kib *= 2) sizes.push(kib, kib * 1.5);
  return sizes.filter((kib) => kib <= max);
}

function main(): void {
  const maxKiB = Number(process.env.BENCH_MAX_KIB ?? 4096);
  const dir = mkdtempSync(join(tmpdir(), "slipway-bench-config-"));
  try {
    mkdirSync(join(dir, "steps"));
    copyFileSync("examples/targets.yaml", join(dir, "targets.yaml"));
    const projectFile = join(dir, "slipway.yaml");
    const stepFile = join(dir, "steps", "web.taskdef.yaml");
    // Each case grows one file and keeps the other small; `big` is the file measured.
    const cases = [
      { what: "step file, environment entries", big: stepFile, small: projectFile, smallText: project(""), text: bigStepFile },
      { what: "project file, variables", big: projectFile, small: stepFile, smallText: smallStepFile, text: bigProjectFile },
      { what: "project file, shortest variables (V1: 1)", big: projectFile, small: stepFile, smallText: smallStepFile, text: denseProjectFile },
    ];
    console.log(`node ${process.version}; validate = node bin/slipway.js validate <dir>/slipway.yaml`);
    for (const c of cases) {
      console.log(`\n${c.what}`);
      console.log("  size (KiB)   validate (s)   exit   parse alone (s)");
      writeFileSync(c.small, c.smallText);
      for (const kib of sizesKiB(maxKiB)) {
        const text = c.text(kib * KiB);
        writeFileSync(c.big, text);
        const run = validate(projectFile);
        const parse = parseSeconds(c.big, text);
        const refused = run.refused ? "   refused: over the size limit" : "";
        console.log(`  ${(statSync(c.big).size / KiB).toFixed(1).padStart(10)}   ${run.seconds.toFixed(2).padStart(12)}   ${String(run.status).padStart(4)}   ${parse.toFixed(2).padStart(15)}${refused}`);
        // Growth is quadratic: the next size would take minutes.
        if (Math.max(run.seconds, parse) > 10) break;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
