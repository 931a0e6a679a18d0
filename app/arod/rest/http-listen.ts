import http from "node:http";
import type { AddressInfo } from "node:net";
import { hostPort } from "../node/server-config.ts";

export interface Listening {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * An HTTP server of arod's (REST, console) on "host:port": at most `maxInFlight` requests
 * handled at once (the rest wait their turn), header and request timeouts, and a close that
 * drops idle and open connections.
 */
export async function listenHttp(address: string, setting: string, maxInFlight: number, handle: http.RequestListener): Promise<Listening> {
  const { host, port } = hostPort(address, setting);
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  const acquire = () => (inFlight < maxInFlight ? (inFlight++, Promise.resolve()) : new Promise<void>((r) => waiting.push(() => (inFlight++, r()))));
  const release = () => {
    inFlight--;
    waiting.shift()?.();
  };
  const server = http.createServer(async (req, res) => {
    await acquire();
    try {
      await handle(req, res);
    } finally {
      release();
    }
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
