/**
 * What a simulated account should hold for a project to deploy: per environment a cluster and the load balancer
 * pieces its target names, and the ECR repositories and tagged images its releases choose from. Said as data so the
 * demo's sample world and `slipway sim seed` (a project's own) are made by one builder (src/seed/build.ts).
 */

/** Where one environment's resources go: a simulator endpoint and a region of it. */
export interface SimConnection {
  region: string;
  endpoint: string;
}

export interface WantedTargetGroupSettings {
  /** The container port the service registers. */
  port: number;
  /** `ip` for awsvpc tasks (every Fargate task), `instance` for bridge and host network modes. */
  targetType: "ip" | "instance";
  /** Default: AWS's "/". */
  healthCheckPath?: string;
  /** Default: AWS's 300 seconds. */
  deregistrationDelaySeconds?: number;
}

export interface WantedLoadBalancer {
  name: string;
  /** The HTTP listener's port. */
  listenerPort: number;
  /**
   * The pair the service steps move traffic between. The listener's default action is what slipway's service
   * step expects: one forward to both groups, all of it to primary and none to canary.
   */
  targetGroups: { primary: string; canary: string };
  /** Further target groups a step names (a verification step's own), attached to nothing until a deployment routes to them. */
  extraTargetGroups: string[];
  targetGroup: WantedTargetGroupSettings;
  /** Default: two subnets the simulator makes up. */
  subnets?: string[];
  securityGroups?: string[];
}

export interface WantedEnvironment {
  environment: string;
  connection: SimConnection;
  cluster: string;
  loadBalancer?: WantedLoadBalancer;
}

export interface WantedImage {
  repository: string;
  tag: string;
}

/** A secret the project's team manages (a variable's valueFrom), which a task in the environment fetches when it starts. */
export interface WantedSecret {
  environment: string;
  /** The region is the ARN's, else the target's. */
  connection: SimConnection;
  valueFrom: string;
}

export interface WantedInfrastructure {
  /** In lifecycle order: the first one's registry is where `release create` chooses images. */
  environments: WantedEnvironment[];
  repositories: string[];
  /** Each one pushed on its own (an image of its own, with a digest of its own), in this order. */
  images: WantedImage[];
  /** Created with a placeholder value when missing. */
  secrets: WantedSecret[];
}

/** A VPC id for target groups: the simulator keeps it, nothing checks it. */
export const simulatedVpc = "vpc-0511ba7e5ee51a0b1";
