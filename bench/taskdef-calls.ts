/**
 * How many AWS calls the task definition step makes: a first register, then an unchanged re-deploy, which must
 * make reads only. Starts an in-process simulator (bench code may import src/sim) and counts the calls it
 * answered, by operation. tsconfig.build.json does not include bench/, so compile it with its imports into
 * dist/ and run it from the repository root (it reads the web step fixture):
 *   npx tsc --module NodeNext --moduleResolution NodeNext --target ES2022 --lib ES2023 --types node --strict \
 *     --skipLibCheck --esModuleInterop --resolveJsonModule --verbatimModuleSyntax --rootDir . --outDir dist \
 *     bench/taskdef-calls.ts && node dist/bench/taskdef-calls.js
 */
import { Simulator } from "../src/sim/simulator.js";
import { listen } from "../src/sim/server.js";
import type { CallCounts } from "../src/sim/call-ledger.js";
import { createAwsClients } from "../src/aws/clients.js";
import { FileJournal } from "../src/storage/file-journal.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { taskDefinitionStep } from "../steps/task-definition/index.js";
import type { StepContext } from "../steps/step.js";

const isRead = (operation: string) => /:(Describe|List|Get)/.test(operation);

function report(title: string, counts: CallCounts): { reads: number; writes: number } {
  let reads = 0;
  let writes = 0;
  console.log(`\n${title}`);
  for (const [operation, outcomes] of Object.entries(counts.byOperation).sort(([a], [b]) => a.localeCompare(b))) {
    const n = Object.values(outcomes).reduce((a, b) => a + (b ?? 0), 0);
    if (isRead(operation)) reads += n;
    else writes += n;
    console.log(`  ${isRead(operation) ? "read " : "WRITE"}  ${operation.padEnd(34)} ${n}`);
  }
  console.log(`  total: ${reads} read(s), ${writes} write(s)`);
  return { reads, writes };
}

async function main(): Promise<void> {
  const sim = new Simulator({ throttling: false });
  const running = await listen(sim, 0);
  const clients = createAwsClients({ region: "us-east-1", endpoint: running.url, maxAttempts: 3 });
  try {
    const pushImage = (repository: string, tag: string) =>
      fetch(`${running.url}/_sim/ecr/push?region=us-east-1`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ repository, tags: [tag], create: true }) });
    await pushImage("shop/web", "1.4.2");
    await pushImage("shop/log-router", "2.1.0");
    const step = taskDefinitionStep.load("test/fixtures/steps/task-definition/web.step.yaml");
    const ctx = (deploymentId: string): StepContext => ({
      target: { environment: "dev", region: "us-east-1", cluster: "shop-dev", endpoint: running.url },
      deploymentId,
      journal: new FileJournal(mkdtempSync(join(tmpdir(), "slipway-bench-"))),
      clients,
    });

    sim.calls.reset();
    const first = await taskDefinitionStep.run(step, ctx("bench-1"));
    report(`first register (${first.plan.actions.length} action(s))`, sim.calls.snapshot());

    sim.calls.reset();
    const again = await taskDefinitionStep.run(step, ctx("bench-2"));
    const unchanged = report(`unchanged re-deploy (${again.plan.actions.length} action(s))`, sim.calls.snapshot());
    if (unchanged.writes !== 0) {
      console.error("\nFAIL: an unchanged re-deploy made writes");
      process.exitCode = 1;
    }
  } finally {
    clients.destroy();
    await running.close();
  }
}

await main();
