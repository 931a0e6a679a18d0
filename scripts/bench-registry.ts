// A registry that grows to --nodes PeerNodes through real MsgRegisterNode txs on a real
// chain (arod + CometBFT), with arod's memory, its database and block times sampled as
// it grows, then blocks with the full registry while settlement scores it. Memory must
// follow the cache and the budget, not the number of nodes.
//   bash scripts/bench-registry [--nodes 1000000] [--per-tx 250] [--owners 16] [--settle-blocks 60]
import { parseArgs } from "node:util";
import { MsgRegisterNode } from "../proto/gen/aro/peernode/v1/tx.ts";
import { NatType, Service } from "../proto/gen/aro/peernode/v1/peernode.ts";
import { LocalNode } from "../app/testnet/local-node.ts";
import { diskUsage } from "./lib/disk.ts";
import { memoryOf, type ProcessMemory } from "./lib/process-memory.ts";
import { homePaths } from "../app/arod/node/home.ts";
import { MemoryCgroup } from "./lib/memory-cgroup.ts";
import { FastAccount } from "./lib/fast-signer.ts";
import { blockStats, broadcastAll, rpc, type BlockStat } from "./lib/broadcast.ts";
import { QueryEpochRequest, QueryEpochResponse } from "../proto/gen/aro/settlement/v1/query.ts";
import { EpochPhase } from "../proto/gen/aro/settlement/v1/settlement.ts";

const { values: args } = parseArgs({
  options: {
    nodes: { type: "string", default: "1000000" },
    "per-tx": { type: "string", default: "250" },
    owners: { type: "string", default: "16" },
    "timeout-commit": { type: "string", default: "300ms" },
    "settle-blocks": { type: "string", default: "60" },
    "nodes-per-block": { type: "string", default: "2000" },
    // run arod in a memory cgroup of this many MB (as systemd's MemoryMax= would); 0: none
    "memory-limit-mb": { type: "string", default: "0" },
    // versions kept: a validator's custom pruning (the SDK's default keeps 362,880)
    "pruning-keep-recent": { type: "string", default: "100" },
    // app.toml's iavl-cache-size (decoded nodes held in memory); empty: arod's default
    "iavl-cache-size": { type: "string", default: "" },
  },
});
const N = Number(args.nodes);
const PER_TX = Number(args["per-tx"]);
const OWNERS = Number(args.owners);
const SETTLE_BLOCKS = Number(args["settle-blocks"]);
const MIN_BOND = 1000n;
// a registration uses ~105,000 gas: the default block (100,000,000 gas) takes three txs of 250
const GAS_PER_MSG = 120_000n;
const log = (s: string) => process.stderr.write(s + "\n");
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const peerId = (n: number) => "12D3KooW" + Array.from({ length: 44 }, (_, i) => B58[Math.floor(n / 58 ** i) % 58]).join("");
const REGIONS = ["europe", "north-america", "asia", "south-america", "africa", "oceania"];


function registerMsg(owner: string, i: number): { typeUrl: string; value: Uint8Array } {
  return {
    typeUrl: "/aro.peernode.v1.MsgRegisterNode",
    value: MsgRegisterNode.encode(MsgRegisterNode.fromPartial({
      owner, operator: owner, peerId: peerId(i), multiaddrs: [`/ip4/10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/tcp/4001`],
      region: REGIONS[i % REGIONS.length], resources: { bandwidthMbps: 100n, storageGb: 10n, cpuMillicores: 1000n, memoryMb: 1024n },
      natType: NatType.NAT_TYPE_PUBLIC, services: [Service.SERVICE_CDN], commission: "0.1", bond: { denom: "uaro", amount: MIN_BOND.toString() },
    })).finish(),
  };
}

/** Mean time between blocks in (from, to], from the stats of those heights. */
function meanBlockTime(blocks: BlockStat[], from: number, to: number): number {
  const a = blocks.find((b) => b.height === Math.max(from, blocks[0].height));
  const b = blocks.find((x) => x.height === to);
  return a && b && b.height > a.height ? (b.time - a.time) / 1000 / (b.height - a.height) : NaN;
}

/** Nodes settlement scored between two heights: the scoring cursors of the epochs at each height. */
async function nodesScored(node: string, from: number, to: number): Promise<bigint> {
  const progress = async (height: number): Promise<bigint> => {
    let total = 0n;
    for (let epoch = 0n; ; epoch++) {
      const r = await rpc<{ response: { code: number; value: string | null } }>(node, "abci_query", {
        path: "/aro.settlement.v1.Query/Epoch", data: Buffer.from(QueryEpochRequest.encode({ epoch }).finish()).toString("hex"), height: String(height),
      });
      if (r.response.code !== 0 || !r.response.value) return total;
      const s = QueryEpochResponse.decode(Buffer.from(r.response.value, "base64")).settlement;
      if (!s || s.phase === EpochPhase.EPOCH_PHASE_OPEN) return total;
      // scoring: the cursor is the next node id; paying or settled: every node was scored
      total += s.phase === EpochPhase.EPOCH_PHASE_SCORING ? (s.cursor > 0n ? s.cursor - 1n : 0n) : BigInt(N);
    }
  };
  return (await progress(to)) - (await progress(from));
}

async function main() {
  log(`bench-registry: ${N} nodes registered by ${OWNERS} owners, ${PER_TX} MsgRegisterNode per tx`);
  const owners = Array.from({ length: OWNERS }, (_, i) => new FastAccount(`registry-owner-${i}`));
  const node = await LocalNode.create({
    funded: owners.map((o) => ({ address: o.address, coins: "1000000000000000uaro" })),
    timeoutCommit: args["timeout-commit"],
    invCheckPeriod: 0,
    app: [["pruning", "custom"], ["pruning-keep-recent", Number(args["pruning-keep-recent"])], ["pruning-interval", 10],
      ...(args["iavl-cache-size"] ? [["iavl-cache-size", Number(args["iavl-cache-size"])] as [string, number]] : [])],
    comet: [["mempool", "size", 100000], ["mempool", "max_tx_bytes", 4194304], ["mempool", "max_txs_bytes", 1073741824], ["rpc", "max_body_bytes", 8388608]],
    editGenesis: (g) => {
      Object.assign(g.app_state.peernode.params, { minBond: MIN_BOND.toString() });
      Object.assign(g.app_state.settlement.params, { epochLength: "600", nodesPerBlock: Number(args["nodes-per-block"]) });
    },
  });
  const samples: Array<{ nodes: number; height: number; mem: ProcessMemory; dbMb: number }> = [];
  const sample = async (nodes: number) => {
    const s = { nodes, height: await node.latestHeight(), mem: memoryOf(node.arod!.pid!), dbMb: Math.round(diskUsage(homePaths(node.home).appDb) / 1e6) };
    samples.push(s);
    log(`${s.nodes} nodes at height ${s.height}: RSS ${s.mem.rssMb} MB (${s.mem.anonMb} anonymous + ${s.mem.fileMb} file pages), peak ${s.mem.peakMb} MB; app database ${s.dbMb} MB`);
  };
  const limit = Number(args["memory-limit-mb"]);
  const cgroup = limit > 0 ? MemoryCgroup.create(limit) : undefined;
  try {
    await node.start();
    // only arod counts: CometBFT, started before it moved, stays outside
    if (cgroup) {
      cgroup.add(node.arod!.pid!);
      log(`arod runs in a memory cgroup limited to ${limit} MB`);
    }
    const t0 = performance.now();
    const startHeight = await node.latestHeight();
    let next = 1;
    let round = 0n;
    let lastSample = 0;
    while (next <= N) {
      const txs: string[] = [];
      owners.forEach((o, k) => {
        const msgs = [];
        for (let j = 0; j < PER_TX && next <= N; j++) msgs.push(registerMsg(o.address, next++));
        if (msgs.length === 0) return;
        const gas = GAS_PER_MSG * BigInt(msgs.length);
        txs.push(Buffer.from(o.signedTx(msgs, { chainId: node.chainId, accountNumber: BigInt(k + node.firstAccountNumber), sequence: round, gas, fee: ((gas * 25n) / 1000n).toString() })).toString("base64"));
      });
      const { refused } = await broadcastAll(node.rpc, txs, 1, OWNERS, { waitForBlocks: false });
      if (refused) throw new Error(`${refused} txs refused at CheckTx in round ${round}`);
      round++;
      // keep at most two rounds in the mempool: the chain, not the mempool, sets the pace
      while (Number((await rpc<{ n_txs: string }>(node.rpc, "num_unconfirmed_txs", {})).n_txs) > OWNERS) await new Promise((r) => setTimeout(r, 200));
      if (next - 1 - lastSample >= Math.max(N / 20, 1) || next > N) {
        lastSample = next - 1;
        await sample(next - 1); // submitted; at most two rounds wait in the mempool
      }
    }
    while (Number((await rpc<{ n_txs: string }>(node.rpc, "num_unconfirmed_txs", {})).n_txs) > 0) await new Promise((r) => setTimeout(r, 200));
    const registeredHeight = await node.latestHeight();
    const secs = (performance.now() - t0) / 1000;
    await sample(N);
    log(`registered ${N} nodes in ${secs.toFixed(0)} s (${(N / secs).toFixed(0)} nodes/s); ${SETTLE_BLOCKS} more blocks with the full registry...`);
    while ((await node.latestHeight()) < registeredHeight + SETTLE_BLOCKS) await new Promise((r) => setTimeout(r, 1000));
    const end = registeredHeight + SETTLE_BLOCKS;
    await sample(N);
    const during = await blockStats(node.rpc, startHeight, registeredHeight);
    const failed = during.reduce((s, b) => s + (b.txs - b.ok), 0);
    if (failed) throw new Error(`${failed} register txs failed in their blocks`);
    const after = await blockStats(node.rpc, registeredHeight, end);
    const dts = after.slice(1).map((b, i) => (b.time - after[i].time) / 1000);
    const scored = await nodesScored(node.rpc, registeredHeight, end);
    const peak = Math.max(...samples.map((s) => s.mem.peakMb));
    const last = samples[samples.length - 1];
    console.log(`nodes registered:                 ${N} by MsgRegisterNode txs in ${secs.toFixed(0)} s (${(N / secs).toFixed(0)} nodes/s, blocks ${startHeight + 1}..${registeredHeight})`);
    console.log(`block time as the registry grew:  ${samples.filter((s) => s.height <= registeredHeight).map((s) => `${s.nodes}: ${meanBlockTime(during, s.height - 40, s.height).toFixed(2)} s`).join("; ")} (mean of the 40 blocks before each sample)`);
    console.log(`arod RSS as the registry grew:    ${samples.map((s) => `${s.nodes}: ${s.mem.rssMb} MB (${s.mem.anonMb} anon)`).join("; ")}`);
    console.log(`app database as it grew:          ${samples.map((s) => `${s.nodes}: ${s.dbMb} MB`).join("; ")}`);
    console.log(`arod memory with ${N} nodes:      RSS ${last.mem.rssMb} MB = ${last.mem.anonMb} MB anonymous + ${last.mem.fileMb} MB mapped file pages (reclaimable); peak ${peak} MB`);
    if (cgroup) {
      const c = cgroup.stats();
      console.log(`memory cgroup:                    limit ${limit} MB, peak use ${c.peakMb} MB (anonymous and page cache), times at the limit ${c.limitHits}, OOM kills ${c.oomKills}`);
    }
    console.log(`block time with the full registry: mean ${(dts.reduce((s, x) => s + x, 0) / dts.length).toFixed(3)} s, max ${Math.max(...dts).toFixed(3)} s over ${dts.length} blocks, while settlement scored ${scored} nodes`);
  } catch (err) {
    log(`--- arod output (last lines) ---\n${node.output.slice(-4000)}\n--- cometbft log ---\n${node.cometLog().slice(-3000)}`);
    throw err;
  } finally {
    await node.cleanup();
    cgroup?.remove();
  }
}

await main();
