import type { Differences } from "../module.js";

/** What the simulated Secrets Manager is known to do differently from AWS (shown on src/sim/README.md). */
export const differences: Differences = {
  service: [
    "There is no KMS: values are kept as given, and a `KmsKeyId` is stored and shown, not checked.",
    "There are no replicated or service-owned secrets.",
  ],
  operations: {
    ListSecrets: [
      "Without `SortBy` the oldest secret comes first; AWS does not document its default order, so this is assumed.",
      "The `primary-region` and `owning-service` filters match nothing: there are no replicated or service-owned secrets.",
    ],
  },
};
