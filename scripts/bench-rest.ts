/**
 * REST gateway latency: C concurrent clients each ask an account's balance over and over for
 * D seconds, idle and while a sender keeps blocks full of txs; the baseline, in the same run,
 * is the same query through CometBFT's RPC (abci_query, what CosmJS does). Prints p50/p99/max
 * and requests per second, and the ratios REST/RPC.
 *
 *   bash scripts/bench-rest [--clients 50] [--seconds 10]
 */
import { parseArgs } from "node:util";
import { GasPrice, SigningStargateClient, coin } from "@cosmjs/stargate";
import { QueryBalanceRequest } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { LocalNode, newAccount } from "../app/testnet/local-node.ts";

const { values } = parseArgs({ options: { clients: { type: "string", default: "50" }, seconds: { type: "string", default: "10" } } });
const clients = Number(values.clients);
const seconds = Number(values.seconds);

interface Result { p50: number; p99: number; max: number; rps: number; errors: number }

async function run(ask: () => Promise<Response>): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const res = await ask().catch(() => undefined);
      if (!res || !res.ok) errors++;
      await res?.arrayBuffer().catch(() => undefined);
      latencies.push(performance.now() - t0);
    }
  }));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { p50: at(0.5), p99: at(0.99), max: latencies[latencies.length - 1], rps: latencies.length / seconds, errors };
}

const alice = await newAccount();
const node = await LocalNode.create({ funded: [{ address: alice.address, coins: "1000000000000uaro" }], invCheckPeriod: 0, timeoutCommit: "1s" });
try {
  await node.start();
  const rest = () => fetch(`${node.api}/cosmos/bank/v1beta1/balances/${alice.address}/by_denom?denom=uaro`);
  const data = Buffer.from(QueryBalanceRequest.encode({ address: alice.address, denom: "uaro" }).finish()).toString("hex");
  const rpc = () => fetch(`${node.rpc}/abci_query?path="/cosmos.bank.v1beta1.Query/Balance"&data=0x${data}`);
  const rows: Array<[string, Result, Result]> = [];
  rows.push(["idle", await run(rpc), await run(rest)]);

  // load: a sender keeps a few hundred sends in every block
  const client = await SigningStargateClient.connectWithSigner(node.rpc, alice.wallet, { gasPrice: GasPrice.fromString("0.025uaro") });
  let sending = true;
  const sender = (async () => {
    let sequence = (await client.getSequence(alice.address)).sequence;
    const accountNumber = (await client.getSequence(alice.address)).accountNumber;
    const chainId = await client.getChainId();
    while (sending) {
      const signed = await client.sign(alice.address, [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: alice.address, toAddress: node.operator.address, amount: [coin("1", "uaro")] } }],
        { amount: [coin("5000", "uaro")], gas: "200000" }, "", { accountNumber, sequence, chainId });
      const { TxRaw } = await import("cosmjs-types/cosmos/tx/v1beta1/tx");
      await client.broadcastTxSync(TxRaw.encode(signed).finish()).then(() => sequence++, () => new Promise((r) => setTimeout(r, 50)));
    }
  })();
  rows.push(["under tx load", await run(rpc), await run(rest)]);
  sending = false;
  await sender;
  client.disconnect();

  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(`\nbalance query, ${clients} concurrent clients, ${seconds} s each (CometBFT RPC abci_query = baseline)`);
  console.log("| | RPC p50 | RPC p99 | REST p50 | REST p99 | REST max | RPC req/s | REST req/s | REST/RPC p99 | errors |");
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const [name, a, b] of rows) {
    console.log(`| ${name} | ${ms(a.p50)} | ${ms(a.p99)} | ${ms(b.p50)} | ${ms(b.p99)} | ${ms(b.max)} | ${a.rps.toFixed(0)} | ${b.rps.toFixed(0)} | ${(b.p99 / a.p99).toFixed(2)} | ${a.errors}/${b.errors} |`);
  }
} finally {
  await node.cleanup();
}
