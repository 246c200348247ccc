import type { AwsConnection } from "../src/aws/clients.js";
import type { Target } from "./target.js";

/** The part of a target that says where and as whom to reach AWS; src/aws/clients.ts builds the clients from it. */
export function toAwsConnection(target: Target): AwsConnection {
  return {
    region: target.region,
    ...(target.endpoint !== undefined && { endpoint: target.endpoint }),
    ...(target.roleArn !== undefined && { roleArn: target.roleArn }),
    ...(target.externalId !== undefined && { externalId: target.externalId }),
    ...(target.profile !== undefined && { profile: target.profile }),
  };
}
