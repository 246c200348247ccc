import type { DescribeLoadBalancerAttributesInput, LoadBalancerAttribute, ModifyLoadBalancerAttributesInput } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Handler } from "../module.js";
import { list, requiredString } from "./coerce.js";
import { stateOf } from "./context.js";
import { validation } from "./errors.js";
import { requireLoadBalancer } from "./load-balancers.js";
import type { LoadBalancerRecord } from "./state.js";

/** DescribeLoadBalancerAttributes and ModifyLoadBalancerAttributes; deletion protection is the one the simulator acts on. */
const booleanKeys = new Set(["access_logs.s3.enabled", "deletion_protection.enabled", "routing.http2.enabled", "routing.http.drop_invalid_header_fields.enabled", "load_balancing.cross_zone.enabled"]);

const attributeList = (lb: LoadBalancerRecord): LoadBalancerAttribute[] => [...lb.attributes].map(([Key, Value]) => ({ Key, Value }));

export const loadBalancerAttributeOperations: Record<string, Handler> = {
  DescribeLoadBalancerAttributes(input: DescribeLoadBalancerAttributesInput, ctx) {
    const lb = requireLoadBalancer(stateOf(ctx), requiredString(input.LoadBalancerArn, "LoadBalancerArn"));
    return { Attributes: attributeList(lb) };
  },

  ModifyLoadBalancerAttributes(input: ModifyLoadBalancerAttributesInput, ctx) {
    const lb = requireLoadBalancer(stateOf(ctx), requiredString(input.LoadBalancerArn, "LoadBalancerArn"));
    const changes = list<LoadBalancerAttribute>(input.Attributes);
    for (const { Key, Value } of changes) {
      if (!Key || !lb.attributes.has(Key)) throw validation(`Load balancer attribute key '${Key ?? ""}' is not recognized`);
      if (booleanKeys.has(Key) && Value !== "true" && Value !== "false") throw validation(`Load balancer attribute value '${Value ?? ""}' must be 'true' or 'false' for '${Key}'`);
      if (Key === "idle_timeout.timeout_seconds") {
        const n = Number(Value);
        if (!Number.isInteger(n) || n < 1 || n > 4000) throw validation(`Load balancer attribute value '${Value ?? ""}' must be an integer from 1 to 4000 for '${Key}'`);
      }
    }
    for (const { Key, Value } of changes) lb.attributes.set(Key ?? "", Value ?? "");
    return { Attributes: attributeList(lb) };
  },
};
