import { Command } from "commander";
import { GasPrice, SigningStargateClient, calculateFee, type StdFee } from "@cosmjs/stargate";
import { validateAddress } from "../address.ts";
import { parseCoins, toWireCoins } from "../coins.ts";
import { action, homeOption, keyringOption, nodeOption, openKeyring, print } from "./common.ts";

/** Options every `arod tx` command shares (named as in Cosmos SDK CLIs). */
function txOptions(cmd: Command): Command {
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

async function signer(o: any, from: string) {
  const wallet = await openKeyring(o.home, o.keyringBackend).wallet(from);
  const [account] = await wallet.getAccounts();
  let client: SigningStargateClient;
  try {
    client = await SigningStargateClient.connectWithSigner(o.node, wallet, { gasPrice: GasPrice.fromString(o.gasPrices) });
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

export function txCommand(): Command {
  const tx = new Command("tx").description("sign and broadcast transactions");
  const bank = tx.command("bank").description("bank transactions");
  txOptions(bank.command("send <from> <to> <amount>"))
    .description("send coins, e.g. `arod tx bank send alice aro1... 1000uaro` (from: key name or address)")
    .action(action(async (from: string, to: string, amount: string, o) => {
      validateAddress(to, "recipient");
      const coins = toWireCoins(parseCoins(amount));
      const { client, address } = await signer(o, from);
      const fee = feeFrom(o);
      try {
        const r = await client.sendTokens(address, to, coins, fee, o.memo);
        print({ height: r.height, txhash: r.transactionHash, code: r.code, gas_wanted: r.gasWanted, gas_used: r.gasUsed, events: r.events });
        if (r.code !== 0) process.exitCode = 1;
      } finally {
        client.disconnect();
      }
    }));
  return tx;
}
