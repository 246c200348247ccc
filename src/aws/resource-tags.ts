import { DescribeTagsCommand, type ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { awsErrorName, callAws } from "./call.js";

/** DescribeTags takes at most 20 resource ARNs per call. */
const tagBatch = 20;

/** DescribeTags' answer when one of the ARNs names a resource that no longer exists (the SDK names it …Exception). */
const isGone = (error: unknown): boolean => /^(Rule|Listener|TargetGroup|LoadBalancer)NotFound(Exception)?$/.test(awsErrorName(error) ?? "");

async function describeTags(elbv2: ElasticLoadBalancingV2Client, batch: readonly string[]): Promise<Map<string, Record<string, string>>> {
  const out = await callAws("DescribeTags", `${batch.length} resource(s)`, () => elbv2.send(new DescribeTagsCommand({ ResourceArns: [...batch] })));
  return new Map((out.TagDescriptions ?? []).map((d) => [d.ResourceArn ?? "", Object.fromEntries((d.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]))]));
}

/**
 * ELBv2 resource ARN → its tags as a plain map, read in batches of 20. The ARNs come from an earlier read (a
 * DescribeRules), and a deployment may delete one of them in between: DescribeTags then refuses the whole batch,
 * so that batch is read again one ARN at a time and a resource that is gone is left out of the map — callers
 * treat an ARN without an entry as no longer there.
 */
export async function elbTagsOf(elbv2: ElasticLoadBalancingV2Client, arns: readonly string[]): Promise<Map<string, Record<string, string>>> {
  const tags = new Map<string, Record<string, string>>();
  for (let i = 0; i < arns.length; i += tagBatch) {
    const batch = arns.slice(i, i + tagBatch);
    try {
      for (const [arn, t] of await describeTags(elbv2, batch)) tags.set(arn, t);
    } catch (error) {
      if (!isGone(error)) throw error;
      for (const arn of batch) {
        try {
          for (const [found, t] of await describeTags(elbv2, [arn])) tags.set(found, t);
        } catch (one) {
          if (!isGone(one)) throw one;
        }
      }
    }
  }
  return tags;
}
