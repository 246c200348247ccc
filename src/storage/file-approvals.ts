import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { decideGate, expireGate, expiryOf, gateToDecide, type Approvals, type DecideRequest, type Decision, type Gate, type GateKey, type NewGate } from "../engine/approvals.js";
import { InputError } from "../errors.js";

/**
 * Approval gates kept as one JSON-lines file per deployment (.slipway/approvals/<deployment>.jsonl): an "opened"
 * line per gate and "decided" lines, appended and flushed like the journal. The waiting deployment and
 * `slipway approve` are different processes, so nothing is held in memory and no lock is taken: appends to one
 * file land in one order, and the FIRST "decided" line of a gate is its decision. A decider appends, reads back,
 * and learns whether its line was first — if not, it is told who decided before it.
 *
 * slipway's commands keep these in the project's store (src/storage/open-store.ts); this file-backed version
 * serves the step-level tests and the benchmarks, which need no database.
 */
type Line = { type: "opened"; gate: Omit<Gate, "decision"> } | { type: "decided"; id: string; decision: Decision };

const safeId = /^[A-Za-z0-9._-]+$/;

function gatesOf(lines: Line[]): Gate[] {
  const gates = new Map<string, Gate>();
  for (const line of lines) {
    if (line.type === "opened") {
      if (!gates.has(line.gate.stage)) gates.set(line.gate.stage, { ...line.gate });
    } else {
      const gate = gates.get(line.decision.stage);
      if (gate && !gate.decision) gate.decision = line.decision;
    }
  }
  return [...gates.values()];
}

function parse(text: string): Line[] {
  const lines: Line[] = [];
  for (const raw of text.split("\n")) {
    if (raw.trim() === "") continue;
    // A crash mid-write can leave a torn line; it never recorded a finished write, so it is skipped.
    try {
      lines.push(JSON.parse(raw) as Line);
    } catch {
      continue;
    }
  }
  return lines;
}

export class FileApprovals implements Approvals {
  constructor(
    readonly directory: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private file(deploymentId: string): string {
    if (!safeId.test(deploymentId)) throw new InputError(`"${deploymentId}" is not a deployment id.`, "Deployment ids are letters, digits, dots, hyphens and underscores; `slipway approvals` lists the waiting ones.");
    return path.join(this.directory, `${deploymentId}.jsonl`);
  }

  private async read(deploymentId: string): Promise<{ text: string; lines: Line[] } | undefined> {
    try {
      const text = await readFile(this.file(deploymentId), "utf8");
      return { text, lines: parse(text) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  private async append(deploymentId: string, line: Line): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const before = await this.read(deploymentId);
    // Start on a fresh line if a torn write left the file mid-line.
    const separator = !before || before.text === "" || before.text.endsWith("\n") ? "" : "\n";
    const handle = await open(this.file(deploymentId), "a");
    try {
      await handle.write(`${separator}${JSON.stringify(line)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  async get(key: GateKey): Promise<Gate | undefined> {
    const read = await this.read(key.deploymentId);
    return read && gatesOf(read.lines).find((g) => g.stage === key.stage);
  }

  async open(gate: NewGate): Promise<Gate> {
    const existing = await this.get(gate);
    if (existing) return existing;
    const openedAt = this.now();
    const expiresAt = expiryOf(openedAt, gate.timeoutSeconds);
    const opened: Omit<Gate, "decision"> = { ...gate, openedAt: openedAt.toISOString(), ...(expiresAt && { expiresAt }) };
    await this.append(gate.deploymentId, { type: "opened", gate: opened });
    return (await this.get(gate)) ?? opened;
  }

  /** Appends a decision and reads back which decision came first: ours, or one that beat us to it. */
  private async record(decision: Decision): Promise<{ first: Decision; ours: boolean }> {
    const id = randomBytes(8).toString("hex");
    await this.append(decision.deploymentId, { type: "decided", id, decision });
    const lines = (await this.read(decision.deploymentId))?.lines ?? [];
    const first = lines.find((l): l is Extract<Line, { type: "decided" }> => l.type === "decided" && l.decision.stage === decision.stage);
    return { first: first?.decision ?? decision, ours: first?.id === id };
  }

  async decide(request: DecideRequest): Promise<Decision> {
    const read = await this.read(request.deploymentId);
    const gate = gateToDecide(request, read ? gatesOf(read.lines) : []);
    return decideGate(gate, request, this.now(), (decision) => this.record(decision));
  }

  async expire(key: GateKey): Promise<Decision> {
    return expireGate(await this.get(key), this.now(), (decision) => this.record(decision), key);
  }

  async list(filter: { open?: boolean } = {}): Promise<Gate[]> {
    let names: string[];
    try {
      names = (await readdir(this.directory)).filter((n) => n.endsWith(".jsonl") && safeId.test(n.slice(0, -".jsonl".length)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const gates: Gate[] = [];
    for (const name of names) {
      const read = await this.read(name.slice(0, -".jsonl".length));
      if (read) gates.push(...gatesOf(read.lines));
    }
    return gates.filter((g) => !filter.open || !g.decision).sort((a, b) => a.openedAt.localeCompare(b.openedAt));
  }
}
