// Block time while 10,000 unbonding entries mature in the same block window, against
// the block time of the same chain before they mature (x/staking completes them in
// bounded batches per block).
//   bash scripts/bench-unbonding [--entries 10000] [--timeout-commit 1s]
import { parseArgs } from "node:util";
import { moduleAddress } from "../modules/auth/keeper.ts";
import { NOT_BONDED_POOL, MAX_MATURED_PER_BLOCK } from "../modules/staking/keys.ts";
import { LocalNode } from "../app/testnet/local-node.ts";
import { FastAccount } from "./lib/fast-signer.ts";

const { values: args } = parseArgs({ options: { entries: { type: "string", default: "10000" }, "timeout-commit": { type: "string", default: "1s" }, delay: { type: "string", default: "40" } } });
const N = Number(args.entries);
const DELAY = Number(args.delay);
const log = (s: string) => process.stderr.write(s + "\n");

async function rpc<T>(url: string): Promise<T> {
  return ((await (await fetch(url)).json()) as { result: T }).result;
}

async function main() {
  log(`bench-unbonding: ${N} unbonding entries maturing ${DELAY}s after genesis; at most ${MAX_MATURED_PER_BLOCK} completed per block`);
  const delegators = Array.from({ length: N }, (_, i) => new FastAccount(`unbonder-${i}`).address);
  let maturity = 0;
  const node = await LocalNode.create({
    timeoutCommit: args["timeout-commit"],
    editGenesis: (g) => {
      maturity = Math.floor(Date.parse(g.genesis_time) / 1000) + DELAY;
      const when = new Date(maturity * 1000).toISOString().replace(".000Z", "Z");
      const val = g.app_state.staking.validators[0].operator_address;
      g.app_state.staking.unbonding_delegations = delegators.map((d) => ({
        delegator_address: d, validator_address: val,
        entries: [{ creation_height: "0", completion_time: when, initial_balance: "1000", balance: "1000" }],
      }));
      const pool = g.app_state.bank.balances.find((b: any) => b.address === moduleAddress(NOT_BONDED_POOL));
      pool.coins[0].amount = (BigInt(pool.coins[0].amount) + 1000n * BigInt(N)).toString();
      g.app_state.bank.supply = [];
    },
  });
  try {
    await node.start();
    const until = maturity + Math.ceil((N / MAX_MATURED_PER_BLOCK) * 1.3) + 10;
    log(`chain up; waiting until ${new Date(until * 1000).toISOString()} (all entries completed) ...`);
    while (Date.now() / 1000 < until) await new Promise((r) => setTimeout(r, 1000));
    const latest = await node.latestHeight();
    const times: Array<{ h: number; t: number; completed: number }> = [];
    for (let h = 2; h <= latest; h++) {
      const b = await rpc<{ block: { header: { time: string } } }>(`${node.rpc}/block?height=${h}`);
      const res = await rpc<{ finalize_block_events: Array<{ type: string }> | null }>(`${node.rpc}/block_results?height=${h}`);
      times.push({ h, t: Date.parse(b.block.header.time) / 1000, completed: (res.finalize_block_events ?? []).filter((e) => e.type === "complete_unbonding").length });
    }
    const intervals = times.slice(1).map((x, i) => ({ ...x, dt: x.t - times[i].t }));
    // the block that completes entries starts its interval after the previous block; attribute work to the next interval
    const busy = intervals.filter((_x, i) => i > 0 && intervals[i - 1].completed > 0);
    const normal = intervals.filter((x, i) => x.completed === 0 && (i === 0 || intervals[i - 1].completed === 0) && x.t < maturity - 2);
    const mean = (xs: Array<{ dt: number }>) => xs.reduce((s, x) => s + x.dt, 0) / xs.length;
    const completed = intervals.reduce((s, x) => s + x.completed, 0) + (times[0]?.completed ?? 0);
    console.log(`entries completed:          ${completed} of ${N} in ${intervals.filter((x) => x.completed > 0).length} blocks`);
    console.log(`normal block time:          ${mean(normal).toFixed(3)} s (${normal.length} blocks)`);
    console.log(`block time while completing: ${mean(busy).toFixed(3)} s (${busy.length} blocks)`);
    console.log(`ratio:                      ${(mean(busy) / mean(normal)).toFixed(3)} (target <= 1.10)`);
  } finally {
    await node.cleanup();
  }
}

await main();
