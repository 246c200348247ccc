import type { DescribeAccountLimitsInput, DescribeSSLPoliciesInput, Limit, SslPolicy } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Handler } from "../module.js";
import { maxTargetGroupsPerAction } from "./actions.js";
import { list, optionalString } from "./coerce.js";
import { maxValuesPerRule, maxWildcardsPerRule } from "./conditions.js";
import { validation } from "./errors.js";
import { maxListeners } from "./listeners.js";
import { page } from "./paging.js";
import { maxRulesPerLoadBalancer } from "./rules.js";
import { POLICIES, sslPolicyNotFound, SSL_POLICY_NAMES } from "./ssl-policies.js";
import { maxTargetsPerGroup } from "./targets.js";

/** DescribeSSLPolicies and DescribeAccountLimits: facts about ELB itself rather than about the account's resources. */

const LOAD_BALANCER_TYPES = ["application", "network", "gateway"];

function describePolicy(policy: (typeof POLICIES)[number]): SslPolicy {
  return {
    Name: policy.name,
    SslProtocols: policy.protocols,
    Ciphers: policy.ciphers.map((Name, i) => ({ Name, Priority: i + 1 })),
    // ALB and NLB TLS listeners share these policies; Gateway Load Balancers have no TLS listeners.
    SupportedLoadBalancerTypes: ["application", "network"],
  };
}

/**
 * AWS's default quotas, by the names DescribeAccountLimits gives them (the Limit shape's documentation links
 * the ALB, NLB and GWLB quota pages these figures come from). Those the simulator enforces are its own constants.
 */
const LIMITS: [string, number][] = [
  ["application-load-balancers", 50],
  ["condition-values-per-alb-rule", maxValuesPerRule],
  ["condition-wildcards-per-alb-rule", maxWildcardsPerRule],
  ["gateway-load-balancers", 100],
  ["gateway-load-balancers-per-vpc", 100],
  ["geneve-target-groups", 100],
  ["listeners-per-application-load-balancer", maxListeners],
  ["listeners-per-network-load-balancer", 50],
  ["network-load-balancers", 50],
  ["rules-per-application-load-balancer", maxRulesPerLoadBalancer],
  ["target-groups", 3000],
  ["target-groups-per-action-on-application-load-balancer", maxTargetGroupsPerAction],
  ["target-groups-per-action-on-network-load-balancer", 1],
  ["target-groups-per-application-load-balancer", 100],
  ["targets-per-application-load-balancer", maxTargetsPerGroup],
  ["targets-per-availability-zone-per-gateway-load-balancer", 300],
  ["targets-per-availability-zone-per-network-load-balancer", 500],
  ["targets-per-network-load-balancer", 3000],
];

export const accountInfoOperations: Record<string, Handler> = {
  DescribeSSLPolicies(input: DescribeSSLPoliciesInput) {
    const names = list<string>(input.Names);
    const type = optionalString(input.LoadBalancerType);
    if (type !== undefined && !LOAD_BALANCER_TYPES.includes(type)) throw validation(`Load balancer type '${type}' is not valid`);
    const unknown = names.filter((n) => !SSL_POLICY_NAMES.includes(n));
    if (unknown[0] !== undefined) throw sslPolicyNotFound(unknown[0]);
    const chosen = POLICIES.filter((p) => names.length === 0 || names.includes(p.name)).map(describePolicy);
    const matching = type === undefined ? chosen : chosen.filter((p) => p.SupportedLoadBalancerTypes?.includes(type as "application"));
    const { items, NextMarker } = page(matching, input);
    return { SslPolicies: items, ...(NextMarker && { NextMarker }) };
  },

  DescribeAccountLimits(input: DescribeAccountLimitsInput) {
    const limits: Limit[] = LIMITS.map(([Name, max]) => ({ Name, Max: String(max) }));
    const { items, NextMarker } = page(limits, input);
    return { Limits: items, ...(NextMarker && { NextMarker }) };
  },
};
