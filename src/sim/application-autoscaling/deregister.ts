import type { DeregisterScalableTargetRequest, DeregisterScalableTargetResponse } from "@aws-sdk/client-application-auto-scaling";
import type { CallContext } from "../module.js";
import { targetNotFound } from "./errors.js";
import { autoscalingState, targetName } from "./lookup.js";
import { targetKey } from "./state.js";

/**
 * DeregisterScalableTarget: forgets the target (AWS drops its policies and scheduled actions with it; the
 * simulator keeps none). The service keeps the desired count it has. ObjectNotFoundException when absent.
 */
export function deregisterScalableTarget(input: DeregisterScalableTargetRequest, ctx: CallContext): DeregisterScalableTargetResponse {
  const name = targetName(input);
  const targets = autoscalingState(ctx).targets;
  if (!targets.delete(targetKey(name.namespace, name.resourceId, name.dimension))) throw targetNotFound(name.namespace, name.resourceId, name.dimension);
  return {};
}
