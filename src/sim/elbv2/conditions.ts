import type { QueryStringKeyValuePair, RuleCondition } from "@aws-sdk/client-elastic-load-balancing-v2";
import { list, optionalString } from "./coerce.js";
import { constraintViolation, validation } from "./errors.js";
import { parseCidr } from "./source-ip.js";
import { wildcardCount } from "./wildcards.js";

/**
 * Rule conditions as AWS accepts them: one config per field (or the legacy Values for host-header and
 * path-pattern), AWS's limits on values, and at most one host, method, path and source-ip condition per rule.
 */
const fields = ["http-header", "http-request-method", "host-header", "path-pattern", "query-string", "source-ip"] as const;
type Field = (typeof fields)[number];
const configOf: Record<Field, keyof RuleCondition> = {
  "http-header": "HttpHeaderConfig",
  "http-request-method": "HttpRequestMethodConfig",
  "host-header": "HostHeaderConfig",
  "path-pattern": "PathPatternConfig",
  "query-string": "QueryStringConfig",
  "source-ip": "SourceIpConfig",
};
const oncePerRule: Field[] = ["host-header", "http-request-method", "path-pattern", "source-ip"];
/** ALB quotas: match evaluations per condition and per rule, and wildcards per rule. */
export const maxValuesPerCondition = 3;
export const maxValuesPerRule = 5;
export const maxWildcardsPerRule = 5;
const maxValueLength = 128;

interface Parsed {
  condition: RuleCondition;
  /** The strings the condition compares, for AWS's per-rule limits. */
  values: string[];
  /** The strings in which '*' and '?' are wildcards. */
  patterns: string[];
}

function checkValues(values: string[], path: string, maxLength = maxValueLength): void {
  if (values.length === 0) throw validation(`A condition value must be specified for '${path}'`);
  if (values.length > maxValuesPerCondition) throw validation(`A condition can only have '${maxValuesPerCondition}' values`);
  for (const value of values) {
    if (value === "") throw validation("Condition values cannot be empty");
    if (value.length > maxLength) throw validation(`Condition value '${value}' cannot be longer than '${maxLength}' characters`);
  }
}

function parseCondition(raw: Record<string, unknown>, path: string): Parsed {
  const field = optionalString(raw.Field) as Field | undefined;
  if (!field || !fields.includes(field)) throw constraintViolation(field ?? "null", `${path}.field`, `Member must satisfy enum value set: [${fields.join(", ")}]`);
  for (const other of fields) {
    if (other !== field && raw[configOf[other]] !== undefined) throw validation(`'${configOf[other]}' cannot be specified for a '${field}' condition`);
  }
  const config = (raw[configOf[field]] ?? {}) as Record<string, unknown>;
  const legacy = list<string>(raw.Values);
  const regex = list<string>(config.RegexValues);
  switch (field) {
    case "host-header":
    case "path-pattern": {
      if (legacy.length > 0 && raw[configOf[field]] !== undefined) throw validation(`You cannot specify both 'Values' and '${configOf[field]}'`);
      if (regex.length > 0) return { condition: { Field: field, [configOf[field]]: { RegexValues: regex } }, values: regex, patterns: [] };
      const values = legacy.length > 0 ? legacy : list<string>(config.Values);
      checkValues(values, path);
      if (field === "host-header" && values.some((v) => !/^[A-Za-z0-9.*?-]+$/.test(v))) {
        throw validation(`Host header values can only contain A-Z, a-z, 0-9, '-', '.', '*' and '?'`);
      }
      if (field === "path-pattern" && values.some((v) => /\s/.test(v))) throw validation("Path patterns cannot contain whitespace");
      // A condition given in the legacy form is described in both forms, as AWS does.
      const condition: RuleCondition = { Field: field, ...(legacy.length > 0 && { Values: values }), [configOf[field]]: { Values: values } };
      return { condition, values, patterns: values };
    }
    case "http-header": {
      const name = optionalString(config.HttpHeaderName);
      if (!name) throw validation("An HTTP header name must be specified");
      if (name.length > 40) throw validation(`HTTP header name '${name}' cannot be longer than '40' characters`);
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) throw validation(`HTTP header name '${name}' contains characters that are not allowed`);
      if (name.toLowerCase() === "host") throw validation("Use a 'host-header' condition to match the host header");
      if (regex.length > 0) return { condition: { Field: field, HttpHeaderConfig: { HttpHeaderName: name, RegexValues: regex } }, values: regex, patterns: [] };
      const values = list<string>(config.Values);
      checkValues(values, path);
      return { condition: { Field: field, HttpHeaderConfig: { HttpHeaderName: name, Values: values } }, values, patterns: values };
    }
    case "query-string": {
      const pairs = list<QueryStringKeyValuePair>(config.Values).map((p) => ({ ...(optionalString(p.Key) && { Key: p.Key }), Value: p.Value ?? "" }));
      checkValues(pairs.map((p) => p.Value), path);
      if (pairs.some((p) => (p.Key ?? "").length > maxValueLength)) throw validation(`Query string keys cannot be longer than '${maxValueLength}' characters`);
      const patterns = pairs.flatMap((p) => (p.Key ? [p.Key, p.Value] : [p.Value]));
      return { condition: { Field: field, QueryStringConfig: { Values: pairs } }, values: pairs.map((p) => p.Value), patterns };
    }
    case "http-request-method": {
      const values = list<string>(config.Values);
      checkValues(values, path, 40);
      if (values.some((v) => !/^[A-Z_-]+$/.test(v))) throw validation("HTTP request methods can only contain A-Z, '-' and '_'");
      return { condition: { Field: field, HttpRequestMethodConfig: { Values: values } }, values, patterns: [] };
    }
    case "source-ip": {
      const values = list<string>(config.Values);
      checkValues(values, path);
      const bad = values.find((v) => !parseCidr(v));
      if (bad) throw validation(`The source IP '${bad}' is not a valid CIDR block`);
      return { condition: { Field: field, SourceIpConfig: { Values: values } }, values, patterns: [] };
    }
  }
}

/** Validates a rule's conditions from the wire and returns them in the form DescribeRules shows. */
export function parseConditions(raw: unknown): RuleCondition[] {
  const inputs = list<Record<string, unknown>>(raw);
  if (inputs.length === 0) throw validation("A rule must have at least one condition");
  const parsed = inputs.map((c, i) => parseCondition(c, `conditions.${i + 1}.member`));
  for (const field of oncePerRule) {
    if (parsed.filter((p) => p.condition.Field === field).length > 1) throw validation(`A rule can only have one '${field}' condition`);
  }
  const values = parsed.reduce((n, p) => n + p.values.length, 0);
  if (values > maxValuesPerRule) throw validation(`A rule can only have '${maxValuesPerRule}' condition values`);
  const wildcards = parsed.flatMap((p) => p.patterns).reduce((n, p) => n + wildcardCount(p), 0);
  if (wildcards > maxWildcardsPerRule) throw validation(`A rule can only have '${maxWildcardsPerRule}' wildcards`);
  return parsed.map((p) => p.condition);
}
