import { SimClock } from "./clock.js";
import { Faults } from "./faults.js";
import { Throttler } from "./throttle.js";
import { CallLedger } from "./call-ledger.js";
import { classifyForThrottling } from "./throttle-quotas.js";
import { EcsSimulation } from "./ecs/index.js";
import { EcrSimulation } from "./ecr/index.js";
import { ElbSimulation } from "./elbv2/index.js";
import type { FrontendPorts } from "./elbv2/frontends.js";
import { SecretsManagerSimulation } from "./secretsmanager/index.js";
import { SsmSimulation } from "./ssm/index.js";
import { ApplicationAutoScalingSimulation } from "./application-autoscaling/index.js";
import type { ServiceModule, ServiceName } from "./module.js";

export interface SimulatorOptions {
  /** How many simulated seconds pass per wall-clock second. Default 1. */
  speed?: number;
  /** The account id in every ARN. Default 000000000000. */
  account?: string;
  /** ECS-like token-bucket throttling. Default on. */
  throttling?: boolean;
  /** Seed for injected faults and for the load balancers' weighted choices, so a run can be repeated. Default 1. */
  seed?: number;
  /**
   * Local ports of the ALB frontends (real HTTP per HTTP listener): from `base` upward in the order listeners are
   * created (a taken port is skipped), or "ephemeral" for any free ones. Default "ephemeral".
   */
  frontendPorts?: FrontendPorts;
  /** Simulated seconds a request forwarded by a load balancer takes (the /_sim/elbv2/traffic control). Default 0. */
  requestSeconds?: number;
  /** Simulated seconds a change of a listener's or rule's actions takes to reach the load balancer. Default 0. */
  weightPropagationSeconds?: number;
}

/** The whole simulated AWS: one clock, one set of faults, and the services that share them. */
export class Simulator {
  readonly clock: SimClock;
  readonly faults: Faults;
  readonly throttler: Throttler;
  readonly calls = new CallLedger();
  readonly account: string;
  readonly ecs: EcsSimulation;
  readonly ecr: EcrSimulation;
  readonly elbv2: ElbSimulation;
  readonly secretsmanager: SecretsManagerSimulation;
  readonly ssm: SsmSimulation;
  readonly applicationAutoScaling: ApplicationAutoScalingSimulation;

  constructor(options: SimulatorOptions = {}) {
    this.clock = new SimClock(options.speed ?? 1);
    this.faults = new Faults(options.seed ?? 1);
    this.throttler = new Throttler(classifyForThrottling, options.throttling ?? true);
    this.account = options.account ?? "000000000000";
    this.ecr = new EcrSimulation(this);
    this.elbv2 = new ElbSimulation(this, options.frontendPorts ?? "ephemeral", options.seed ?? 1, {
      ...(options.requestSeconds !== undefined && { requestSeconds: options.requestSeconds }),
      ...(options.weightPropagationSeconds !== undefined && { weightPropagationSeconds: options.weightPropagationSeconds }),
    });
    this.secretsmanager = new SecretsManagerSimulation(this);
    this.ssm = new SsmSimulation(this);
    this.ecs = new EcsSimulation(this);
    this.applicationAutoScaling = new ApplicationAutoScalingSimulation(this);
  }

  module(service: ServiceName): ServiceModule {
    return service === "application-autoscaling" ? this.applicationAutoScaling : this[service];
  }

  /** Brings every service up to the current simulated time and returns it. */
  advance(): Date {
    const now = this.clock.now();
    // ECS after the services it reads: a task starting now sees them as they stand now (a secret past its recovery
    // window is gone). Application Auto Scaling after ECS, whose services it follows (a deleted one loses its target).
    for (const module of [this.ecr, this.elbv2, this.secretsmanager, this.ssm, this.ecs, this.applicationAutoScaling] as ServiceModule[]) module.tick?.(now);
    return now;
  }

  /** Closes what the simulator opened on its own: the load balancers' frontends. */
  close(): Promise<void> {
    return this.elbv2.frontends.close();
  }
}
