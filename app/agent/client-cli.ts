import fs from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { GasPrice, QueryClient, SigningStargateClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { action, print } from "../common/cli.ts";
import { readPassword } from "../common/prompt.ts";
import { Keyring } from "../../chain/keyring/keyring.ts";
import { BROADCAST_POLL_MS, aroRegistry, setupAroExtension } from "../../client/index.ts";
import { Blockstore } from "../../client/content/blockstore.ts";
import { fetchContent } from "../../client/fetch/fetch-content.ts";
import { publishContent } from "../../client/publish.ts";
import { ReceiptSigner } from "../../client/receipts/receipt-signer.ts";
import { DEFAULT_AGENT_HOME } from "./home.ts";
import { decFromString } from "../../chain/dec.ts";
import { deliveryCostCeil } from "../../protocol/delivery.ts";
import { mediaTypeOf } from "../../client/content/media-type.ts";
import { TransferProgress } from "./transfer-progress.ts";


const clientOptions = (c: Command) =>
  c
    .addOption(new Option("--home <dir>", "folder with the client's keyring").default(process.env.ARO_AGENT_HOME ?? DEFAULT_AGENT_HOME))
    .addOption(new Option("--keyring-backend <backend>", "file or test").choices(["file", "test"]).default("file"))
    .requiredOption("--from <key>", "key name of the paying customer")
    .option("--chain-rpc <url>", "CometBFT RPC", "http://127.0.0.1:26657")
    .option("--gas-prices <price>", "gas price", "0.025uaro");

async function connect(o: any) {
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

/** `aro-agent client …`: what a customer does with the CDN (publish, fetch with receipts). */
export function clientCommand(): Command {
  const client = new Command("client").description("use the network as a customer: publish content, fetch it through PeerRouting");
  clientOptions(client.command("publish <file>"))
    .description("publish a file: record it on chain and upload it to the replica nodes the chain assigns")
    .option("--replication <n>", "replicas", "2")
    .option("--regions <list>", "comma-separated regions", "europe")
    .option("--epochs <n>", "storage term in epochs (its storage is held from your escrow now)", "10")
    .option("--media-type <type>", "media type nodes serve it with (default: guessed from the file name)")
    .action(action(async (file: string, o) => {
      if (!/^[1-9][0-9]*$/.test(String(o.epochs))) throw new Error(`--epochs must be a positive whole number, got ${o.epochs}`);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new Error(`${file} is not a file`);
      const { client: c, q, address } = await connect(o);
      try {
        const hashing = new TransferProgress(process.stderr, "hashing");
        const uploading = new Map<bigint, number>();
        const sending = new TransferProgress(process.stderr, "uploading");
        const r = await publishContent(c, q, address, file, {
          replication: Number(o.replication), regions: String(o.regions).split(","), epochs: BigInt(o.epochs), fee: 1.5, mediaType: o.mediaType ?? mediaTypeOf(file),
          onProgress: (p) => {
            if (p.phase === "hash") return hashing.update(p.bytes, p.size);
            uploading.set(p.nodeId!, p.bytes);
            const bytes = [...uploading.values()].reduce((a, b) => a + b, 0);
            sending.update(bytes, p.size * uploading.size, `to ${uploading.size} nodes`);
          },
        });
        sending.done();
        print(r);
        if (r.uploads.some((u) => !u.ok)) process.exitCode = 1;
      } finally {
        c.disconnect();
      }
    }));
  clientOptions(client.command("fetch <cid>"))
    .description("download a content from several nodes (verified chunk by chunk) and sign receipts for the nodes that served it")
    .requiredOption("--routing <url>", "PeerRouting API")
    .option("--region <region>", "the client's region", "europe")
    .requiredOption("-o, --out <file>", "where the content goes (chunks land, verified, in the client's store as they arrive; an interrupted fetch resumes from there)")
    .option("--no-allot", "do not allot escrow to the serving nodes (they keep receipts only as far as your allotments to them cover)")
    .action(action(async (cid: string, o) => {
      const { client: c, q, signer, address } = await connect(o);
      try {
        const store = new Blockstore(path.join(o.home, "client-blocks"));
        const progress = new TransferProgress(process.stderr, "fetching");
        const { params } = await q.aro.settlement.Params({});
        const epochLength = BigInt(params!.epochLength);
        const allotted: Record<string, string> = {};
        // each node's agent keeps a receipt only while this customer's allotment to it covers
        // what it is owed: allot what these receipts cost, at the chain's price, rounded up
        const allot = async (bytesByNode: Map<string, bigint>) => {
          const price = decFromString((await q.aro.market.Params({})).params!.prices!.perGbDelivered);
          const msgs = [...bytesByNode].map(([nodeId, bytes]) => ({ nodeId, amount: deliveryCostCeil(bytes, price) })).filter((x) => x.amount > 0n);
          if (msgs.length === 0) return;
          const r = await c.signAndBroadcast(address, msgs.map((x) => ({
            typeUrl: "/aro.market.v1.MsgAllotEscrow", value: { owner: address, nodeId: BigInt(x.nodeId), amount: { denom: "uaro", amount: x.amount.toString() } },
          })), 1.5);
          if (r.code !== 0) throw new Error(`allotting escrow to the serving nodes failed: ${r.rawLog}`);
          for (const x of msgs) allotted[x.nodeId] = `${x.amount}uaro`;
        };
        const r = await fetchContent(cid, {
          beforeReceipts: o.allot ? allot : undefined,
          routingUrl: o.routing, region: o.region, store, signer,
          // receipts carry the epoch of the next block (height h + 1 is in epoch h / L)
          epoch: async () => BigInt(await c.getHeight()) / epochLength,
          onProgress: (p) => progress.update(p.bytesDone, p.bytesTotal, `${p.sources} sources`),
        });
        progress.done();
        store.moveOut(r.root, o.out);
        const chunksBy = Object.fromEntries([...r.servedBy].map(([id, chunks]) => [id, chunks.length]));
        print({ root: r.root, bytes: r.content.size, out: o.out, resumedChunks: r.resumed, chunksServedBy: chunksBy, dropped: r.dropped, allotted, receipts: r.receipts });
      } finally {
        c.disconnect();
      }
    }));
  return client;
}
