import type { Service } from "@aws-sdk/client-ecs";
import type { AwsClients } from "../../aws/clients.js";
import { ElbListenerWeights, forwardedGroups } from "../../aws/listener-weights.js";
import { ConflictError } from "../../errors.js";
import { ownerValue, tagKeys } from "../../../steps/verification/identity.js";
import type { LoadBalancerRef } from "../../../targets/target.js";

/**
 * An EXTERNAL service's target load balancer: the listener rule (or default action) forwarding to its primary
 * task set's target group with a second group beside it — the pair a canary moves traffic between.
 */
export async function taskSetLoadBalancer(clients: AwsClients, service: Service): Promise<LoadBalancerRef> {
  const live = service.taskSets?.find((t) => t.status === "PRIMARY")?.loadBalancers?.[0]?.targetGroupArn ?? "";
  const rules = (await new ElbListenerWeights(clients.elbv2).forwardingTo([live])).filter((r) => r.tags[tagKeys.owner] !== ownerValue);
  const paired = rules.sort((a, b) => Number(b.isDefault) - Number(a.isDefault)).find((r) => forwardedGroups(r.actions).length === 2);
  const other = paired && forwardedGroups(paired.actions).find((g) => g !== live);
  if (!paired || !other) {
    throw new ConflictError(
      `No listener rule forwards to ${service.serviceName ?? ""}'s target group ${live} together with a second target group, so slipway cannot tell which two groups its canary moves traffic between.`,
      "Give the rule (or default action) that routes to the service a weighted forward to both groups (the second at weight 0), then run slipway init again.",
    );
  }
  return { listener: { arn: paired.listenerArn }, targetGroups: { primary: live, canary: other } };
}


/**
 * The target load balancer of a service on ECS's BLUE_GREEN, LINEAR or CANARY strategy: its target group (primary)
 * and alternate (canary), and the listener of the production listener rule ECS shifts between them.
 */
export async function nativeLoadBalancer(clients: AwsClients, service: Service): Promise<LoadBalancerRef> {
  const binding = service.loadBalancers?.[0];
  const primary = binding?.targetGroupArn ?? "";
  const canary = binding?.advancedConfiguration?.alternateTargetGroupArn ?? "";
  const production = binding?.advancedConfiguration?.productionListenerRule ?? "";
  // A listener's ARN as the production rule means its default rule (a Network Load Balancer's listener).
  const rule = (await new ElbListenerWeights(clients.elbv2).forwardingTo([primary, canary])).find((r) => r.arn === production || (r.isDefault && r.listenerArn === production));
  if (!rule) {
    throw new ConflictError(
      `The production listener rule of ${service.serviceName ?? ""} (${production}) does not forward to its target groups ${primary} and ${canary}, so slipway cannot tell which listener ECS shifts traffic on.`,
      "Make the rule forward to both target groups (the alternate at weight 0), as ECS requires, then run slipway init again.",
    );
  }
  return { listener: { arn: rule.listenerArn }, targetGroups: { primary, canary } };
}
