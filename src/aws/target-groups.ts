import { DescribeTargetGroupsCommand, type ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { NotFoundError } from "../errors.js";
import { awsErrorName, callAws } from "./call.js";

/** What binding a service to a load balancer needs: a target group's ARN from the name or ARN a target gives. */
export interface TargetGroupResolver {
  arnOf(nameOrArn: string): Promise<string>;
}

export class ElbTargetGroups implements TargetGroupResolver {
  constructor(private readonly elbv2: ElasticLoadBalancingV2Client) {}

  async arnOf(nameOrArn: string): Promise<string> {
    // An ARN is taken as written: ECS checks it when the service is created or updated.
    if (nameOrArn.startsWith("arn:")) return nameOrArn;
    try {
      const out = await callAws("DescribeTargetGroups", nameOrArn, () => this.elbv2.send(new DescribeTargetGroupsCommand({ Names: [nameOrArn] })));
      const arn = out.TargetGroups?.[0]?.TargetGroupArn;
      if (arn) return arn;
    } catch (error) {
      if (awsErrorName(error) !== "TargetGroupNotFound" && awsErrorName(error) !== "TargetGroupNotFoundException") throw error;
    }
    throw new NotFoundError(`The target group "${nameOrArn}" was not found in the target's account and region.`, "Check loadBalancer.targetGroups in the environment's target, or create the target group first.");
  }
}
