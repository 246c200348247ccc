import { buildInfrastructure } from "../seed/build.js";
import { simControl } from "../seed/sim-control.js";

/**
 * The shop the demo deploys, made in the simulator by the builder `slipway sim seed` uses: per environment a
 * cluster, an ALB with an HTTP listener on port 80 and a blue/green target group pair; one ECR repository with
 * several tagged images, one of which fails its health check. Names match examples/targets.yaml.
 */
export interface SampleInfrastructure {
  environments: { name: string; cluster: string; loadBalancer: string; listenerArn: string; primary: string; canary: string }[];
  repository: string;
  tags: string[];
  /** The image tag whose tasks never pass the load balancer's health check. */
  unhealthyTag: string;
}

export const sampleEnvironments = ["dev", "test", "prod"] as const;
export const sampleRepository = "shop/web";
export const sampleTags = ["1.0.0", "1.1.0", "1.2.0", "1.3.0"];
export const sampleUnhealthyTag = "1.3.0";

export async function createSampleInfrastructure(endpoint: string, region = "us-east-1", project = "shop"): Promise<SampleInfrastructure> {
  const connection = { region, endpoint };
  const built = await buildInfrastructure({
    environments: sampleEnvironments.map((env) => {
      const name = `${project}-${env}`;
      return {
        environment: env,
        connection,
        cluster: name,
        loadBalancer: {
          name,
          listenerPort: 80,
          targetGroups: { primary: `${name}-blue`, canary: `${name}-green` },
          extraTargetGroups: [],
          // Old tasks drain in seconds rather than AWS's default five minutes: the demo is short.
          targetGroup: { port: 8080, targetType: "ip", healthCheckPath: "/health", deregistrationDelaySeconds: 5 },
          subnets: ["subnet-demo-a", "subnet-demo-b"],
          securityGroups: ["sg-demo"],
        },
      };
    }),
    repositories: [sampleRepository],
    images: sampleTags.map((tag) => ({ repository: sampleRepository, tag })),
    secrets: [],
  });
  await simControl(endpoint, region, "PUT", "faults/images", { image: `${sampleRepository}:${sampleUnhealthyTag}`, behaviour: "unhealthy" });
  const environments = built.environments.map((b) => ({ name: b.environment, cluster: b.cluster, loadBalancer: b.loadBalancer?.name ?? "", listenerArn: b.loadBalancer?.listenerArn ?? "", primary: b.loadBalancer?.primary ?? "", canary: b.loadBalancer?.canary ?? "" }));
  return { environments, repository: sampleRepository, tags: sampleTags, unhealthyTag: sampleUnhealthyTag };
}
