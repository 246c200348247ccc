import type { Driver } from "./driver.js";
import type { TaskSetAction } from "./actions.js";
import { project } from "./projection.js";
import type { Stage } from "./stages.js";
import type { World } from "./world.js";

/**
 * The stage machine's writes recorded instead of made, each projected onto the world so the next stage is planned
 * against what would be there. Waits succeed, gates approve, probes pass: a dry run shows the path that succeeds,
 * and the outline says what a failure at each point would do.
 */
export class DryRunDriver implements Driver {
  readonly actions: TaskSetAction[] = [];
  readonly outline: string[] = [];

  constructor(
    private world: World,
    private readonly settleSeconds: number,
  ) {}

  observe(): Promise<World> {
    return Promise.resolve(this.world);
  }

  execute(at: string, actions: TaskSetAction[]): Promise<void> {
    for (const action of actions) {
      this.actions.push({ ...action, summary: `[${at}] ${action.summary}` });
      this.outline.push(`  + ${action.summary}`);
      this.world = project(this.world, action);
    }
    return Promise.resolve();
  }

  waitFor(what: string): Promise<{ reached: true }> {
    this.outline.push(`  · wait for ${what}`);
    return Promise.resolve({ reached: true });
  }

  pause(_at: string, seconds: number): Promise<void> {
    this.outline.push(`  · wait ${seconds} s`);
    return Promise.resolve();
  }

  settle(): Promise<void> {
    if (this.settleSeconds > 0) this.outline.push(`  · wait until the load balancer has had ${this.settleSeconds} s to apply the new weights`);
    return Promise.resolve();
  }

  approve(_at: string, stage: Extract<Stage, { kind: "approval" }>): Promise<{ approved: true; reason: string }> {
    // Who may decide and what happens if nobody does, as the gate will say it.
    const who = stage.approvers && stage.approvers.length > 0 ? `approvers: ${stage.approvers.join(", ")}` : "anyone may decide";
    const timeout = stage.timeoutSeconds !== undefined ? `; nobody deciding within ${stage.timeoutSeconds} s rolls back` : "; it waits until someone decides";
    this.outline.push(`  · wait for a person: slipway approve <deployment> (slipway abort <deployment> rolls back) — ${who}${timeout}${stage.instructions ? `: ${stage.instructions.split("\n")[0] ?? ""}` : ""}`);
    return Promise.resolve({ approved: true, reason: "dry run" });
  }

  verify(_at: string, stage: Parameters<Driver["verify"]>[1]): Promise<{ passed: true; reason: string }> {
    const header = stage.matches.header ? `header ${stage.matches.header.name}` : "";
    const query = stage.matches.query ? `query ?${stage.matches.query.key}=` : "";
    this.outline.push(`  + open verification rules (${[header, query].filter(Boolean).join(", ")}) to the other target group`);
    if (stage.probes) this.outline.push(`  · probe ${stage.probes.checks.map((c) => c.path).join(", ")} through them`);
    return Promise.resolve({ passed: true, reason: "dry run" });
  }

  closeVerification(): Promise<void> {
    this.outline.push("  + close this deployment's verification rules, if any");
    return Promise.resolve();
  }

  sweepVerification(): Promise<void> {
    this.outline.push("  + remove verification rules earlier deployments of the service left, if any");
    return Promise.resolve();
  }

  marked(): Promise<{ found: false }> {
    return Promise.resolve({ found: false });
  }

  mark(): Promise<void> {
    return Promise.resolve();
  }

  note(line: string): void {
    this.outline.push(`  · ${line}`);
  }

  /** Starts a stage's part of the outline. */
  heading(line: string): void {
    this.outline.push(line);
  }
}
