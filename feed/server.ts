import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import { InputError } from "../src/errors.js";

export interface RunningFeed {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on host:port (0 picks a free port); a port in use or an address not on this machine is an input error. */
export function listenFeed(app: Express, port: number, host: string): Promise<RunningFeed> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host);
    // Loaded clients keep connections open; a feed serves many small requests, so keep-alive outlives the default.
    server.keepAliveTimeout = 65_000;
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") reject(new InputError(`Port ${port} on ${host} is already in use.`, "Choose another with --port, or --port 0 for any free one."));
      else if (error.code === "EADDRNOTAVAIL") reject(new InputError(`${host} is not an address of this machine.`, "Use --host 127.0.0.1, or an address this machine has."));
      else reject(error);
    });
    server.once("listening", () => {
      const address = server.address() as AddressInfo;
      const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${shown}:${address.port}`,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
