import { CometRpc } from "../rest/comet-rpc.ts";

/**
 * The CLI's plain line to a node: CometBFT's JSON-RPC over fetch (the REST gateway's CometRpc),
 * for the commands that need no CosmJS client (balances, blocks, tx search, broadcast), so
 * they start without loading one.
 */

/** --node as the SDK takes it (tcp://host:port as well as http(s)://) in the form CometBFT's JSON-RPC answers on. */
export function rpcUrl(node: string): string {
  const url = node.replace(/^tcp:\/\//, "http://");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--node must be a URL such as http://127.0.0.1:26657, got ${JSON.stringify(node)}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error(`--node must be http://, https:// or tcp://, got ${JSON.stringify(node)}`);
  return url;
}

export const nodeRpc = (node: string) => new CometRpc(rpcUrl(node));

interface AbciQueryResult {
  response: { code?: number; codespace?: string; log?: string; value?: string | null };
}

/** An Rpc for cosmjs-types' and ts-proto's QueryClientImpl: each call one abci_query on /<service>/<method>. */
export function abciRpc(node: string) {
  const comet = nodeRpc(node);
  return {
    async request(service: string, method: string, data: Uint8Array): Promise<Uint8Array> {
      const path = `/${service}/${method}`;
      const { response } = await comet.call<AbciQueryResult>("abci_query", { path, data: Buffer.from(data).toString("hex"), prove: false });
      if (response.code) throw new Error(`${path} failed: ${response.log || "no log"} (codespace ${response.codespace || "sdk"}, code ${response.code})`);
      return new Uint8Array(Buffer.from(response.value ?? "", "base64"));
    },
  };
}
