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

