import fs from "node:fs";
import path from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient, coin } from "@cosmjs/stargate";
import { aroRegistry } from "../../client/index.ts";
import { BECH32_PREFIX } from "../../chain/address.ts";
import { editConfig, initAgent, startAgent, stopAgent, type AgentEntry } from "./agents.ts";
import type { TestnetInfo } from "./create.ts";

/** What each agent gets from the demo account: its bond, a watcher's stake, and fees. */
export const AGENT_FUNDS = 20_000_000_000n;
export const AGENT_BOND = "5000000000uaro";
export const WATCHER_STAKE = "5000000000uaro";
export const AGENTS_FILE = "agents.json";

export interface AgentNetworkOptions {
  agents: number;
  watchers: number;
  /** fault injection per agent index, e.g. { 2: ["--fault", "corrupt-chunks"] } */
  flags?: Record<number, string[]>;
  onProgress?: (line: string) => void;
}

/**
 * Starts M node agents and K watcher agents against a running testnet, all on 127.0.0.1:
 * agent 0 also serves PeerRouting and is every other agent's routing and bootstrap peer;
 * each is funded from the demo account, registers itself (bond / watcher stake) at start.
 */
export async function startAgentNetwork(info: TestnetInfo, o: AgentNetworkOptions): Promise<AgentEntry[]> {
  const dir = path.join(info.home, "agents");
  fs.mkdirSync(dir, { recursive: true });
  const rpc = info.validators[0].rpc;
  const entries: AgentEntry[] = [];
  for (let i = 0; i < o.agents; i++) entries.push(await initAgent(dir, rpc, info.chain_id, { name: `agent-${i}`, role: "node" }));
  for (let i = 0; i < o.watchers; i++) entries.push(await initAgent(dir, rpc, info.chain_id, { name: `watcher-${i}`, role: "watcher" }));
  await fund(info, entries.map((e) => e.operator));
  for (const e of entries) editConfig(e.home, [["node", "bond", AGENT_BOND], ["watcher", "stake", WATCHER_STAKE]]);
  try {
    for (const [i, e] of entries.entries()) {
      if (i === 0) editConfig(e.home, [["routing", "serve", true]]);
      else {
        // agent-0 serves routing and is everyone's bootstrap peer
        const first = entries[0].run!;
        editConfig(e.home, [["routing", "url", first.routingUrl ?? ""], ["p2p", "bootstrap", first.multiaddrs.slice(0, 1)]]);
      }
      o.onProgress?.(`starting ${e.name} ...`);
      await startAgent(e, o.flags?.[i] ?? []);
      writeAgents(info, entries);
    }
  } catch (err) {
    await stopAgents(entries);
    throw err;
  }
  return entries;
}

async function fund(info: TestnetInfo, addresses: string[]): Promise<void> {
  const mnemonic = fs.readFileSync(info.demo_mnemonic_file, "utf8").trim();
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: BECH32_PREFIX });
  const client = await SigningStargateClient.connectWithSigner(info.validators[0].rpc, wallet, { registry: aroRegistry(), broadcastPollIntervalMs: 300, gasPrice: GasPrice.fromString("0.025uaro") });
  try {
    const msgs = addresses.map((to) => ({ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: info.demo_address, toAddress: to, amount: [coin(AGENT_FUNDS.toString(), "uaro")] } }));
    const r = await client.signAndBroadcast(info.demo_address, msgs, "auto");
    if (r.code !== 0) throw new Error(`funding the agents failed: ${r.rawLog}`);
  } finally {
    client.disconnect();
  }
}

export function writeAgents(info: TestnetInfo, agents: AgentEntry[]): void {
  fs.writeFileSync(path.join(info.home, AGENTS_FILE), JSON.stringify(agents, null, 2) + "\n");
}

export async function stopAgents(agents: AgentEntry[]): Promise<void> {
  await Promise.all(agents.map((a) => stopAgent(a).catch(() => undefined)));
}
