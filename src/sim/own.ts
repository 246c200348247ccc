/**
 * A table's entry under a name that came from a request, or undefined when the table has none of its own. A plain
 * object also answers to the names it inherits (`constructor`, `toString`, `__proto__`, …), which a request must
 * never reach: `operations["constructor"]` is Object itself, which "answers" by echoing its input.
 */
export function ownEntry<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}
