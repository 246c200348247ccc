/**
 * An action handler that imports its command's module when the command runs, not when the CLI starts: with every
 * command's stores, steps, AWS SDK clients and servers imported up front, each start (--help included) cost about
 * 0.85 s and 95 MB (issue 15). `pick` chooses the handler from the loaded module.
 */
export function lazily<M, A extends unknown[]>(load: () => Promise<M>, pick: (module: M) => (...args: A) => unknown): (...args: A) => Promise<void> {
  return async (...args) => {
    await pick(await load())(...args);
  };
}
