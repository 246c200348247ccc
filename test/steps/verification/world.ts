import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateRuleCommand, type Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ExecutionContext } from "../../../src/engine/executor.js";
import type { Journal, NewJournalEntry } from "../../../src/engine/journal.js";
import { FileJournal } from "../../../src/storage/file-journal.js";
import type { SimHarness } from "../../support/sim.js";
import { createAlb, createListener, createTargetGroup, forwardTo } from "../../sim/elbv2-world.js";

/**
 * A shop's ALB in the simulator: a listener whose default answers 404, another service's rule at priority 5, and
 * shop-web's production rule at priority 10 forwarding to primary (100) and canary (0) — the task-set layout.
 */
export interface ShopListener {
  loadBalancerArn: string;
  listenerArn: string;
  primary: string;
  canary: string;
  other: string;
  productionRuleArn: string;
}

const notFound: Action[] = [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "404", ContentType: "text/plain", MessageBody: "no route" } }];

export async function shopListener(h: SimHarness, name: string, priorities: { production: number; other: number } = { production: 10, other: 5 }): Promise<ShopListener> {
  const loadBalancerArn = await createAlb(h, name);
  const [primary, canary, other] = await Promise.all([createTargetGroup(h, `${name}-blue`), createTargetGroup(h, `${name}-green`), createTargetGroup(h, `${name}-other`)]);
  const listenerArn = await createListener(h, loadBalancerArn, 80, notFound);
  await h.clients.elbv2.send(new CreateRuleCommand({ ListenerArn: listenerArn, Priority: priorities.other, Conditions: [{ Field: "host-header", HostHeaderConfig: { Values: ["admin.example.com"] } }], Actions: forwardTo([other, 1]) }));
  const production = await h.clients.elbv2.send(
    new CreateRuleCommand({ ListenerArn: listenerArn, Priority: priorities.production, Conditions: [{ Field: "host-header", HostHeaderConfig: { Values: ["shop.example.com"] } }], Actions: forwardTo([primary, 100], [canary, 0]) }),
  );
  return { loadBalancerArn, listenerArn, primary, canary, other, productionRuleArn: production.Rules?.[0]?.RuleArn ?? "" };
}

interface Routed {
  rule: { ruleArn: string; priority: string } | null;
  targetGroups: { targetGroupArn: string; share: number }[];
}

/** The target group that takes all of a request's traffic, per the simulator's route control. */
export async function servedBy(h: SimHarness, listenerArn: string, request: { headers?: Record<string, string>; query?: Record<string, string>; host?: string }): Promise<string | undefined> {
  const routed = (await h.control("POST", "elbv2/route", { listenerArn, host: "shop.example.com", ...request })) as Routed;
  return routed.targetGroups.find((g) => g.share === 1)?.targetGroupArn;
}

export function journal(): FileJournal {
  return new FileJournal(mkdtempSync(join(tmpdir(), "slipway-verify-journal-")));
}

export function execution(deploymentId: string, j: Journal = journal()): ExecutionContext {
  return { deploymentId, journal: j };
}

/**
 * A journal that dies on its Nth append, as a killed process would: what was written before stays, nothing after.
 * Appending "succeeded" for a CreateRule that already happened is the crash window the tags must cover.
 */
export class CrashingJournal implements Journal {
  private appended = 0;
  constructor(
    private readonly inner: Journal,
    private readonly crashOn: number,
  ) {}
  async append(entry: NewJournalEntry) {
    this.appended += 1;
    if (this.appended >= this.crashOn) throw new Error("process killed");
    return this.inner.append(entry);
  }
  entries(deploymentId: string) {
    return this.inner.entries(deploymentId);
  }
}
