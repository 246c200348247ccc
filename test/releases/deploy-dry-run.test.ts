import { writeFileSync } from "node:fs";
import { DescribeServicesCommand, DescribeTaskSetsCommand, ListTaskDefinitionsCommand } from "@aws-sdk/client-ecs";
import { DescribeRulesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/capture.js";
import { releaseProject, webServiceStep, type ReleaseProject } from "../support/release-world.js";
import { startSim, type SimHarness } from "../support/sim.js";

/** The prod canary of the demo, in short: canary, verification header, 10 %, a pause and a person's approval in prod only. */
const canaryStages = [
  "stages:",
  "  - canaryRollout: { scale: 50 }",
  "  - verify: { header: { name: X-Shop-Verify, values: [tester-7f3a] } }",
  "  - trafficRouting: { canary: 10 }",
  "  - pause: { seconds: 5, environments: [prod] }",
  "  - approval: { instructions: Compare the canary with the stable version., environments: [prod] }",
  "  - primaryRollout: {}",
  "  - trafficRouting: { primary: 100 }",
  "  - canaryClean: {}",
];

describe("slipway deploy|promote --dry-run: the whole process for an environment, and no write", () => {
  let h: SimHarness;
  let p: ReleaseProject;
  const cli = (...argv: string[]) => runCli(...argv, "--project", p.project, "--poll-interval", "0.02");

  /** Everything a dry run could have changed: revisions, services and their task sets, listener rules, the store's runs. */
  async function world(environment: string) {
    const revisions = (await h.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "shop-web" }))).taskDefinitionArns ?? [];
    const service = (await h.clients.ecs.send(new DescribeServicesCommand({ cluster: `shop-${environment}`, services: ["shop-web"] }))).services?.[0];
    const taskSets = service ? ((await h.clients.ecs.send(new DescribeTaskSetsCommand({ cluster: `shop-${environment}`, service: "shop-web" }))).taskSets ?? []).map((t) => [t.id, t.taskDefinition, t.scale?.value]) : [];
    const infra = p.infrastructure.environments.find((e) => e.name === environment);
    const rules = (await h.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: infra?.listenerArn }))).Rules ?? [];
    const runs = JSON.parse((await runCli("status", "--json", "--project", p.project)).out.join("\n")) as unknown;
    return { revisions, service: service?.taskDefinition, taskSets, rules: rules.map((r) => [r.Priority, JSON.stringify(r.Actions)]), runs };
  }

  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    p = await releaseProject(h);
    writeFileSync(p.serviceStep, webServiceStep("canary", canaryStages));
    expect((await runCli("release", "create", "1.0.0", "--image", "web=1.0.0", "--project", p.project)).code).toBe(0);
  });
  afterAll(() => h?.close());

  it("plans the first deployment before any revision exists, and creates nothing", async () => {
    const before = await world("dev");
    const dry = await cli("promote", "1.0.0", "--dry-run");
    expect(dry.code, dry.err).toBe(0);
    const text = dry.out.join("\n");
    expect(dry.out[0]).toBe("dry run: release 1.0.0 to dev");
    expect(text).toContain("+ register a new revision of shop-web for dev");
    expect(text).toContain("+ [preflight] create the EXTERNAL service shop-web (desired count 2)");
    expect(text).toContain("create the initial task set: shop-web:(new) at 100% on the live target group");
    expect(text).toMatch(/\+ {6}"image": ".*shop\/web@sha256:[0-9a-f]{64}"/);
    expect(dry.out.at(-1)).toBe("dry run: nothing was changed");
    expect(await world("dev")).toEqual(before);
    expect(before.revisions).toEqual([]);
  });

  it("shows the prod canary stage by stage — traffic, the verification rule, the pause, the approval, what a failure does — and changes nothing", { timeout: 120_000 }, async () => {
    for (const to of ["dev", "prod"]) expect((await cli("deploy", "1.0.0", "--to", to)).code).toBe(0);
    expect((await runCli("release", "create", "1.1.0", "--image", "web=1.1.0", "--project", p.project)).code).toBe(0);

    // Refused as the deployment would be: 1.1.0 has not succeeded in dev yet.
    const early = await cli("deploy", "1.1.0", "--to", "prod", "--dry-run");
    expect(early.code).toBe(4);
    expect(early.err).toContain("Release 1.1.0 cannot go to prod yet: it has not succeeded in dev");

    expect((await cli("deploy", "1.1.0", "--to", "dev")).code).toBe(0);
    const before = await world("prod");
    const dry = await cli("promote", "1.1.0", "--to", "prod", "--dry-run", "--json");
    expect(dry.code, dry.err).toBe(0);
    const preview = JSON.parse(dry.out.join("\n")) as { release: string; environment: string; notes: string[]; steps: { step: string; runs: boolean; plan: string[] }[] };
    expect(preview).toMatchObject({ release: "1.1.0", environment: "prod", notes: [] });
    const [taskdef, service] = preview.steps;
    expect(taskdef?.plan).toContainEqual(expect.stringMatching(/^ {2}\+ register a new revision of shop-web for prod \(content [0-9a-f]{12}\)$/));
    // The rendered definition's difference from what prod runs: the image, nothing else.
    expect(taskdef?.plan.filter((l) => /^[-+] /.test(l) && !/^(---|\+\+\+)/.test(l)).map((l) => l.replace(/sha256:[0-9a-f]+/, "sha256:…"))).toEqual([
      expect.stringMatching(/^- {6}"image": ".*shop\/web@sha256:…",$/),
      expect.stringMatching(/^\+ {6}"image": ".*shop\/web@sha256:…",$/),
    ]);
    const stages = service?.plan ?? [];
    const prodRevision = before.service?.split("/").at(-1) as string;
    expect(stages).toContain(`canary of shop-web: ${prodRevision} → shop-web:(new), 1 rule(s) routing to it`);
    const expected = [
      "stage 1 canary rollout 50%:",
      "  + create the canary task set: shop-web:(new) at 50% on the other target group",
      "stage 2 verify:",
      "  + open verification rules (header X-Shop-Verify) to the other target group",
      "stage 3 traffic canary 10%:",
      expect.stringMatching(/^ {2}\+ route 90% live \/ 10% other through the default action of /),
      "stage 4 pause 5s:",
      "  · wait 5 s",
      "stage 5 approval:",
      "  · wait for a person: slipway approve <deployment> (slipway abort <deployment> rolls back) — anyone may decide; it waits until someone decides: Compare the canary with the stable version.",
      "stage 6 primary rollout:",
      "stage 7 traffic primary 100%:",
      expect.stringMatching(/^ {2}\+ route 100% live \/ 0% other through /),
      "stage 8 canary clean:",
      expect.stringMatching(/^on any failure/),
    ];
    let at = -1;
    for (const line of expected) {
      const next = stages.findIndex((l, i) => i > at && (typeof line === "string" ? l === line : (line as { asymmetricMatch(v: unknown): boolean }).asymmetricMatch(l)));
      expect(next, `${String(line)} after line ${at} of:\n${stages.join("\n")}`).toBeGreaterThan(at);
      at = next;
    }
    expect(await world("prod")).toEqual(before);
  });
});
