/** Where the CLI writes; tests pass their own to read what a user would see. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** Settles when whoever reads `out` went away (`slipway demo | head`): a command that only runs to be watched stops. */
  closed?: Promise<void>;
}

/**
 * A stream whose reader went away (`slipway status | head -1`) fails every later write with EPIPE, emitted as an
 * error event that would end the process with a stack trace — in the middle of a deployment, perhaps. The reader
 * wanted no more: what follows is dropped, and the command runs to its end.
 */
function writer(stream: NodeJS.WriteStream, onClosed: () => void = () => undefined): (line: string) => void {
  let closed = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    closed = true;
    onClosed();
  });
  return (line) => {
    if (!closed) stream.write(`${line}\n`);
  };
}

let stdoutClosed: () => void = () => undefined;
const closed = new Promise<void>((resolve) => (stdoutClosed = resolve));

export const processOutput: Output = {
  out: writer(process.stdout, () => stdoutClosed()),
  err: writer(process.stderr),
  closed,
};
