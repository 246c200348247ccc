import { AwsError } from "../aws-error.js";

/**
 * The AWS query protocol (ELBv2): form-encoded input with flattened lists ("Conditions.member.1.Field"),
 * XML output wrapped in <{Action}Response><{Action}Result>, lists as <member> elements.
 */
export interface QueryCall {
  operation: string;
  version: string;
  input: Record<string, unknown>;
}

type Node = Record<string, unknown> | unknown[];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The member `segment` of `node`, made by `make` when it has none of its own. Only own members are read and every
 * member is defined, never assigned: a parameter named "__proto__.x" or "constructor.prototype.x" is a member
 * like any other, and neither reaches nor changes Object.prototype.
 */
function child(node: Record<string, unknown>, segment: string, make: () => Node, path: string[]): Node {
  if (!Object.hasOwn(node, segment)) setMember(node, segment, make());
  const value = node[segment];
  if (!isRecord(value) && !Array.isArray(value)) throw new AwsError("MalformedQueryString", `Parameter ${path.join(".")} gives a value to ${segment}, which other parameters give members`);
  return value;
}

function setMember(node: Record<string, unknown>, segment: string, value: unknown): void {
  Object.defineProperty(node, segment, { value, writable: true, enumerable: true, configurable: true });
}

function setPath(root: Record<string, unknown>, path: string[], value: string): void {
  let node: Node = root;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (Array.isArray(node)) {
      const index = Number(segment) - 1;
      if (!Number.isInteger(index) || index < 0) throw new AwsError("ValidationError", `Bad list index in parameter ${path.join(".")}`);
      if (last) {
        if (node[index] !== undefined && typeof node[index] !== "string") throw new AwsError("MalformedQueryString", `Parameter ${path.join(".")} gives a value to a list item that other parameters give members`);
        node[index] = value;
        return;
      }
      node[index] ??= {};
      const item: unknown = node[index];
      if (!isRecord(item)) throw new AwsError("MalformedQueryString", `Parameter ${path.join(".")} gives members to a list item that other parameters give a value`);
      node = item;
      continue;
    }
    const next = path[i + 1];
    if (last) {
      if (Object.hasOwn(node, segment) && typeof node[segment] !== "string") throw new AwsError("MalformedQueryString", `Parameter ${path.join(".")} gives a value to ${segment}, which other parameters give members`);
      setMember(node, segment, value);
      return;
    }
    if (next === "member") {
      node = child(node, segment, () => [], path);
      if (!Array.isArray(node)) throw new AwsError("MalformedQueryString", `Parameter ${path.join(".")} makes a list of ${segment}, which other parameters give members`);
      i++; // skip the "member" marker; the index follows
      continue;
    }
    node = child(node, segment, () => ({}), path);
  }
}

export function parseQueryCall(body: string): QueryCall | undefined {
  const params = new URLSearchParams(body);
  const operation = params.get("Action");
  if (!operation) return undefined;
  return { operation, version: params.get("Version") ?? "", input: parseQueryParams(params) };
}

/** The operation's input: every parameter but Action and Version, member lists made arrays. */
export function parseQueryParams(params: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of params) {
    if (key === "Action" || key === "Version") continue;
    setPath(input, key.split("."), value);
  }
  compact(input);
  return input;
}

/**
 * Lists with gaps (member.1, member.3) become dense, the way AWS reads them. Only the indexes given are visited, so
 * a list given member.1 and member.4294967294 is two members, read without walking the gap between them.
 */
function compact(node: unknown): void {
  if (Array.isArray(node)) {
    const given = Object.keys(node).map(Number).filter(Number.isInteger).sort((a, b) => a - b);
    const dense = given.map((index) => node[index] as unknown);
    node.length = 0;
    node.push(...dense);
    node.forEach(compact);
  } else if (node && typeof node === "object") {
    Object.values(node).forEach(compact);
  }
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

function toXml(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join("");
  if (typeof value === "object") {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join("");
  }
  return escapeXml(String(value));
}

export const elbv2Namespace = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

export function queryBody(operation: string, output: unknown, requestId: string, namespace = elbv2Namespace): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<${operation}Response xmlns="${escapeXml(namespace)}">` +
    `<${operation}Result>${toXml(output ?? {})}</${operation}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${operation}Response>`
  );
}

export function queryErrorBody(error: AwsError, requestId: string, namespace = elbv2Namespace): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<ErrorResponse xmlns="${escapeXml(namespace)}">` +
    `<Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId>` +
    `</ErrorResponse>`
  );
}
