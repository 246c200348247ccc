import { AwsError } from "../aws-error.js";

/** ELBv2's error codes (the query protocol's <Code>) with the messages AWS answers them with. */
export const loadBalancerNotFound = () => new AwsError("LoadBalancerNotFound", "One or more load balancers not found");
export const targetGroupNotFound = () => new AwsError("TargetGroupNotFound", "One or more target groups not found");
export const listenerNotFound = () => new AwsError("ListenerNotFound", "One or more listeners not found");
export const ruleNotFound = () => new AwsError("RuleNotFound", "One or more rules not found");
export const priorityInUse = (priority: number) => new AwsError("PriorityInUse", `Priority '${priority}' is currently in use`);
export const validation = (message: string) => new AwsError("ValidationError", message);
export const operationNotPermitted = (message: string) => new AwsError("OperationNotPermitted", message);
export const resourceInUse = (message: string) => new AwsError("ResourceInUse", message);
export const invalidConfiguration = (message: string) => new AwsError("InvalidConfigurationRequest", message);

/** AWS's generated-model validation message, e.g. for a weight above 999. */
export function constraintViolation(value: unknown, path: string, constraint: string): AwsError {
  return validation(`1 validation error detected: Value '${String(value)}' at '${path}' failed to satisfy constraint: ${constraint}`);
}
