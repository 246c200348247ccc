import type { Service } from "@aws-sdk/client-ecs";
import { ConflictError } from "../../../src/errors.js";
import type { ObservedService } from "../state.js";

/** A service the task-set modes must not touch: another deployment controller, or being deleted. Says how to get out. */
export function refuseForTaskSets(current: Pick<ObservedService, "name" | "controller" | "status">, mode: string): void {
  if (current.controller !== "EXTERNAL") {
    throw new ConflictError(
      `The service "${current.name}" uses the ${current.controller} deployment controller, but mode: ${mode} drives task sets, which only an EXTERNAL service has. slipway will not switch a service's controller as a side effect of a deploy.`,
      current.controller === "ECS"
        ? `To migrate: check the service sits behind the target's primary target group, then run \`aws ecs update-service --cluster <cluster> --service ${current.name} --deployment-controller type=EXTERNAL\` (ECS turns its running deployment into the primary task set) and deploy again; or keep mode: rolling; or create a new service for mode: ${mode} and move traffic to it.`
        : `Deploy it with the tool that owns its controller (CodeDeploy), or create a new service for mode: ${mode} and move traffic to it.`,
    );
  }
  if (current.status === "DRAINING") {
    throw new ConflictError(`The service "${current.name}" is being deleted (DRAINING), so it cannot be deployed to.`, "Wait until ECS has removed it (it turns INACTIVE), then deploy again to create it afresh.");
  }
}

export function refuseServiceForTaskSets(service: Service, mode: string): void {
  refuseForTaskSets({ name: service.serviceName ?? "", controller: (service.deploymentController?.type ?? "ECS") as ObservedService["controller"], status: service.status ?? "ACTIVE" }, mode);
}
