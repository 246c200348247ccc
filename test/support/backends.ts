import { inject } from "vitest";
import { PutAccountSettingCommand } from "@aws-sdk/client-ecs";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { BuildMiddleware, MetadataBearer } from "@aws-sdk/types";
import { createAwsClients, type AwsClients } from "../../src/aws/clients.js";
import { startSim, type SimHarness } from "./sim.js";

/**
 * The two AWS look-alikes the fidelity suite runs every scenario against: slipway's simulator and moto. Both are
 * reached over HTTP with the SDK clients slipway's own factory builds, so a scenario cannot tell them apart.
 */
export type BackendName = "simulator" | "moto";

export interface Capabilities {
  /** Behaviour over time (tasks starting, deployments settling) and the /_sim control surface. */
  simulatedTime: boolean;
}

/** Subnets and a VPC that the backend's ELBv2 accepts for load balancers and target groups. */
export interface Network {
  vpcId: string;
  subnets: [string, string];
  securityGroups: [string];
}

/** Secrets Manager and Parameter Store clients: slipway's client factory builds neither, so the suite does. */
export interface SecretClients {
  secretsManager: SecretsManagerClient;
  ssm: SSMClient;
  destroy(): void;
}

export function secretClientsFor(endpoint: string, region: string): SecretClients {
  const config = { region, endpoint, credentials: { accessKeyId: "slipway-local", secretAccessKey: "slipway-local" }, maxAttempts: 2 };
  const secretsManager = new SecretsManagerClient(config);
  const ssm = new SSMClient(config);
  return {
    secretsManager,
    ssm,
    destroy: () => {
      secretsManager.destroy();
      ssm.destroy();
    },
  };
}

export interface Backend {
  readonly name: BackendName;
  readonly region: string;
  readonly capabilities: Capabilities;
  /** Clients for the current scenario's world; replaced by reset(). */
  readonly clients: AwsClients;
  /** Secrets Manager and SSM clients for the current scenario's world; replaced by reset(). */
  readonly secretClients: SecretClients;
  /** The account id in the current world's ARNs. */
  readonly account: string;
  /** The simulator harness (control surface, clock) when this backend is the simulator. */
  readonly sim: SimHarness | undefined;
  /** Gives the next scenario an empty world. */
  reset(): Promise<void>;
  network(): Promise<Network>;
  close(): Promise<void>;
}

export interface BackendEntry {
  name: BackendName;
  /** Why this backend cannot run here (with how to fix it), or undefined when it can. */
  unavailable: string | undefined;
  start(region: string): Promise<Backend>;
}

/** A fresh simulator per scenario: it starts in milliseconds, and nothing of one scenario leaks into the next. */
async function startSimulatorBackend(region: string): Promise<Backend> {
  let harness = await startSim({ region });
  let secretClients = secretClientsFor(harness.url, region);
  return {
    name: "simulator",
    region,
    capabilities: { simulatedTime: true },
    get clients() {
      return harness.clients;
    },
    get secretClients() {
      return secretClients;
    },
    get account() {
      return harness.sim.account;
    },
    get sim() {
      return harness;
    },
    async reset() {
      secretClients.destroy();
      await harness.close();
      harness = await startSim({ region });
      secretClients = secretClientsFor(harness.url, region);
    },
    // The simulator keeps no EC2 world; it takes subnet and VPC ids as given, as AWS would for existing ones.
    network: () =>
      Promise.resolve({
        vpcId: "vpc-0fa1c0de00000001",
        subnets: ["subnet-0fa1c0de0000000a", "subnet-0fa1c0de0000000b"],
        securityGroups: ["sg-0fa1c0de00000001"],
      }),
    close: () => {
      secretClients.destroy();
      return harness.close();
    },
  };
}

/**
 * One shared moto_server serves every test file, in parallel forked processes. POST /moto-api/reset would wipe
 * the worlds of the other files' running scenarios, so each scenario gets an account of its own instead: moto
 * keys all its state by account (and region) and takes the account from the x-moto-account-id header.
 * The process id keeps forks apart, the counter keeps one file's scenarios apart.
 */
let accountCounter = 0;
function nextMotoAccount(): string {
  accountCounter += 1;
  return `${String(process.pid % 10_000_000).padStart(7, "0")}${String(accountCounter).padStart(5, "0")}`;
}

function addAccountHeader(clients: AwsClients, secretClients: SecretClients, account: () => string): void {
  const setHeader: BuildMiddleware<object, MetadataBearer> = (next) => (args) => {
    const request = args.request as { headers?: Record<string, string> };
    if (request.headers) request.headers["x-moto-account-id"] = account();
    return next(args);
  };
  const options = { step: "build", name: "motoAccountHeader" } as const;
  // Every client the factory builds, whichever those are, so none of them strays into another scenario's account.
  type Stacked = { middlewareStack: { add(middleware: typeof setHeader, opts: typeof options): void } };
  const all: unknown[] = [...Object.values(clients), secretClients.secretsManager, secretClients.ssm];
  for (const client of all) if (client && typeof client === "object" && "middlewareStack" in client) (client as Stacked).middlewareStack.add(setHeader, options);
}

/** One EC2 query-protocol call to moto, which reads the region from the SigV4 scope and checks no signature. */
async function motoEc2(url: string, region: string, account: string, query: string): Promise<string> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      // moto reads the region from the SigV4 credential scope and does not check the signature.
      authorization: `AWS4-HMAC-SHA256 Credential=slipway-local/20250101/${region}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
      "x-moto-account-id": account,
    },
    body: `Version=2016-11-15&${query}`,
  });
  const xml = await res.text();
  if (!res.ok) throw new Error(`moto's EC2 answered ${res.status} to ${query}: ${xml.slice(0, 500)}`);
  return xml;
}

/**
 * moto checks subnets, VPCs and security groups against its EC2 world, which holds a default VPC (with its
 * subnets and "default" security group) per account and region. slipway has no EC2 client, so this asks by hand.
 */
async function motoDefaultNetwork(url: string, region: string, account: string): Promise<Network> {
  const subnetsXml = await motoEc2(url, region, account, "Action=DescribeSubnets&Filter.1.Name=default-for-az&Filter.1.Value.1=true");
  const [a, b] = [...subnetsXml.matchAll(/<subnetId>([^<]+)<\/subnetId>/g)].map((m) => m[1] ?? "");
  const vpcId = /<vpcId>([^<]+)<\/vpcId>/.exec(subnetsXml)?.[1];
  const groupsXml = await motoEc2(url, region, account, `Action=DescribeSecurityGroups&Filter.1.Name=group-name&Filter.1.Value.1=default&Filter.2.Name=vpc-id&Filter.2.Value.1=${vpcId ?? ""}`);
  const securityGroup = /<groupId>([^<]+)<\/groupId>/.exec(groupsXml)?.[1];
  if (!vpcId || !a || !b || !securityGroup) throw new Error(`moto has no default VPC with two subnets and a security group in ${region}`);
  return { vpcId, subnets: [a, b], securityGroups: [securityGroup] };
}

/**
 * AWS has given every account long ECS ARNs (service/<cluster>/<name>) by default since 2021; moto still starts
 * each account on the old short format, so a fresh moto account opts in, as any real account already has.
 */
async function optIntoLongArns(clients: AwsClients): Promise<void> {
  for (const name of ["serviceLongArnFormat", "taskLongArnFormat", "containerInstanceLongArnFormat"] as const) {
    await clients.ecs.send(new PutAccountSettingCommand({ name, value: "enabled" }));
  }
}

async function startMotoBackend(url: string, region: string): Promise<Backend> {
  let account = nextMotoAccount();
  const clients = createAwsClients({ region, endpoint: url, maxAttempts: 2 });
  const secretClients = secretClientsFor(url, region);
  addAccountHeader(clients, secretClients, () => account);
  return {
    name: "moto",
    region,
    capabilities: { simulatedTime: false },
    clients,
    secretClients,
    get account() {
      return account;
    },
    sim: undefined,
    async reset() {
      account = nextMotoAccount();
      await optIntoLongArns(clients);
    },
    network: () => motoDefaultNetwork(url, region, account),
    close() {
      clients.destroy();
      secretClients.destroy();
      return Promise.resolve();
    },
  };
}

/** Both backends, in the order the suite runs them; moto is marked unavailable when globalSetup found none. */
export function fidelityBackends(): BackendEntry[] {
  const motoUrl = inject("motoUrl");
  return [
    { name: "simulator", unavailable: undefined, start: startSimulatorBackend },
    {
      name: "moto",
      unavailable: motoUrl ? undefined : inject("motoUnavailable"),
      start: (region) => {
        if (!motoUrl) throw new Error(inject("motoUnavailable"));
        return startMotoBackend(motoUrl, region);
      },
    },
  ];
}
