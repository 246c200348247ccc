import { ContinueServiceDeploymentCommand, StopServiceDeploymentCommand, type ECSClient } from "@aws-sdk/client-ecs";
import { callAws } from "./call.js";

/**
 * Acting on one of ECS's own blue/green, linear or canary deployments while it runs: a paused lifecycle hook goes on
 * or rolls back (ContinueServiceDeployment), or the whole deployment rolls back (StopServiceDeployment). Which one
 * to send, and when, is the step's decision.
 */
export interface ServiceDeploymentControl {
  /** Decides a pause hook that is AWAITING_ACTION. The action is always sent: ECS's default would be CONTINUE. */
  decideHook(serviceDeploymentArn: string, hookId: string, action: "CONTINUE" | "ROLLBACK"): Promise<void>;
  /** Rolls back a deployment that is PENDING or IN_PROGRESS (stopType ROLLBACK, the only one AWS documents). */
  rollBack(serviceDeploymentArn: string): Promise<void>;
}

export class EcsServiceDeploymentControl implements ServiceDeploymentControl {
  constructor(private readonly ecs: ECSClient) {}

  async decideHook(serviceDeploymentArn: string, hookId: string, action: "CONTINUE" | "ROLLBACK"): Promise<void> {
    await callAws("ContinueServiceDeployment", `${serviceDeploymentArn} hook ${hookId}`, () => this.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn, hookId, action })));
  }

  async rollBack(serviceDeploymentArn: string): Promise<void> {
    await callAws("StopServiceDeployment", serviceDeploymentArn, () => this.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn, stopType: "ROLLBACK" })));
  }
}
