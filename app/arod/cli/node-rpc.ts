import http from "node:http";
import https from "node:https";

/**
 * The CLI's plain line to a node: CometBFT's JSON-RPC over node:http, one connection per call
 * and closed after it (a kept-alive socket would hold the process open), for the commands
 * that need no CosmJS client (balances, blocks, tx search, signing, broadcast), so they
 * start without loading one.
 */
export class NodeRpc {
  private readonly blockTimes = new Map<string, string>();

  constructor(readonly url: URL) {}

  call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
    const send = this.url.protocol === "https:" ? https.request : http.request;
    return new Promise<T>((resolve, reject) => {
      const req = send(this.url, { method: "POST", agent: false, timeout: 30_000, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          let reply: { result?: T; error?: { message?: string; data?: string } };
          try {
            reply = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          } catch {
            return reject(new Error(`${this.url.href} answered ${method} with HTTP ${res.statusCode} and no JSON: is it CometBFT's RPC?`));
          }
          if (reply.error) return reject(new Error(`${method}: ${reply.error.message ?? "error"}${reply.error.data ? `: ${reply.error.data}` : ""}`));
          if (reply.result === undefined) return reject(new Error(`${method}: no result (HTTP ${res.statusCode})`));
          resolve(reply.result);
        });
      });
      req.on("timeout", () => req.destroy(new Error("no answer in 30 s")));
      req.on("error", (err) => reject(new Error(`cannot reach a node at ${this.url.href}: ${err.message}`)));
      req.end(body);
    });
  }

  /** A block's time (RFC 3339), remembered per height. */
  async blockTime(height: string): Promise<string> {
    const known = this.blockTimes.get(height);
    if (known !== undefined) return known;
    const r = await this.call<{ block_metas?: Array<{ header: { time: string } }> }>("blockchain", { minHeight: height, maxHeight: height });
    const time = r.block_metas?.[0]?.header.time ?? "";
    this.blockTimes.set(height, time);
    return time;
  }
}

/** --node as the SDK takes it (tcp://host:port as well as http(s)://) in the form CometBFT's JSON-RPC answers on. */
export function rpcUrl(node: string): URL {
  let url: URL;
  try {
    url = new URL(node.replace(/^tcp:\/\//, "http://"));
  } catch {
    throw new Error(`--node must be a URL such as http://127.0.0.1:26657, got ${JSON.stringify(node)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`--node must be http://, https:// or tcp://, got ${JSON.stringify(node)}`);
  return url;
}

export const nodeRpc = (node: string) => new NodeRpc(rpcUrl(node));

interface AbciQueryResult {
  response: { code?: number; codespace?: string; log?: string; value?: string | null };
}

/** An Rpc for cosmjs-types' and ts-proto's QueryClientImpl: each call one abci_query on /<service>/<method>. */
export function abciRpc(node: string) {
  const rpc = nodeRpc(node);
  return {
    async request(service: string, method: string, data: Uint8Array): Promise<Uint8Array> {
      const path = `/${service}/${method}`;
      const { response } = await rpc.call<AbciQueryResult>("abci_query", { path, data: Buffer.from(data).toString("hex"), prove: false });
      if (response.code) throw new Error(`${path} failed: ${response.log || "no log"} (codespace ${response.codespace || "sdk"}, code ${response.code})`);
      return new Uint8Array(Buffer.from(response.value ?? "", "base64"));
    },
  };
}
