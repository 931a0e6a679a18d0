import { Command } from "commander";
import { GasPrice, QueryClient, SigningStargateClient, accountFromAny, calculateFee, setupAuthExtension, setupTxExtension, type StdFee } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { BROADCAST_POLL_MS, aroRegistry } from "../../../client/index.ts";
import { BECH32_PREFIX, validateAddress } from "../../../chain/address.ts";
import { printUnsigned } from "./offline-tx.ts";
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
    .option("--memo <text>", "tx memo", "")
    .option("--generate-only", "print the unsigned tx as JSON instead of signing it (then: arod tx sign, arod tx broadcast); --from may be an address, and with a numeric --gas no node is asked");
}

/** Every message the chain serves (CosmJS's defaults, the SDK messages it lacks, Aro's). */
const registry = aroRegistry();


async function signer(o: any, from: string) {
  const wallet = await openKeyring(o.home, o.keyringBackend).signer(from);
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

/** --gas auto for an unsigned tx: simulated with the signer's public key (from the keyring) and sequence (from the node). */
async function simulatedFee(o: any, address: string, msgs: EncodeObject[], adjustment: number): Promise<StdFee> {
  const key = openKeyring(o.home, o.keyringBackend).list().find((k) => k.address === address);
  if (!key) throw new Error(`--gas auto simulates the tx with the signer's public key, and ${address} is not in the keyring: give --gas <limit> (and --fees or --gas-prices) to generate it offline`);
  const unreachable = (err: Error) => {
    throw new Error(`cannot reach a node at ${o.node} to simulate (--gas auto): ${err.message}; give --gas <limit> to generate offline`);
  };
  const comet = await Comet38Client.connect(o.node).catch(unreachable);
  try {
    const q = QueryClient.withExtensions(comet, setupAuthExtension, setupTxExtension);
    const account = await q.auth.account(address).catch((err: Error) => (/fetch failed|ECONNREFUSED/.test(err.message) ? unreachable(err) : Promise.reject(err)));
    const sequence = account ? accountFromAny(account).sequence : 0;
    const { gasInfo } = await q.tx.simulate(msgs.map((m) => registry.encodeAsAny(m)), o.memo, { type: "tendermint/PubKeySecp256k1", value: key.pubkey }, sequence);
    return calculateFee(Math.ceil(Number(gasInfo?.gasUsed ?? 0n) * adjustment), GasPrice.fromString(o.gasPrices));
  } finally {
    comet.disconnect();
  }
}

/** --generate-only: the unsigned tx, printed; `from` is a key name or an address. */
async function generateOnly(o: any, from: string, msgs: (address: string) => EncodeObject[]): Promise<void> {
  const address = from.startsWith(BECH32_PREFIX + "1") ? (validateAddress(from, "from"), from) : openKeyring(o.home, o.keyringBackend).show(from).address;
  const built = msgs(address);
  const fee = feeFrom(o);
  printUnsigned(built, (m) => registry.encodeAsAny(m), typeof fee === "number" ? await simulatedFee(o, address, built, fee) : fee, o.memo);
}

/** Signs `msgs` with key `from`, broadcasts, waits for inclusion and prints the result (--generate-only: prints the unsigned tx). */
export async function broadcast(o: any, from: string, msgs: (address: string) => EncodeObject[]): Promise<void> {
  if (o.generateOnly) return generateOnly(o, from, msgs);
  const { client, address } = await signer(o, from);
  try {
    const r = await client.signAndBroadcast(address, msgs(address), feeFrom(o), o.memo);
    print({ height: r.height, txhash: r.transactionHash, code: r.code, raw_log: r.rawLog, gas_wanted: r.gasWanted, gas_used: r.gasUsed, events: r.events });
    if (r.code !== 0) process.exitCode = 1;
  } finally {
    client.disconnect();
  }
}
