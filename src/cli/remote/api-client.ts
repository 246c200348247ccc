import { InputError, ServerError, SlipwayError, type ErrorKind, type Problem } from "../../errors.js";
import type { ServerConnection } from "./server-option.js";

/** What the API answers when a request fails (src/api/error-middleware.ts). */
interface ErrorBody {
  error?: string;
  message?: string;
  hint?: string;
  problems?: Problem[];
  scope?: string;
}

/** The kinds of slipway's own errors the API passes on as they are, so the CLI exits as it would locally. */
const passedOn: readonly ErrorKind[] = ["input", "not-found", "conflict", "aws", "deployment", "interrupted"];

/** The server did not answer at all: the one failure worth trying again. */
export class ServerUnreachableError extends ServerError {}

/** An ordinary request may wait this long: release create reads the registry, a dry run plans every step. */
const requestTimeoutMs = 120_000;

/** Why fetch failed, in words: "connection refused" rather than "fetch failed". */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (error instanceof Error && error.name === "TimeoutError") return "no answer in time";
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/**
 * The slipway HTTP API as the CLI uses it: JSON in and out, the key as a bearer token, and every refusal turned
 * back into the error the same command would have raised on a local store (same message, hint and exit code).
 */
export class ApiClient {
  constructor(private readonly server: ServerConnection) {}

  /** Where the server is, as people read it (no path beyond the base). */
  get where(): string {
    return this.server.base.href.replace(/\/$/, "");
  }

  url(path: string): URL {
    return new URL(`api/v1/${path.replace(/^\//, "")}`, this.server.base);
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { accept: "application/json", ...(this.server.key && { authorization: `Bearer ${this.server.key}` }), ...extra };
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.call<T>("GET", path, undefined, signal);
  }

  post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return this.call<T>("POST", path, body, signal);
  }

  /** A request whose answer arrives over time (server-sent events): the response, once its status is good. */
  async open(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
    const response = await this.send(this.url(path), { method: "GET", headers: this.headers(headers), signal });
    if (!response.ok) throw await this.refusal(response);
    return response;
  }

  private async call<T>(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(requestTimeoutMs);
    const response = await this.send(this.url(path), {
      method,
      headers: this.headers(body === undefined ? {} : { "content-type": "application/json" }),
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    if (!response.ok) throw await this.refusal(response);
    return (await this.json(response)) as T;
  }

  private async send(url: URL, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, redirect: "error" });
    } catch (error) {
      if (init.signal?.aborted && (init.signal.reason as Error | undefined)?.name !== "TimeoutError") throw error;
      throw new ServerUnreachableError(`Cannot reach the slipway server at ${this.where} (${networkReason(error)}).`, "Check that `slipway serve` runs there and that --server (or SLIPWAY_SERVER) names it.", { cause: error });
    }
  }

  private async json(response: Response): Promise<unknown> {
    const text = await response.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ServerError(`${this.where} answered ${response.url} with something that is not JSON (${response.headers.get("content-type") ?? "no content type"}).`, "Is --server (or SLIPWAY_SERVER) the address of `slipway serve`, not of a proxy's page or the dashboard's path?");
    }
  }

  /** A failed answer as the error the command raises. */
  private async refusal(response: Response): Promise<SlipwayError> {
    const type = response.headers.get("content-type") ?? "";
    const body: ErrorBody | undefined = type.includes("json") ? ((await response.json().catch(() => undefined)) as ErrorBody | undefined) : undefined;
    if (!body?.message) {
      return new ServerError(`${this.where} answered ${response.status} ${response.statusText} without slipway's error details.`, "Is --server (or SLIPWAY_SERVER) the address of `slipway serve`? A proxy in front of it may have answered.");
    }
    const hint = body.hint || undefined;
    if (response.status === 401) return new ServerError(`The server refused the key: ${body.message}`, this.server.key ? hint : "Set SLIPWAY_API_KEY to a key the server accepts (`slipway keys create <name>` on the server's project makes one).");
    if (response.status === 403) return new ServerError(body.message, hint);
    const kind = passedOn.find((k) => k === body.error);
    if (kind === "input") return new InputError(body.message, hint, body.problems ?? []);
    if (kind) return new SlipwayError(kind, body.message, hint);
    return new ServerError(`The server failed: ${body.message}`, hint);
  }
}
