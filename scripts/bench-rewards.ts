// Rewards for 10,000 delegators: block time of a chain whose validator has 10,000
// delegators earning every block, against the same chain without them (same run);
// then all 10,000 withdraw in one window, against 10,000 plain sends from the same
// accounts. x/distribution is lazy (F1): a block's cost does not grow with delegators.
//   bash scripts/bench-rewards [--delegators 10000] [--blocks 30] [--timeout-commit 1s]
import { parseArgs } from "node:util";
import { MsgWithdrawDelegatorReward } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { toValoper } from "../chain/address.ts";
import { decToString, DEC_ONE } from "../chain/dec.ts";
import { moduleAddress } from "../modules/auth/keeper.ts";
import { NOT_BONDED_POOL } from "../modules/staking/keys.ts";
import { LocalNode } from "../app/testnet/local-node.ts";
import { blockStats, broadcastAll, throughput } from "./lib/broadcast.ts";
import { FastAccount } from "./lib/fast-signer.ts";

const { values: args } = parseArgs({
  options: { delegators: { type: "string", default: "10000" }, blocks: { type: "string", default: "30" }, "timeout-commit": { type: "string", default: "1s" } },
});
const N = Number(args.delegators);
const BLOCKS = Number(args.blocks);
const STAKE = 1_000_000n;
const log = (s: string) => process.stderr.write(s + "\n");
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Mean interval between the next `count` blocks (from a height past start-up). */
async function meanBlockTime(node: LocalNode, count: number): Promise<{ seconds: number; rewardsEvents: number }> {
  const from = Math.max(await node.latestHeight(), 3);
  while ((await node.latestHeight()) < from + count) await new Promise((r) => setTimeout(r, 500));
  const blocks = await blockStats(node.rpc, from, from + count);
  return { seconds: mean(blocks.slice(1).map((b, i) => (b.time - blocks[i].time) / 1000)), rewardsEvents: blocks.reduce((s, b) => s + b.events.filter((e) => e === "rewards").length, 0) };
}

async function chain(delegators: FastAccount[]): Promise<LocalNode> {
  return LocalNode.create({
    timeoutCommit: args["timeout-commit"],
    invCheckPeriod: 0,
    funded: delegators.map((d) => ({ address: d.address, coins: "10000000uaro" })),
    comet: [["mempool", "size", 200000], ["mempool", "cache_size", 200000], ["rpc", "max_open_connections", 2000], ["rpc", "max_request_batch_size", 100]],
    editGenesis: (g) => {
      if (delegators.length === 0) return;
      const staking = g.app_state.staking;
      const v = staking.validators[0];
      const total = STAKE * BigInt(delegators.length);
      for (const d of delegators) staking.delegations.push({ delegator_address: d.address, validator_address: v.operator_address, shares: decToString(STAKE * DEC_ONE) });
      v.tokens = (BigInt(v.tokens) + total).toString();
      v.delegator_shares = decToString((BigInt(v.tokens)) * DEC_ONE);
      const pool = g.app_state.bank.balances.find((b: any) => b.address === moduleAddress(NOT_BONDED_POOL));
      pool.coins[0].amount = (BigInt(pool.coins[0].amount) + total).toString();
      g.app_state.bank.supply = [];
    },
  });
}

async function sendAll(node: LocalNode, txs: Uint8Array[]): Promise<ReturnType<typeof throughput>> {
  const start = await node.latestHeight();
  await broadcastAll(node.rpc, txs.map((t) => Buffer.from(t).toString("base64")), 50, 8);
  return throughput(await blockStats(node.rpc, start + 1, await node.latestHeight()));
}

async function main() {
  log(`bench-rewards: ${N} delegators of ${STAKE}uaro each, ${BLOCKS} blocks measured per phase, timeout_commit ${args["timeout-commit"]}`);
  const delegators = Array.from({ length: N }, (_, i) => new FastAccount(`delegator-${i}`));

  log("baseline chain: one validator, no other delegators ...");
  const base = await chain([]);
  let baseline: number;
  try {
    await base.start();
    baseline = (await meanBlockTime(base, BLOCKS)).seconds;
  } finally {
    await base.cleanup();
  }

  log(`chain with ${N} delegators earning every block ...`);
  const node = await chain(delegators);
  try {
    await node.start();
    const busy = await meanBlockTime(node, BLOCKS);
    console.log(`block time, no delegators:            ${baseline.toFixed(3)} s`);
    console.log(`block time, ${N} delegators earning: ${busy.seconds.toFixed(3)} s (${busy.rewardsEvents} blocks allocated rewards)`);
    console.log(`ratio:                                 ${(busy.seconds / baseline).toFixed(3)} (target <= 1.10)`);

    log(`pre-signing ${N} withdrawals and ${N} sends ...`);
    const common = { chainId: node.chainId, gas: 200000n, fee: "5000" };
    const withdrawals = delegators.map((d, i) => d.signedTx([{
      typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward",
      value: MsgWithdrawDelegatorReward.encode({ delegatorAddress: d.address, validatorAddress: toValoper(node.operator.address) }).finish(),
    }], { ...common, accountNumber: BigInt(i + node.firstAccountNumber), sequence: 0n }));
    const sends = delegators.map((d, i) => d.signedSend({ ...common, to: delegators[0].address, amount: "1", accountNumber: BigInt(i + node.firstAccountNumber), sequence: 1n }));
    const w = await sendAll(node, withdrawals);
    const s = await sendAll(node, sends);
    console.log(`withdrawals:  ${w.committed} committed (failed ${w.failed}) in ${w.blocksWithTxs} blocks, ${w.tps.toFixed(0)} tx/s, mean block time ${w.meanBlock.toFixed(3)} s`);
    console.log(`plain sends:  ${s.committed} committed (failed ${s.failed}) in ${s.blocksWithTxs} blocks, ${s.tps.toFixed(0)} tx/s, mean block time ${s.meanBlock.toFixed(3)} s`);
    console.log(`withdrawal throughput / send throughput: ${(w.tps / s.tps).toFixed(3)}`);
  } finally {
    await node.cleanup();
  }
}

await main();
