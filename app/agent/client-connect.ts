import path from "node:path";
import { Command, Option } from "commander";
import { GasPrice, QueryClient, SigningStargateClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { readPassword } from "../common/prompt.ts";
import { Keyring } from "../../chain/keyring/keyring.ts";
import { BROADCAST_POLL_MS, aroRegistry, setupAroExtension } from "../../client/index.ts";
import { ReceiptSigner } from "../../client/receipts/receipt-signer.ts";
import { DEFAULT_AGENT_HOME } from "./home.ts";

/** What every `aro-agent client …` command takes (keyring, key, chain), and the connection it makes. */
export const clientOptions = (c: Command) =>
  c
    .addOption(new Option("--home <dir>", "folder with the client's keyring").default(process.env.ARO_AGENT_HOME ?? DEFAULT_AGENT_HOME))
    .addOption(new Option("--keyring-backend <backend>", "file or test").choices(["file", "test"]).default("file"))
    .requiredOption("--from <key>", "key name of the paying customer")
    .option("--chain-rpc <url>", "CometBFT RPC", "http://127.0.0.1:26657")
    .option("--gas-prices <price>", "gas price", "0.025uaro");

export async function connect(o: any) {
  const keyring = new Keyring(o.home, o.keyringBackend, async () => process.env.ARO_AGENT_KEYRING_PASSWORD ?? (await readPassword("keyring password: ")));
  const wallet = await keyring.wallet(o.from);
  const [account] = await wallet.getAccounts();
  const comet = await Comet38Client.connect(o.chainRpc).catch((err) => {
    throw new Error(`cannot reach the chain at ${o.chainRpc}: ${err.message}`);
  });
  const client = await SigningStargateClient.createWithSigner(comet, wallet, { registry: aroRegistry(), gasPrice: GasPrice.fromString(o.gasPrices), broadcastPollIntervalMs: BROADCAST_POLL_MS });
  return { client, q: QueryClient.withExtensions(comet, setupAroExtension), address: account.address, signer: await receiptSigner(wallet.mnemonic, o.home) };
}

/** The customer's receipt key, its running totals kept per key in the client's home (one process per fetch). */
async function receiptSigner(mnemonic: string, home: string): Promise<ReceiptSigner> {
  const signer = await ReceiptSigner.fromMnemonic(mnemonic);
  return signer.persistTotals(path.join(home, `receipt-totals-${signer.address}.json`));
}

