/**
 * The shapes of the files as users write them. A value has these shapes only once its schema passed;
 * before that, code reads it through `isRecord` and checks each field it uses.
 */
export interface RawListener {
  loadBalancer: string;
  port: number;
}

export interface RawTarget {
  region: string;
  cluster: string;
  account?: string;
  roleArn?: string;
  externalId?: string;
  profile?: string;
  endpoint?: string;
  loadBalancer?: { listener: string | RawListener; targetGroups: { primary: string; canary: string } };
  secrets?: { kmsKeyId?: string };
}

export interface RawEnvironment {
  name: string;
  optional?: boolean;
  description?: string;
}

export interface RawProject {
  apiVersion: "slipway/v1";
  kind: "Project";
  name: string;
  environments: RawEnvironment[];
  targets: string | Record<string, RawTarget>;
}

export interface RawTargetsFile {
  apiVersion: "slipway/v1";
  kind: "Targets";
  targets: Record<string, RawTarget>;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
