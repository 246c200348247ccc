import { AwsError } from "../aws-error.js";
import { optionalString } from "./coerce.js";

/**
 * The SSL policies the simulated ELB has: a few of AWS's predefined ones, with the protocols and ciphers (in priority
 * order) the Application Load Balancer guide's "Security policies" tables give them: the two defaults (the console's
 * TLS13-1-2-Res-2021-06 and the API's 2016-08), AWS's recommended TLS13-1-2-2021-06, TLS 1.3 only, TLS 1.2 only,
 * and forward secrecy with TLS 1.2. DescribeSSLPolicies lists them; a listener's SslPolicy must be one of them.
 */
const TLS13 = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"];
const ECDHE_GCM = ["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384"];
const ECDHE_SHA2 = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES128-SHA256",
  "ECDHE-RSA-AES128-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-AES256-SHA384",
  "ECDHE-RSA-AES256-SHA384",
];

export const POLICIES: { name: string; protocols: string[]; ciphers: string[] }[] = [
  {
    name: "ELBSecurityPolicy-2016-08",
    protocols: ["TLSv1", "TLSv1.1", "TLSv1.2"],
    ciphers: [
      "ECDHE-ECDSA-AES128-GCM-SHA256",
      "ECDHE-RSA-AES128-GCM-SHA256",
      "ECDHE-ECDSA-AES128-SHA256",
      "ECDHE-RSA-AES128-SHA256",
      "ECDHE-ECDSA-AES128-SHA",
      "ECDHE-RSA-AES128-SHA",
      "ECDHE-ECDSA-AES256-GCM-SHA384",
      "ECDHE-RSA-AES256-GCM-SHA384",
      "ECDHE-ECDSA-AES256-SHA384",
      "ECDHE-RSA-AES256-SHA384",
      "ECDHE-ECDSA-AES256-SHA",
      "ECDHE-RSA-AES256-SHA",
      "AES128-GCM-SHA256",
      "AES128-SHA256",
      "AES128-SHA",
      "AES256-GCM-SHA384",
      "AES256-SHA256",
      "AES256-SHA",
    ],
  },
  { name: "ELBSecurityPolicy-FS-1-2-Res-2020-10", protocols: ["TLSv1.2"], ciphers: ECDHE_GCM },
  {
    name: "ELBSecurityPolicy-TLS-1-2-2017-01",
    protocols: ["TLSv1.2"],
    ciphers: [...ECDHE_SHA2, "AES128-GCM-SHA256", "AES128-SHA256", "AES256-GCM-SHA384", "AES256-SHA256"],
  },
  { name: "ELBSecurityPolicy-TLS13-1-2-2021-06", protocols: ["TLSv1.2", "TLSv1.3"], ciphers: [...TLS13, ...ECDHE_SHA2] },
  { name: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", protocols: ["TLSv1.2", "TLSv1.3"], ciphers: [...TLS13, ...ECDHE_GCM] },
  { name: "ELBSecurityPolicy-TLS13-1-3-2021-06", protocols: ["TLSv1.3"], ciphers: TLS13 },
];

export const SSL_POLICY_NAMES = POLICIES.map((p) => p.name);

/** The policy an HTTPS listener gets when CreateListener names none: the API's default. */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08";

/** SSLPolicyNotFound (the model's SSLPolicyNotFoundException, whose wire code it is): no policy of that name exists. */
export const sslPolicyNotFound = (name: string) => new AwsError("SSLPolicyNotFound", `SSL policy '${name}' not found`);

/** A listener's SslPolicy as given, or undefined when none is; a name that is no policy is refused. */
export function optionalSslPolicy(value: unknown): string | undefined {
  const name = optionalString(value);
  if (name !== undefined && !SSL_POLICY_NAMES.includes(name)) throw sslPolicyNotFound(name);
  return name;
}
