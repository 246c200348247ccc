import { describe, expect, it } from "vitest";
import { terminalProgress } from "../../src/cli/progress.js";

/** A terminal as the progress view sees it: what was written, and how wide it is. */
function fakeTerminal() {
  const writes: string[] = [];
  const stream = { columns: 200, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream;
  /** The status line as last drawn: after the last line clear, minus the spinner frame. */
  // eslint-disable-next-line no-control-regex -- the terminal's own escape sequence (ESC [2K: clear the line)
  const statusLine = () => (writes.at(-1) ?? "").replace(/^\r\x1b\[2K\S+ /, "");
  return { stream, writes, statusLine };
}

describe("the terminal's progress view", () => {
  it("shows where ECS's own deployment stands on its status line, and keeps the note as a line above it", () => {
    const terminal = fakeTerminal();
    const progress = terminalProgress(terminal.stream);
    const line = "shop-web ECS IN_PROGRESS PRODUCTION_TRAFFIC_SHIFT: production 25 % new / 75 % old, test 100 % new";
    progress.note("ECS IN_PROGRESS PRODUCTION_TRAFFIC_SHIFT: production 25 % new / 75 % old, test 100 % new");
    progress.stage?.(line);
    expect(terminal.statusLine()).toBe(line);
    expect(terminal.writes.join("")).toContain("\r\x1b[2KECS IN_PROGRESS PRODUCTION_TRAFFIC_SHIFT: production 25 % new / 75 % old, test 100 % new\n");
    progress.done?.();
    expect(terminal.writes.at(-1)).toBe("\r\x1b[2K");
  });

  it("says it waits for ECS until anything is known", () => {
    const terminal = fakeTerminal();
    const progress = terminalProgress(terminal.stream);
    progress.note("ECS started deployment arn:aws:ecs:…");
    expect(terminal.statusLine()).toBe("waiting for ECS…");
    progress.done?.();
  });
});
