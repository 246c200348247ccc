/**
 * Secret values known to a deployment (secret variables read from the environment), replaced by "***" in
 * everything it writes for people: events, progress lines, plans and errors. A value shorter than
 * `minimumSecretLength` is never masked (it would mangle ordinary ids and timestamps) — such a secret is refused
 * where it is read.
 */
export const minimumSecretLength = 8;

export class Redactor {
  private readonly secrets: string[] = [];

  add(value: string): void {
    if (value.length < minimumSecretLength) return;
    // Inside JSON text (diffs, journal results) a secret holding quotes or backslashes appears escaped: find that form too.
    for (const form of [value, JSON.stringify(value).slice(1, -1)]) if (!this.secrets.includes(form)) this.secrets.push(form);
    // Longest first, so a secret containing another is replaced whole.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  text(value: string): string {
    let out = value;
    for (const secret of this.secrets) out = out.split(secret).join("***");
    return out;
  }

  /**
   * A JSON-able value with every string in it (keys too) masked. The value is walked, never its JSON text: masking
   * text could cut through numbers, quotes and keys and leave something that is no longer JSON.
   */
  value<T>(value: T): T {
    if (this.secrets.length === 0) return value;
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === "string") return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.walk(item));
    if (typeof value !== "object" || value === null || value instanceof Date) return value;
    // toJSON (e.g. a Date inside) decides how the value is written: mask what it will write.
    if (typeof (value as { toJSON?: unknown }).toJSON === "function") return this.walk((value as { toJSON: () => unknown }).toJSON());
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.text(key), this.walk(item)]));
  }
}
