import { DescribeTagsCommand, type ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { callAws } from "./call.js";

/** DescribeTags takes at most 20 resource ARNs per call. */
const tagBatch = 20;

/** ELBv2 resource ARN → its tags as a plain map, read in batches of 20. */
export async function elbTagsOf(elbv2: ElasticLoadBalancingV2Client, arns: readonly string[]): Promise<Map<string, Record<string, string>>> {
  const tags = new Map<string, Record<string, string>>();
  for (let i = 0; i < arns.length; i += tagBatch) {
    const batch = arns.slice(i, i + tagBatch);
    const out = await callAws("DescribeTags", `${batch.length} rule(s)`, () => elbv2.send(new DescribeTagsCommand({ ResourceArns: batch })));
    for (const d of out.TagDescriptions ?? []) tags.set(d.ResourceArn ?? "", Object.fromEntries((d.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])));
  }
  return tags;
}
