import type { Differences } from "../module.js";
import { SSL_POLICY_NAMES } from "./ssl-policies.js";
import { LOAD_BALANCER_PROVISIONING_SECONDS, simulatedVpcId } from "./load-balancers.js";

/** What the simulated ELBv2 is known to do differently from AWS (shown on src/sim/README.md). */
const authenticateStored = "`authenticate-oidc` and `authenticate-cognito` actions are stored as given and never authenticate a request.";
const sslPolicies = `\`SslPolicy\` must be one of the ${SSL_POLICY_NAMES.length} policies \`DescribeSSLPolicies\` lists: AWS's other predefined policies are refused (\`SSLPolicyNotFound\`) as if they did not exist.`;
const propagation = "New actions reach traffic at once, or after the simulator's `weightPropagationSeconds` when set; AWS documents no figure.";

export const differences: Differences = {
  service: [
    `There is no EC2: a load balancer's \`VpcId\` comes from subnets declared with \`PUT /_sim/elbv2/subnets\`, otherwise it is in one simulated VPC (\`${simulatedVpcId}\`) and no target group's VPC is checked against it; Availability Zone names are made up from the region.`,
    "No health check request is sent: a target's health follows from time alone (`initial`, then `healthy` after the healthy threshold's intervals, or `unhealthy` after the unhealthy threshold's for an ECS task whose image is set unhealthy); the health check's path, port, timeout and matcher are kept and shown, not used.",
    "Each HTTP listener answers real HTTP on a local port, replying with who would have served the request (no container runs); HTTPS listeners get none, as there are no certificates.",
    "Within a target group targets are picked round robin whatever the settings: stickiness (target group attributes or a forward's `TargetGroupStickinessConfig`), slow start and the load balancing algorithm are not applied.",
  ],
  operations: {
    CreateLoadBalancer: [
      "Only application load balancers: `network` and `gateway` ones are refused (`UnsupportedProtocol`).",
      `A new load balancer is \`provisioning\` for ${LOAD_BALANCER_PROVISIONING_SECONDS} simulated seconds, then \`active\` (AWS takes a few minutes); it accepts listeners, rules and traffic while provisioning.`,
      "Without subnets it makes up two; AWS requires subnets in at least two Availability Zones.",
      "Subnets of more than one VPC (or declared and undeclared ones together) are refused in the simulator's own words; AWS's are unconfirmed.",
    ],
    DescribeLoadBalancers: [`Its \`State\` is \`provisioning\` for the first ${LOAD_BALANCER_PROVISIONING_SECONDS} simulated seconds, then \`active\`.`],
    ModifyLoadBalancerAttributes: ["Only `deletion_protection.enabled` takes effect; the other attributes are checked, stored and shown."],
    ModifyTargetGroupAttributes: [
      "Only `deregistration_delay.timeout_seconds` takes effect; stickiness, slow start, the algorithm and cross-zone settings are stored and shown.",
    ],
    CreateListener: [
      "Certificates are stored, not checked (there is no ACM), and an HTTPS listener terminates no TLS.",
      sslPolicies,
      authenticateStored,
    ],
    ModifyListener: [sslPolicies, authenticateStored, propagation],
    CreateRule: [authenticateStored],
    ModifyRule: [authenticateStored, propagation],
    ModifyListenerAttributes: ["Values are checked, stored and shown, but the frontends do not apply them: no response header is added."],
    DescribeSSLPolicies: [`Only ${SSL_POLICY_NAMES.length} of AWS's predefined policies exist.`],
    DescribeAccountLimits: [
      "Reports AWS's default quotas; only listeners and rules per load balancer, condition values and wildcards per rule, target groups per forward action and targets per target group are enforced.",
    ],
    RegisterTargets: [
      "A target registered through the API always passes its health checks; only an ECS task's target can fail them.",
      "Instance ids are checked by their pattern only (there is no EC2).",
    ],
    DescribeTargetHealth: ["An unhealthy target's reason is always `Target.ResponseCodeMismatch`, with code 502."],
  },
};
