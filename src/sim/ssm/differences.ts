import type { Differences } from "../module.js";

/** What the simulated Parameter Store is known to do differently from AWS (shown on src/sim/README.md). */
export const differences: Differences = {
  service: [
    "There is no KMS: a `SecureString` is kept in plain; read without `WithDecryption` it shows a random stand-in for KMS ciphertext, and its `KeyId` is not checked.",
    "Parameter labels are not simulated (`LabelParameterVersion` is not served).",
    "There is one caller: `LastModifiedUser` is always the account's root.",
  ],
  operations: {
    PutParameter: [
      "`Intelligent-Tiering` decides by the value's size alone: `Advanced` over 4096 bytes, `Standard` otherwise.",
      "`Policies` are not kept: `DescribeParameters` and `GetParameterHistory` show none.",
    ],
    GetParameter: ["A `name:label` selector finds nothing: labels are not simulated."],
    GetParameters: ["A `name:label` selector finds nothing: labels are not simulated."],
    GetParameterHistory: ["Every version's `Labels` is empty."],
  },
};
