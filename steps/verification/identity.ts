import type { ListenerRule } from "../../src/aws/listener-rules.js";

/**
 * Which deployment of which service in which environment a verification rule belongs to, written on the rule as
 * tags. Tags, not the journal, are how a rule is found again: after a crash between CreateRule and the journal's
 * "succeeded", and by a later deployment sweeping rules an earlier one left.
 */
export interface VerificationIdentity {
  service: string;
  environment: string;
  deploymentId: string;
}

/** Which of the step's matches a rule serves. */
export type MatchKind = "header" | "query";

export const tagKeys = {
  owner: "slipway:owner",
  deployment: "slipway:deployment",
  service: "slipway:service",
  environment: "slipway:environment",
  match: "slipway:match",
} as const;

export const ownerValue = "verification";

export function verificationTags(identity: VerificationIdentity, kind: MatchKind): Record<string, string> {
  return {
    [tagKeys.owner]: ownerValue,
    [tagKeys.deployment]: identity.deploymentId,
    [tagKeys.service]: identity.service,
    [tagKeys.environment]: identity.environment,
    [tagKeys.match]: kind,
  };
}

/** A verification rule of this service in this environment, from whichever deployment. */
export function isVerificationRuleOf(rule: ListenerRule, who: Pick<VerificationIdentity, "service" | "environment">): boolean {
  return rule.tags[tagKeys.owner] === ownerValue && rule.tags[tagKeys.service] === who.service && rule.tags[tagKeys.environment] === who.environment;
}

export function deploymentOf(rule: ListenerRule): string {
  return rule.tags[tagKeys.deployment] ?? "(untagged)";
}
