import type { Differences } from "../module.js";

/** What the simulated ECR is known to do differently from AWS (shown on src/sim/README.md). */
export const differences: Differences = {
  service: [
    "No registry runs: docker push and pull cannot reach it, and images arrive by `PutImage` or `POST /_sim/ecr/push` (which makes up a manifest).",
    "Scanning is basic scanning on push only (`StartImageScan` is not served), and a scan finds nothing: the images hold no packages.",
  ],
  operations: {
    CreateRepository: [
      "There is no KMS: a `kmsKey` is kept and shown as given, never checked or used (AWS refuses a key it cannot use, `KmsException`); with `KMS` or `KMS_DSSE` and no `kmsKey`, where AWS uses its managed key for ECR, none is shown. A `kmsKey` with `AES256` is kept too; the reference does not say what AWS does with one.",
      "`imageTagMutabilityExclusionFilters` given with `MUTABLE` or `IMMUTABLE` is refused (`InvalidParameterException`), as AWS is reported to; the words, like those for a filter breaking the model's constraints, are the simulator's own.",
    ],
    PutImage: [
      "Moving a tag that an `*_WITH_EXCLUSION` setting makes immutable is refused (`ImageTagAlreadyExistsException`) with the words AWS uses for an `IMMUTABLE` repository; AWS's own for that case are unconfirmed.",
    ],
    GetAuthorizationToken: ["The token's password is random and opens nothing: no registry runs."],
    DescribeImages: ["A scanned image's `imageScanFindingsSummary` has no findings."],
    DescribeImageScanFindings: [
      "An image pushed to a repository with scan on push has a `COMPLETE` scan, finished at the push, with no findings; any other image has none (`ScanNotFoundException`), as `StartImageScan` is not served.",
    ],
    PutLifecyclePolicy: [
      'The policy is checked against the rules ECR documents (after `Lifecycle policy validation failure:` the wording is the simulator\'s own), stored, and never applied: no image expires.',
    ],
    GetLifecyclePolicy: ["`lastEvaluatedAt` is never given: no policy is ever evaluated."],
  },
};
