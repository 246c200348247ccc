/**
 * Secret values known to a deployment (secret variables read from the environment), replaced by "***" in
 * everything it writes for people: events, progress lines, plans and errors. Values shorter than four characters
 * are not redacted (they would mangle ordinary words) — a secret that short is refused where it is read.
 */
export class Redactor {
  private readonly secrets: string[] = [];

  add(value: string): void {
    if (value.length < 4) return;
    // Inside JSON text (diffs, answers) a secret holding quotes or backslashes appears escaped: find that form too.
    for (const form of [value, JSON.stringify(value).slice(1, -1)]) if (!this.secrets.includes(form)) this.secrets.push(form);
    // Longest first, so a secret containing another is replaced whole.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  text(value: string): string {
    let out = value;
    for (const secret of this.secrets) out = out.split(secret).join("***");
    return out;
  }

  /** A JSON-able value with every string redacted. */
  value<T>(value: T): T {
    if (this.secrets.length === 0 || value === undefined) return value;
    return JSON.parse(this.text(JSON.stringify(value))) as T;
  }
}
