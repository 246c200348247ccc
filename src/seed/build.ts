import { CreateClusterCommand, DescribeClustersCommand, type ECSClient } from "@aws-sdk/client-ecs";
import { callAws } from "../aws/call.js";
import { createAwsClients, type AwsClients } from "../aws/clients.js";
import { SSMClient } from "@aws-sdk/client-ssm";
import { ensureImages, type Registry } from "./build-images.js";
import { ensureValueFrom } from "./build-secrets.js";
import { ensureLoadBalancer, type BuiltLoadBalancer } from "./build-load-balancer.js";
import type { SimConnection, WantedInfrastructure } from "./wanted.js";

export interface BuiltEnvironment {
  environment: string;
  connection: SimConnection;
  cluster: string;
  loadBalancer?: BuiltLoadBalancer;
  /** What this run made for the environment, one line each; empty when everything was there. */
  created: string[];
}

/** The cluster's name from a name or an ARN (arn:aws:ecs:region:account:cluster/name). */
function clusterName(nameOrArn: string): string {
  return nameOrArn.startsWith("arn:") ? (nameOrArn.split("/").at(-1) ?? nameOrArn) : nameOrArn;
}

async function ensureCluster(ecs: ECSClient, nameOrArn: string, created: string[]): Promise<void> {
  const name = clusterName(nameOrArn);
  const out = await callAws("DescribeClusters", name, () => ecs.send(new DescribeClustersCommand({ clusters: [name] })));
  // A deleted cluster is described as INACTIVE; creating it again makes it ACTIVE, as on AWS.
  if (out.clusters?.some((c) => c.status === "ACTIVE")) return;
  await callAws("CreateCluster", name, () => ecs.send(new CreateClusterCommand({ clusterName: name })));
  created.push(`cluster ${name}`);
}

const where = (c: SimConnection) => `${c.endpoint} ${c.region}`;

/**
 * Makes what `wanted` lists and is missing, in order, through the AWS APIs a platform team would use (plus the
 * simulator's stand-in for `docker push`). Running it twice creates nothing the second time. Only ever pointed at
 * a simulator: the caller has checked every endpoint answers as one (src/seed/probe.ts).
 */
export interface BuiltInfrastructure {
  environments: BuiltEnvironment[];
  /** Repositories with no image where releases choose them (the first environment's registry). */
  emptyRepositories: string[];
  /** What was asked for and could not be made, and why. */
  notes: string[];
}

export async function buildInfrastructure(wanted: WantedInfrastructure): Promise<BuiltInfrastructure> {
  const clients = new Map<string, AwsClients>();
  const clientsFor = (c: SimConnection) => {
    let found = clients.get(where(c));
    if (!found) {
      found = createAwsClients(c);
      clients.set(where(c), found);
    }
    return found;
  };
  try {
    const built: BuiltEnvironment[] = [];
    for (const env of wanted.environments) {
      const { ecs, elbv2 } = clientsFor(env.connection);
      const created: string[] = [];
      await ensureCluster(ecs, env.cluster, created);
      const loadBalancer = env.loadBalancer && (await ensureLoadBalancer(elbv2, env.loadBalancer, created));
      built.push({ environment: env.environment, connection: env.connection, cluster: clusterName(env.cluster), ...(loadBalancer && { loadBalancer }), created });
    }
    // One registry per account and region, reported under the first environment that uses it.
    const registries: Registry[] = [];
    for (const env of built) {
      if (registries.some((r) => where(r.connection) === where(env.connection))) continue;
      registries.push({ connection: env.connection, ecr: clientsFor(env.connection).ecr, created: env.created });
    }
    const emptyRepositories = await ensureImages(registries, wanted.repositories, wanted.images);
    const notes: string[] = [];
    for (const secret of wanted.secrets) {
      const { secretsManager } = clientsFor(secret.connection);
      // Only here: no other part of slipway reads Parameter Store (ECS fetches the parameters tasks name).
      const ssm = new SSMClient({ ...secret.connection, credentials: { accessKeyId: "slipway-local", secretAccessKey: "slipway-local" } });
      try {
        await ensureValueFrom({ secretsManager, ssm }, secret.valueFrom, built.find((b) => b.environment === secret.environment)?.created ?? [], notes);
      } finally {
        ssm.destroy();
      }
    }
    return { environments: built, emptyRepositories, notes };
  } finally {
    for (const c of clients.values()) c.destroy();
  }
}
