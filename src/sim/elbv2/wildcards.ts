/**
 * ALB match patterns: '*' matches any run of characters, '?' exactly one, and a backslash makes the next '*' or
 * '?' literal. Everything else matches itself.
 */
export function wildcardRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const next = pattern[i + 1];
    if (c === "\\" && (next === "*" || next === "?")) {
      source += `\\${next}`;
      i++;
    } else if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else source += c.replace(/[.+^${}()|[\]\\/-]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, caseInsensitive ? "is" : "s");
}

/** How many unescaped wildcards a pattern holds; AWS limits them per rule. */
export function wildcardCount(pattern: string): number {
  let count = 0;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === "\\") i++;
    else if (pattern[i] === "*" || pattern[i] === "?") count++;
  }
  return count;
}
