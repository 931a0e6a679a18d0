import { Command } from "commander";
import { GasPrice, SigningStargateClient, calculateFee, type StdFee } from "@cosmjs/stargate";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { BROADCAST_POLL_MS, aroRegistry } from "../../../client/index.ts";
import { parseCoins, toWireCoins } from "../../../chain/coins.ts";
import { keyringOption, print } from "../../common/cli.ts";
import { homeOption, nodeOption, openKeyring } from "./options.ts";

/** Options every `arod tx` command shares (named as in Cosmos SDK CLIs). */
export function txOptions(cmd: Command): Command {
  return cmd
    .addOption(homeOption())
    .addOption(nodeOption())
    .addOption(keyringOption())
    .option("--chain-id <id>", "refuse to sign unless the node's chain id is this")
    .option("--fees <coins>", "exact fee, e.g. 5000uaro (then --gas must be a number)")
    .option("--gas <limit>", 'gas limit, or "auto" to simulate first', "auto")
    .option("--gas-prices <price>", "price per gas unit when the fee is computed", "0.025uaro")
    .option("--gas-adjustment <factor>", "multiplier on the simulated gas with --gas auto", "1.4")
    .option("--memo <text>", "tx memo", "");
}

/** Every message the chain serves (CosmJS's defaults, the SDK messages it lacks, Aro's). */
const registry = aroRegistry();


async function signer(o: any, from: string) {
  const wallet = await openKeyring(o.home, o.keyringBackend).wallet(from);
  const [account] = await wallet.getAccounts();
  let client: SigningStargateClient;
  try {
    client = await SigningStargateClient.connectWithSigner(o.node, wallet, { registry, gasPrice: GasPrice.fromString(o.gasPrices), broadcastPollIntervalMs: BROADCAST_POLL_MS });
  } catch (err) {
    throw new Error(`cannot reach a node at ${o.node}: ${(err as Error).message}`);
  }
  const chainId = await client.getChainId();
  if (o.chainId && o.chainId !== chainId) throw new Error(`--chain-id ${o.chainId} does not match the node's chain id ${chainId}`);
  return { client, address: account.address };
}

function feeFrom(o: any): StdFee | number {
  const adjustment = Number(o.gasAdjustment);
  if (!(adjustment >= 1)) throw new Error("--gas-adjustment must be a number >= 1");
  if (o.gas === "auto") {
    if (o.fees) throw new Error("--fees needs a numeric --gas");
    return adjustment;
  }
  if (!/^\d+$/.test(o.gas)) throw new Error(`--gas must be "auto" or a whole number, got ${o.gas}`);
  if (o.fees) return { amount: toWireCoins(parseCoins(o.fees)), gas: o.gas };
  return calculateFee(Number(o.gas), GasPrice.fromString(o.gasPrices));
}

/** Signs `msgs` with key `from`, broadcasts, waits for inclusion and prints the result. */
export async function broadcast(o: any, from: string, msgs: (address: string) => EncodeObject[]): Promise<void> {
  const { client, address } = await signer(o, from);
  try {
    const r = await client.signAndBroadcast(address, msgs(address), feeFrom(o), o.memo);
    print({ height: r.height, txhash: r.transactionHash, code: r.code, raw_log: r.rawLog, gas_wanted: r.gasWanted, gas_used: r.gasUsed, events: r.events });
    if (r.code !== 0) process.exitCode = 1;
  } finally {
    client.disconnect();
  }
}
