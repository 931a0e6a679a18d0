// Settlement of an epoch with 100,000 registered nodes and their claims on a real chain
// (arod + CometBFT, timeout_commit 1s): block time while claims are resolved and the
// epoch is scored and paid (bounded batches per block) against block time before, and
// the state each node takes.
//   bash scripts/bench-settlement [--nodes 100000] [--per-block 250]
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { NatType, NodeStatus, Service } from "../proto/gen/aro/peernode/v1/peernode.ts";
import { ClaimStatus } from "../proto/gen/aro/gpow/v1/gpow.ts";
import { moduleAddress } from "../modules/auth/keeper.ts";
import { LocalNode, newAccount } from "../app/testnet/local-node.ts";
import { blockStats } from "./lib/broadcast.ts";
import { diskUsage } from "./lib/disk.ts";
import { memoryOf } from "./lib/process-memory.ts";
import { homePaths } from "../app/arod/node/home.ts";
import { QueryEpochResponse } from "../proto/gen/aro/settlement/v1/query.ts";

const { values: args } = parseArgs({ options: { nodes: { type: "string", default: "100000" }, "per-block": { type: "string", default: "250" }, "timeout-commit": { type: "string", default: "1s" } } });
const N = Number(args.nodes);
const PER_BLOCK = Number(args["per-block"]);
const EPOCH = 30;
const BOND = 1_000_000n;
const log = (s: string) => process.stderr.write(s + "\n");
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const peerId = (n: number) => "12D3KooW" + Array.from({ length: 44 }, (_, i) => B58[Math.floor(n / 58 ** i) % 58]).join("");


async function rpc<T>(url: string): Promise<T> {
  return ((await (await fetch(url)).json()) as { result: T }).result;
}

// 100,000 nodes' genesis (~150 MB of JSON) needs more than Node's default heap in arod
process.env.AROD_NODE_ARGS ??= "--max-old-space-size=12000";

async function main() {
  log(`bench-settlement: ${N} nodes with a claim each for epoch 0 (epoch length ${EPOCH}), ${PER_BLOCK} claims / nodes per block`);
  const owner = await newAccount();
  const customer = await newAccount();
  const node = await LocalNode.create({
    timeoutCommit: args["timeout-commit"],
    invCheckPeriod: 0,
    funded: [{ address: owner.address, coins: "1000000000uaro" }, { address: customer.address, coins: "1000000000uaro" }],
    editGenesis: (g) => {
      const s = g.app_state;
      Object.assign(s.settlement.params, { epochLength: String(EPOCH), nodesPerBlock: PER_BLOCK });
      Object.assign(s.gpow.params, { claimWindow: "2", proofWindow: "2", alwaysProveBytes: "1000000000000", proveProbability: "0.000000000000000001", maxResolutionsPerBlock: PER_BLOCK });
      Object.assign(s.watcher.params, { attestWindow: "2" });
      Object.assign(s.peernode.params, { minBond: BOND.toString() });
      const nodes = [];
      const guarantees = [];
      const claims = [];
      for (let i = 1; i <= N; i++) {
        nodes.push({
          id: String(i), owner: owner.address, operator: owner.address, peerId: peerId(i), multiaddrs: [`/ip4/10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/tcp/4001`],
          region: "europe", resources: { bandwidthMbps: "100", storageGb: "10", cpuMillicores: "1000", memoryMb: "1024" }, natType: NatType.NAT_TYPE_PUBLIC,
          services: [Service.SERVICE_CDN], commission: "0.100000000000000000", status: NodeStatus.NODE_STATUS_ACTIVE, guaranteeTokens: BOND.toString(),
          guaranteeShares: (BOND * 10n ** 18n).toString(), registeredHeight: "1", rewardPerShare: "0", ownerCommission: "0",
        });
        guarantees.push({ nodeId: String(i), backer: owner.address, shares: (BOND * 10n ** 18n).toString(), rewardPerShareStart: "0" });
        const bytes = String(1_000_000 + (i % 1000) * 1000);
        claims.push({ nodeId: String(i), epoch: "0", root: Buffer.alloc(32, i & 255).toString("base64"), totalBytes: bytes, count: "10", clientTotals: [{ client: customer.address, bytes }], status: ClaimStatus.CLAIM_STATUS_PENDING, submittedHeight: "1", customerPaid: "0" });
      }
      s.peernode.nodes = nodes;
      s.peernode.guarantees = guarantees;
      s.peernode.nextNodeId = String(N + 1);
      s.gpow.claims = claims;
      s.market.escrows = [{ owner: customer.address, balance: "500000000", held: "0", deposited: "500000000", withdrawn: "0", paid: "0" }];
      const balances = g.app_state.bank.balances;
      balances.push({ address: moduleAddress("peernode_bonds"), coins: [{ denom: "uaro", amount: (BOND * BigInt(N)).toString() }] });
      balances.push({ address: moduleAddress("market_escrow"), coins: [{ denom: "uaro", amount: "500000000" }] });
      g.app_state.bank.supply = [];
    },
  });
  const genesisBytes = fs.statSync(path.join(node.home, "config", "genesis.json")).size;
  try {
    log(`genesis.json: ${(genesisBytes / 1e6).toFixed(1)} MB; starting (InitChain loads every node) ...`);
    const t0 = performance.now();
    await node.start(1, 1_800_000);
    const upSeconds = (performance.now() - t0) / 1000;
    log(`chain up after ${upSeconds.toFixed(0)} s`);
    // wait for the epoch to settle
    let failures = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 2000));
      try {
        const s = await rpc<{ response: { value?: string } }>(`${node.rpc}/abci_query?path=%22/aro.settlement.v1.Query/Epoch%22`);
        const phase = QueryEpochResponse.decode(Buffer.from(s.response.value ?? "", "base64")).settlement?.phase;
        log(`height ${await node.latestHeight()}: epoch 0 phase ${phase}`);
        if (phase === 4) break;
      } catch (err) {
        if (++failures > 30) throw err;
        log(`query failed (${(err as Error).message}); retrying`);
      }
    }
    // the block after the settling one closes its interval
    const settledAt = await node.latestHeight();
    while ((await node.latestHeight()) < settledAt + 2) await new Promise((r) => setTimeout(r, 500));
    const latest = await node.latestHeight();
    const stateBytes = diskUsage(homePaths(node.home).appDb);
    const mem = memoryOf(node.arod!.pid!);
    const blocks = await blockStats(node.rpc, 2, latest);
    const seen = new Map<string, number>();
    for (const b of blocks) for (const e of new Set(b.events)) seen.set(e, (seen.get(e) ?? 0) + 1);
    log(`blocks with each event type: ${[...seen].map(([e, n]) => `${e} ${n}`).join(", ")}`);
    // a block's work delays the next block: the interval after block h is charged to h's events
    const intervals = blocks.slice(1).map((b, i) => ({ h: blocks[i].height, dt: (b.time - blocks[i].time) / 1000, events: blocks[i].events }));
    // settlement runs from the first block resolving claims to the block that settles the epoch
    const first = intervals.findIndex((x) => x.events.includes("claim_accepted"));
    const last = intervals.findIndex((x) => x.events.includes("epoch_settled"));
    const busy = intervals.slice(first, last + 1);
    const normal = intervals.filter((x) => x.h < EPOCH && x.h > 3);
    const resolved = busy.filter((x) => x.events.includes("claim_accepted")).length;
    const paying = busy.filter((x) => x.events.includes("node_reward")).length;
    const phase = (xs: typeof busy) => (xs.length ? `${mean(xs.map((x) => x.dt)).toFixed(3)} s` : "-");
    console.log(`by phase (mean block time):       resolving ${phase(busy.filter((x) => x.events.includes("claim_accepted")))}, scoring ${phase(busy.filter((x) => !x.events.includes("claim_accepted") && !x.events.includes("node_reward")))}, paying ${phase(busy.filter((x) => x.events.includes("node_reward")))}`);
    console.log(`nodes and claims:                 ${N}`);
    console.log(`genesis.json:                     ${(genesisBytes / 1e6).toFixed(1)} MB`);
    console.log(`application database on disk:     ${(stateBytes / 1e6).toFixed(1)} MB after settling = ${(stateBytes / N).toFixed(0)} bytes per node (IAVL nodes of the kept versions, the flat index, the epoch's records)`);
    console.log(`arod memory:                      peak RSS ${mem.peakMb} MB (InitChain included); after settling RSS ${mem.rssMb} MB = ${mem.anonMb} MB anonymous (heap, caches) + ${mem.fileMb} MB mapped file pages (LMDB, reclaimable)`);
    console.log(`InitChain to first block:         ${upSeconds.toFixed(0)} s`);
    console.log(`blocks resolving claims:          ${resolved}; blocks paying nodes: ${paying}; settlement blocks in all: ${busy.length}`);
    console.log(`normal block time:                ${mean(normal.map((x) => x.dt)).toFixed(3)} s (${normal.length} blocks)`);
    console.log(`block time during settlement:     ${mean(busy.map((x) => x.dt)).toFixed(3)} s (max ${Math.max(...busy.map((x) => x.dt)).toFixed(3)} s)`);
    console.log(`ratio:                            ${(mean(busy.map((x) => x.dt)) / mean(normal.map((x) => x.dt))).toFixed(3)} (target <= 1.10)`);
  } catch (err) {
    log(`--- arod output (last lines) ---\n${node.output.slice(-4000)}\n--- cometbft log ---\n${node.cometLog().slice(-4000)}`);
    throw err;
  } finally {
    await node.cleanup();
  }
}

await main();
