import type { RuleCondition } from "@aws-sdk/client-elastic-load-balancing-v2";
import { cidrContains } from "./source-ip.js";
import { wildcardRegExp } from "./wildcards.js";

/** One HTTP request as a listener sees it. Header and query names are matched case-insensitively. */
export interface RoutedRequest {
  host?: string;
  /** The path without the query string; "/" when absent. */
  path?: string;
  /** "GET" when absent. */
  method?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  sourceIp?: string;
}

const anyOf = (patterns: string[], value: string, caseInsensitive: boolean) => patterns.some((p) => wildcardRegExp(p, caseInsensitive).test(value));
const anyRegex = (patterns: string[], value: string) => patterns.some((p) => new RegExp(p).test(value));

function headerValue(request: RoutedRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(request.headers ?? {}).find(([k]) => k.toLowerCase() === wanted)?.[1];
}

/**
 * Whether one condition holds for the request; a condition holds when any of its values matches. Host and header
 * values and query strings compare case-insensitively, paths and methods case-sensitively, as AWS documents.
 */
export function conditionMatches(condition: RuleCondition, request: RoutedRequest): boolean {
  switch (condition.Field) {
    case "host-header": {
      const host = (request.host ?? headerValue(request, "host") ?? "").replace(/:\d+$/, "");
      if (host === "") return false;
      const config = condition.HostHeaderConfig;
      if (config?.RegexValues?.length) return anyRegex(config.RegexValues, host);
      return anyOf(config?.Values ?? condition.Values ?? [], host, true);
    }
    case "path-pattern": {
      const path = request.path ?? "/";
      const config = condition.PathPatternConfig;
      if (config?.RegexValues?.length) return anyRegex(config.RegexValues, path);
      return anyOf(config?.Values ?? condition.Values ?? [], path, false);
    }
    case "http-header": {
      const config = condition.HttpHeaderConfig;
      const value = headerValue(request, config?.HttpHeaderName ?? "");
      if (value === undefined) return false;
      if (config?.RegexValues?.length) return anyRegex(config.RegexValues, value);
      return anyOf(config?.Values ?? [], value, true);
    }
    case "query-string": {
      const params = Object.entries(request.query ?? {});
      return (condition.QueryStringConfig?.Values ?? []).some((pair) =>
        params.some(([key, value]) => (pair.Key === undefined || wildcardRegExp(pair.Key, true).test(key)) && wildcardRegExp(pair.Value ?? "", true).test(value)),
      );
    }
    case "http-request-method":
      return (condition.HttpRequestMethodConfig?.Values ?? []).includes(request.method ?? "GET");
    case "source-ip":
      return request.sourceIp !== undefined && (condition.SourceIpConfig?.Values ?? []).some((cidr) => cidrContains(cidr, request.sourceIp ?? ""));
    default:
      return false;
  }
}

/** A rule applies when all of its conditions hold; the default rule has none and always applies. */
export function allConditionsMatch(conditions: RuleCondition[], request: RoutedRequest): boolean {
  return conditions.every((c) => conditionMatches(c, request));
}
