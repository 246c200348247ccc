import type { ListenerResolver } from "../../src/aws/listener-rules.js";
import { InputError } from "../../src/errors.js";
import type { Target } from "../../targets/target.js";

/** The listener and target groups a target names, as ARNs. */
export interface ResolvedListener {
  listenerArn: string;
  /** Primary and canary: rules forwarding to either are the service's production rules. */
  serviceTargetGroupArns: string[];
  /** Where verification traffic goes. */
  newTargetGroupArn: string;
}

/**
 * Resolves the target's loadBalancer: the listener, its two target groups and the new stack's group, which is
 * "canary" or "primary" (the target's) or any name or ARN the step gives.
 */
export async function resolveVerificationListener(target: Target, newTargetGroup: string, resolver: ListenerResolver): Promise<ResolvedListener> {
  const lb = target.loadBalancer;
  if (!lb) {
    throw new InputError(
      `The ${target.environment} target has no loadBalancer, so there is no listener to add verification rules to.`,
      `Add loadBalancer: { listener: …, targetGroups: { primary: …, canary: … } } to the ${target.environment} target in targets.yaml.`,
    );
  }
  const [listenerArn, primary, canary] = await Promise.all([resolver.listenerArn(lb.listener), resolver.targetGroupArn(lb.targetGroups.primary), resolver.targetGroupArn(lb.targetGroups.canary)]);
  const newTargetGroupArn = newTargetGroup === "canary" ? canary : newTargetGroup === "primary" ? primary : await resolver.targetGroupArn(newTargetGroup);
  return { listenerArn, serviceTargetGroupArns: [primary, canary], newTargetGroupArn };
}
