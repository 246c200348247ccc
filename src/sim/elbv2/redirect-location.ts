import type { RedirectActionConfig } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { RoutedRequest } from "./condition-match.js";

/**
 * The Location of a redirect action, built as an ALB builds it: each part of the config defaults to the request's
 * own (#{protocol}, #{host}, #{port}, /#{path}, #{query}) and may use those placeholders. #{port} and #{protocol}
 * are the listener's, as AWS reads them — not the local port the simulator happens to serve it on.
 */
export interface RedirectSource {
  protocol: string;
  port: number;
  request: RoutedRequest;
}

export function redirectLocation(config: RedirectActionConfig, source: RedirectSource): string {
  const { request } = source;
  const host = (request.host ?? request.headers?.host ?? "").replace(/:\d+$/, "");
  const values: Record<string, string> = {
    protocol: source.protocol.toLowerCase(),
    host,
    port: String(source.port),
    // #{path} is the path without its leading slash: the default "/#{path}" puts it back.
    path: (request.path ?? "/").replace(/^\//, ""),
    query: new URLSearchParams(request.query ?? {}).toString(),
  };
  const fill = (template: string) => template.replace(/#\{(protocol|host|port|path|query)\}/g, (_, name: string) => values[name] ?? "");
  const protocol = fill(config.Protocol ?? "#{protocol}").toLowerCase();
  const query = fill(config.Query ?? "#{query}");
  return `${protocol}://${fill(config.Host ?? "#{host}")}:${fill(config.Port ?? "#{port}")}${fill(config.Path ?? "/#{path}")}${query ? `?${query}` : ""}`;
}
