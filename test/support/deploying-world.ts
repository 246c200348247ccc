import { createAwsClients } from "../../src/aws/clients.js";
import { loadDeployableProject } from "../../src/config/load.js";
import type { Store } from "../../src/engine/store.js";
import type { DeployingProject } from "../../src/releases/deployments.js";
import { toAwsConnection } from "../../targets/connection.js";
import type { Shop } from "../steps/service/task-sets/world.js";
import type { ProjectStores } from "./project-store.js";
import type { ReleaseProject } from "./release-world.js";
import type { SimHarness } from "./sim.js";

/**
 * The release project as `slipway deploy` opens it, for a test that starts deployments itself (startDeployment):
 * its store — the handle in-process CLI runs share — and what a deployment needs of the project.
 */
export async function openDeploying(p: ReleaseProject, stores: ProjectStores): Promise<{ store: Store; project: DeployingProject }> {
  const loaded = loadDeployableProject(p.project);
  const store = await stores.of(p.project, loaded.project.name);
  return { store, project: { name: loaded.project.name, lifecycle: loaded.project.lifecycle, targets: loaded.targets, store, clientsFor: (t) => createAwsClients(toAwsConnection(t)) } };
}

/** An environment of the sample infrastructure as the traffic oracle (revisionShares, settledState) reads it. */
export function sampleShop(h: SimHarness, p: ReleaseProject, environment = "dev"): Shop {
  const env = p.infrastructure.environments.find((e) => e.name === environment);
  if (!env) throw new Error(`the sample infrastructure has no ${environment}`);
  return { name: "shop-web", listenerArn: env.listenerArn, primary: env.primary, canary: env.canary, other: "", productionRuleArn: "", target: { environment, region: h.region, cluster: env.cluster } };
}
