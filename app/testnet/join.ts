import fs from "node:fs";
import path from "node:path";
import { homePaths } from "../arod/node/home.ts";
import { initHome } from "../arod/node/init.ts";
import { setTomlValue } from "../common/toml-edit.ts";
import { writeTestnetInfo, type TestnetInfo, type ValidatorEntry } from "./create.ts";
import { nodePorts } from "./ports.ts";

export interface JoinOptions {
  /** Join with CometBFT's state sync from the validators' snapshots instead of replaying every block. */
  readonly stateSync: boolean;
  /** Peers to dial (indexes of the network's nodes; default all). */
  readonly peers?: readonly number[];
  /** config.toml overrides: [section, key, value]. */
  readonly comet?: ReadonlyArray<[string, string, string | number | boolean]>;
}

async function rpcResult(url: string): Promise<any> {
  const r = (await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json()) as { result?: unknown; error?: { data?: string } };
  if (!r.result) throw new Error(`${url}: ${r.error?.data ?? "no result"}`);
  return r.result;
}

/**
 * Adds a full node (not a validator) to a running testnet: its own home with the
 * network's genesis, peered with the other nodes. With state sync, CometBFT's light
 * client trusts a recent header taken from two validators' RPC (height and hash, as an
 * operator would copy them from a block explorer), fetches the newest snapshot the
 * validators serve, restores it through arod and follows the chain from there.
 * The node is listed in testnet.json like the validators; start it with startValidator.
 */
export async function addFullNode(info: TestnetInfo, o: JoinOptions): Promise<ValidatorEntry> {
  const index = info.validators.length;
  const moniker = `fullnode-${index}`;
  const home = path.join(info.home, `node${index}`);
  const { p2p, rpc, abci, api: apiPort, grpc: grpcPort, metrics: metricsPort, console: consolePort } = await nodePorts();
  fs.rmSync(home, { recursive: true, force: true });
  const { nodeId } = initHome(home, { moniker, chainId: info.chain_id, rpcPort: rpc, p2pPort: p2p, abciPort: abci, apiPort, grpcPort, metricsPort, consolePort, timeoutCommit: "1s" });
  const source = info.validators[0];
  fs.copyFileSync(homePaths(source.home).genesis, homePaths(home).genesis);
  const peers = (o.peers ?? info.validators.map((v) => v.index)).map((i) => info.validators[i]).map((v) => `${v.nodeId}@${v.p2p}`).join(",");
  const cfgPath = homePaths(home).cometConfig;
  let cfg = setTomlValue(fs.readFileSync(cfgPath, "utf8"), "p2p", "persistent_peers", peers);
  if (o.stateSync) {
    const servers = info.validators.filter((v) => v.role !== "full").slice(0, 2);
    if (servers.length === 0) throw new Error("state sync needs a running network to take snapshots from");
    const latest = Number((await rpcResult(`${servers[0].rpc}/status`)).sync_info.latest_block_height);
    const trustHeight = Math.max(1, latest - 5);
    const trustHash = (await rpcResult(`${servers[0].rpc}/block?height=${trustHeight}`)).block_id.hash as string;
    cfg = setTomlValue(cfg, "statesync", "enable", true);
    // the light client wants two RPC servers; a one-validator network gives its own twice
    cfg = setTomlValue(cfg, "statesync", "rpc_servers", [servers[0].rpc, (servers[1] ?? servers[0]).rpc].join(","));
    cfg = setTomlValue(cfg, "statesync", "trust_height", trustHeight);
    cfg = setTomlValue(cfg, "statesync", "trust_hash", trustHash);
    cfg = setTomlValue(cfg, "statesync", "trust_period", "168h0m0s");
    cfg = setTomlValue(cfg, "statesync", "discovery_time", "5s");
  }
  for (const [section, key, value] of o.comet ?? []) cfg = setTomlValue(cfg, section, key, value);
  fs.writeFileSync(cfgPath, cfg);
  const entry: ValidatorEntry = { index, moniker, home, nodeId, rpc: `http://127.0.0.1:${rpc}`, p2p: `127.0.0.1:${p2p}`, abci: `tcp://127.0.0.1:${abci}`, pids: {}, role: "full" };
  info.validators.push(entry);
  writeTestnetInfo(info);
  return entry;
}
