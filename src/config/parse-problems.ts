import type { Document } from "yaml";
import type { Problem } from "../errors.js";
import type { Position, Syntax } from "./source.js";

/** How to fix each kind of YAML syntax error the parser reports, in the words of someone editing the file. */
const yamlHints: Record<string, string> = {
  BAD_INDENT: "Check the indentation: the keys of one map start in the same column, and a [ or { opened above must be closed with ] or }.",
  TAB_AS_INDENT: "Indent with spaces; YAML does not allow tabs for indentation.",
  BLOCK_AS_IMPLICIT_KEY: "A line is indented more than its neighbours, or a key is missing its ': '. Line it up with the keys around it.",
  MULTILINE_IMPLICIT_KEY: "A key must fit on one line and be followed by ': '. Check the indentation of this line and the one before.",
  DUPLICATE_KEY: "Each key may appear once in a map. Remove or rename the repeated key.",
  MISSING_CHAR: "A character YAML needs is missing: the - before a list item, a closing bracket or quote, or the ': ' after a key.",
  UNEXPECTED_TOKEN: "Something here is out of place: check for a stray character, a missing ': ' or an unclosed quote.",
  BAD_SCALAR_START: "Values starting with characters like @, ` or % must be quoted: key: \"@value\".",
  BLOCK_IN_FLOW: "Inside [ ] or { } write values on one line, separated by commas.",
  MULTIPLE_DOCS: "Keep one document per file: remove the extra --- separator and what follows, or move it to another file.",
  BAD_DQ_ESCAPE: "Fix the backslash escape inside the double-quoted string, or use single quotes.",
  BAD_ALIAS: "The alias (*name) refers to an anchor (&name) that is not defined above it.",
  KEY_OVER_1024_CHARS: "Shorten the key: implicit keys may be at most 1024 characters.",
};

const jsonHint = "Check the JSON syntax here: keys and strings in double quotes, commas between items, no comma after the last one.";

/**
 * The parser's messages name the problem well but append "at line L, column C" and a source excerpt; the
 * position is reported separately, so only the first sentence is kept.
 */
function plainMessage(message: string): string {
  const first = message.split("\n")[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, "").replace(/\.?$/, ".");
}

export function parseProblems(file: string, syntax: Syntax, text: string, doc: Document, positionAt: (offset: number) => Position): Problem[] {
  const problems: Problem[] = doc.errors.map((error) => ({
    file,
    path: "/",
    ...positionAt(error.pos[0]),
    message: `Syntax error: ${plainMessage(error.message)}`,
    hint: syntax === "json" ? jsonHint : (yamlHints[error.code] ?? "Check the YAML syntax on this line: keys are followed by ': ' and indented with spaces."),
  }));
  // The YAML parser accepts JSON's near misses (trailing commas, comments); a .json file must be strict JSON.
  if (problems.length === 0 && syntax === "json" && text.trim() !== "") {
    try {
      JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
      problems.push({ file, path: "/", ...positionAt(offset), message: `Syntax error: ${message.replace(/ in JSON at position \d+.*$/, "")}.`, hint: jsonHint });
    }
  }
  return problems;
}
