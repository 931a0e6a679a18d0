// Disk use of a validator over a long run: arod + cometbft (one validator, 127.0.0.1)
// under sustained bank transfers, with PeerNodes settled every epoch, sampled every
// --sample blocks. With pruning (the default here: keep-recent 100, interval 10,
// min-retain-blocks 200) the state database and CometBFT's block store must flatten;
// the same run with `--pruning nothing` is the baseline that grows with height.
//   bash scripts/bench-disk [--blocks 600] [--sample 50] [--accounts 200] [--nodes 50] [--pruning custom|nothing] [--indexer null|kv]
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { LocalNode } from "../app/testnet/local-node.ts";
import { homePaths } from "../app/arod/node/home.ts";
import { moduleAddress } from "../modules/auth/keeper.ts";
import { NatType, NodeStatus, Service } from "../proto/gen/aro/peernode/v1/peernode.ts";
import { broadcastAll } from "./lib/broadcast.ts";
import { diskUsage } from "./lib/disk.ts";
import { FastAccount } from "./lib/fast-signer.ts";

const { values: args } = parseArgs({
  options: {
    blocks: { type: "string", default: "600" },
    sample: { type: "string", default: "50" },
    accounts: { type: "string", default: "200" },
    nodes: { type: "string", default: "50" },
    pruning: { type: "string", default: "custom" },
    "epoch-length": { type: "string", default: "20" },
    // a validator serves no tx search: CometBFT's tx index (which no pruning reaches) is off, as the SDK's docs advise
    indexer: { type: "string", default: "null" },
  },
});
const BLOCKS = Number(args.blocks);
const SAMPLE = Number(args.sample);
const ACCOUNTS = Number(args.accounts);
const NODES = Number(args.nodes);
const log = (s: string) => process.stderr.write(s + "\n");
const mb = (b: number) => (b / 1e6).toFixed(1);

const dirSize = (p: string): number => (fs.existsSync(p) ? diskUsage(p) : 0);

async function main() {
  log(`bench-disk: ${BLOCKS} blocks, ${ACCOUNTS} accounts sending every block, ${NODES} PeerNodes settled every ${args["epoch-length"]} blocks, pruning ${args.pruning}`);
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => new FastAccount(`disk-account-${i}`));
  const app: Array<[string, string | number]> = args.pruning === "nothing"
    ? [["pruning", "nothing"]]
    : [["pruning", "custom"], ["pruning-keep-recent", "100"], ["pruning-interval", "10"], ["min-retain-blocks", 200]];
  const owner = accounts[0].address;
  const BOND = 1_000_000n;
  const node = await LocalNode.create({
    funded: accounts.map((a) => ({ address: a.address, coins: "100000000000uaro" })),
    timeoutCommit: "200ms",
    invCheckPeriod: 0,
    app,
    comet: [["mempool", "size", 100000], ["mempool", "cache_size", 100000], ["rpc", "max_request_batch_size", 100], ["tx_index", "indexer", args.indexer!]],
    editGenesis: (g) => {
      g.consensus_params.evidence = { ...g.consensus_params.evidence, max_age_num_blocks: "100" };
      const s = g.app_state;
      Object.assign(s.settlement.params, { epochLength: args["epoch-length"] });
      Object.assign(s.peernode.params, { minBond: BOND.toString() });
      s.peernode.nodes = Array.from({ length: NODES }, (_, k) => {
        const i = k + 1;
        return {
          id: String(i), owner, operator: owner, peerId: `12D3KooWdisk${String(i).padStart(40, "A")}`, multiaddrs: [`/ip4/10.0.${(i >> 8) & 255}.${i & 255}/tcp/4001`],
          region: "europe", resources: { bandwidthMbps: "100", storageGb: "10", cpuMillicores: "1000", memoryMb: "1024" }, natType: NatType.NAT_TYPE_PUBLIC,
          services: [Service.SERVICE_CDN], commission: "0.100000000000000000", status: NodeStatus.NODE_STATUS_ACTIVE, guaranteeTokens: BOND.toString(),
          guaranteeShares: (BOND * 10n ** 18n).toString(), registeredHeight: "1", rewardPerShare: "0", ownerCommission: "0",
        };
      });
      s.peernode.guarantees = s.peernode.nodes.map((n: { id: string }) => ({ nodeId: n.id, backer: owner, shares: (BOND * 10n ** 18n).toString(), rewardPerShareStart: "0" }));
      s.peernode.nextNodeId = String(NODES + 1);
      g.app_state.bank.balances.push({ address: moduleAddress("peernode_bonds"), coins: [{ denom: "uaro", amount: (BOND * BigInt(NODES)).toString() }] });
      g.app_state.bank.supply = [];
    },
  });
  try {
    await node.start();
    const paths = homePaths(node.home);
    const cometData = path.join(node.home, "data");
    const rows: Array<{ height: number; state: number; comet: number; blocks: number; cometState: number; txIndex: number }> = [];
    const sample = () => {
      const state = dirSize(paths.appDb);
      const comet = dirSize(cometData) - state - dirSize(paths.snapshots);
      return { state, comet, blocks: dirSize(path.join(cometData, "blockstore.db")), cometState: dirSize(path.join(cometData, "state.db")), txIndex: dirSize(path.join(cometData, "tx_index.db")) };
    };
    let seq = 0;
    let nextSample = SAMPLE;
    console.log("height   state db (MB)   cometbft data (MB)   of which blocks / comet state / tx index (MB)");
    for (;;) {
      const height = await node.latestHeight();
      if (height >= nextSample) {
        const s = sample();
        rows.push({ height, ...s });
        console.log(`${String(height).padStart(6)}   ${mb(s.state).padStart(13)}   ${mb(s.comet).padStart(18)}   ${mb(s.blocks)} / ${mb(s.cometState)} / ${mb(s.txIndex)}`);
        nextSample += SAMPLE;
      }
      if (height >= BLOCKS) break;
      const txs = accounts.map((a, n) => Buffer.from(a.signedSend({ to: accounts[(n + 1) % ACCOUNTS].address, amount: "1", chainId: node.chainId, accountNumber: BigInt(n + node.firstAccountNumber), sequence: BigInt(seq), gas: 100000n, fee: "2500" })).toString("base64"));
      seq++;
      await broadcastAll(node.rpc, txs, 50, 4, { waitForBlocks: false });
      // one round of transfers per block
      while ((await node.latestHeight()) === height) await new Promise((r) => setTimeout(r, 50));
    }
    const half = rows.filter((r) => r.height >= BLOCKS / 2);
    const growth = (k: "state" | "comet") => (half.length > 1 ? (half.at(-1)![k] - half[0][k]) / half[0][k] : NaN);
    console.log(`second half growth: state db ${(growth("state") * 100).toFixed(1)}%, cometbft data ${(growth("comet") * 100).toFixed(1)}% (pruning ${args.pruning}, indexer ${args.indexer})`);
  } catch (err) {
    log(`--- arod output (last lines) ---\n${node.output.slice(-4000)}`);
    throw err;
  } finally {
    await node.cleanup();
  }
}

await main();
