import { connect, createServer } from "node:net";
import { InputError } from "../errors.js";

/** Whether something answers on 127.0.0.1:port (whatever address it bound: a dual-stack one answers there too). */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Whether this process may listen on 127.0.0.1:port. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * Refuses a port another program holds, before a command starts anything: otherwise it would print a URL where
 * something else answers. 0 (a free port) is always fine.
 */
export async function refuseTakenPort(port: number, flag: string): Promise<void> {
  if (port === 0) return;
  if (!(await answers(port)) && (await bindable(port))) return;
  throw new InputError(`${flag} ${port} is taken: something else already listens on that port.`, `Stop what uses it, or choose another port (${flag} 0 picks a free one).`);
}
