import { ECSClient, ListClustersCommand } from "@aws-sdk/client-ecs";
import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { ECRClient } from "@aws-sdk/client-ecr";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { awsClockFor, watchAwsClock, type AwsClock } from "./clock.js";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";

/** How to reach AWS for one target: the part of a target that says where and as whom. */
export interface AwsConnection {
  region: string;
  /** An AWS-compatible endpoint (the simulator, moto); AWS's own endpoints when absent. */
  endpoint?: string;
  /** A role to assume for this target, e.g. the deploy role in the prod account. */
  roleArn?: string;
  externalId?: string;
  /** A named profile from ~/.aws/config to start the credential chain from. */
  profile?: string;
  /** Attempts per call, first one included. Default 5. */
  maxAttempts?: number;
  /** "adaptive" adds client-side rate limiting on top of "standard" retries. Default adaptive. */
  retryMode?: "standard" | "adaptive";
  /** Milliseconds to connect before an attempt fails (and is retried). Default 5,000. */
  connectionTimeoutMs?: number;
  /** Milliseconds an attempt may take once connected. Default 30,000. */
  requestTimeoutMs?: number;
}

export interface AwsClients {
  ecs: ECSClient;
  elbv2: ElasticLoadBalancingV2Client;
  ecr: ECRClient;
  /** Where slipway keeps the secrets it owns (fromEnv secret variables). */
  secretsManager: SecretsManagerClient;
  /** Application Auto Scaling: whether a service's desired count is managed by someone else. */
  autoscaling: ApplicationAutoScalingClient;
  /** AWS's time as these clients' answers tell it: what slipway stamps its records with. */
  clock: AwsClock;
  destroy(): void;
}

/**
 * Local emulators accept any signature, and a newcomer on a laptop has no AWS credentials at all, so a
 * loopback endpoint gets fixed, obviously fake credentials instead of the standard chain.
 */
const localCredentials: AwsCredentialIdentity = { accessKeyId: "slipway-local", secretAccessKey: "slipway-local" };

export function isLoopbackEndpoint(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  try {
    const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host === "::1" || host.startsWith("127.");
  } catch {
    return false;
  }
}

function credentialsFor(connection: AwsConnection): AwsCredentialIdentity | AwsCredentialIdentityProvider {
  if (isLoopbackEndpoint(connection.endpoint) && !connection.roleArn) return localCredentials;
  const base = fromNodeProviderChain(connection.profile ? { profile: connection.profile } : {});
  if (!connection.roleArn) return base;
  return fromTemporaryCredentials({
    masterCredentials: base,
    params: {
      RoleArn: connection.roleArn,
      RoleSessionName: "slipway",
      ...(connection.externalId && { ExternalId: connection.externalId }),
    },
    clientConfig: { region: connection.region },
  });
}

/** The one place slipway builds AWS clients: same region, endpoint, credentials and retry policy for all of them. */
export function createAwsClients(connection: AwsConnection): AwsClients {
  const config = {
    region: connection.region,
    credentials: credentialsFor(connection),
    maxAttempts: connection.maxAttempts ?? 5,
    retryMode: connection.retryMode ?? "adaptive",
    // Without timeouts an endpoint that accepts connections but never answers (a firewall, a wrong address)
    // would hang every command forever; with them the attempt fails, is retried, and then is reported.
    requestHandler: new NodeHttpHandler({
      connectionTimeout: connection.connectionTimeoutMs ?? 5_000,
      requestTimeout: connection.requestTimeoutMs ?? 30_000,
      throwOnRequestTimeout: true,
    }),
    ...(connection.endpoint && { endpoint: connection.endpoint }),
    // The SDK corrects its signing clock from answers' Date and retries any refusal that came with a clock more
    // than four minutes away. A local emulator checks no signature, and the simulator's clock runs fast on
    // purpose: every refusal (ServiceNotFound, a failed condition) would be sent up to five times.
    ...(isLoopbackEndpoint(connection.endpoint) && { disableClockSkewCorrection: true }),
  };
  const ecs = new ECSClient(config);
  const elbv2 = new ElasticLoadBalancingV2Client(config);
  const ecr = new ECRClient(config);
  const secretsManager = new SecretsManagerClient(config);
  const autoscaling = new ApplicationAutoScalingClient(config);
  const clock = awsClockFor(connection.endpoint);
  for (const client of [ecs, elbv2, ecr, secretsManager, autoscaling]) watchAwsClock(client, clock);
  return {
    clock,
    ecs,
    elbv2,
    ecr,
    secretsManager,
    autoscaling,
    destroy: () => {
      ecs.destroy();
      elbv2.destroy();
      ecr.destroy();
      secretsManager.destroy();
      autoscaling.destroy();
    },
  };
}

/**
 * Asks AWS for anything (its answer is dated, a refusal's too), so a run's first stamps are on AWS's clock as it
 * is now, like its later ones. Bounded: an endpoint that does not answer is reported by the run's first real
 * call, not here.
 */
export async function readAwsClock(clients: Pick<AwsClients, "ecs">): Promise<void> {
  await clients.ecs.send(new ListClustersCommand({ maxResults: 1 }), { abortSignal: AbortSignal.timeout(3_000) }).catch(() => undefined);
}
