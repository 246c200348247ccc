/**
 * The API as the page calls it: the key a person entered is kept in this tab's session only and sent as
 * `Authorization: Bearer`; a server started with --open needs none.
 */
const keyName = "slipway.apiKey";

export const apiKey = {
  get() {
    return sessionStorage.getItem(keyName) ?? "";
  },
  set(value) {
    if (value) sessionStorage.setItem(keyName, value);
    else sessionStorage.removeItem(keyName);
    window.dispatchEvent(new CustomEvent("slipway:key"));
  },
};

/** A refused or failed request, with the API's message and hint (for a 403 the missing scope, for a 400 each problem). */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `The server answered ${status}.`);
    this.status = status;
    this.hint = body?.hint ?? "";
    this.scope = body?.scope;
    this.problems = Array.isArray(body?.problems) ? body.problems : [];
  }
}

export function authHeaders() {
  const key = apiKey.get();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

export async function api(path, { method = "GET", body, signal } = {}) {
  const headers = { Accept: "application/json", ...authHeaders() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, cache: "no-store" });
  } catch (error) {
    if (error?.name === "AbortError") throw error;
    throw new ApiError(0, { message: "The server did not answer.", hint: "Is `slipway serve` (or the demo) still running?" });
  }
  const text = await response.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    if (response.status === 401) window.dispatchEvent(new CustomEvent("slipway:unauthorized"));
    throw new ApiError(response.status, data);
  }
  return data;
}

export const enc = encodeURIComponent;
