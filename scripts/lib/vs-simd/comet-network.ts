import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { freePort } from "../../../app/testnet/ports.ts";
import { editToml, type TomlEdit } from "./bench-chain.ts";

/** CometBFT's node id: hex of the first 20 bytes of sha256(the node key's ed25519 public key). */
export function nodeId(home: string): string {
  const key = JSON.parse(fs.readFileSync(path.join(home, "config", "node_key.json"), "utf8"));
  const pub = Buffer.from(key.priv_key.value, "base64").subarray(32);
  return createHash("sha256").update(pub).digest().subarray(0, 20).toString("hex");
}

/**
 * Gives every home (a CometBFT config folder, simd's or cometbft's own) RPC and p2p ports
 * on 127.0.0.1, the others as persistent peers, and `shared` settings. Returns the RPC URLs.
 */
export async function wireNetwork(homes: readonly string[], shared: readonly TomlEdit[]): Promise<string[]> {
  const ports: Array<{ rpc: number; p2p: number }> = [];
  for (let i = 0; i < homes.length; i++) ports.push({ rpc: await freePort(), p2p: await freePort() });
  const ids = homes.map(nodeId);
  homes.forEach((home, i) => {
    const peers = homes.map((_, j) => `${ids[j]}@127.0.0.1:${ports[j].p2p}`).filter((_, j) => j !== i).join(",");
    editToml(path.join(home, "config", "config.toml"), [
      ["rpc", "laddr", `tcp://127.0.0.1:${ports[i].rpc}`], ["p2p", "laddr", `tcp://127.0.0.1:${ports[i].p2p}`],
      ["p2p", "persistent_peers", peers], ["p2p", "addr_book_strict", false], ["p2p", "allow_duplicate_ip", true],
      ...shared,
    ]);
  });
  return ports.map((p) => `http://127.0.0.1:${p.rpc}`);
}
