import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { action, print } from "../common/cli.ts";
import { Blockstore } from "../../client/content/blockstore.ts";
import { fetchContent } from "../../client/fetch/fetch-content.ts";
import { publishCommands } from "./client-publish-cli.ts";
import { clientOptions, connect } from "./client-connect.ts";
import { decFromString } from "../../chain/dec.ts";
import { deliveryCostCeil } from "../../protocol/delivery.ts";
import { TransferProgress } from "./transfer-progress.ts";

/** "a-b" (inclusive) as the window [a, b + 1). */
function parseRange(s: string): { start: number; end: number } {
  const m = /^(\d{1,15})-(\d{1,15})$/.exec(s);
  if (!m || Number(m[2]) < Number(m[1])) throw new Error(`--range must be <start>-<end> with start <= end (bytes, inclusive), got ${JSON.stringify(s)}`);
  return { start: Number(m[1]), end: Number(m[2]) + 1 };
}

/** Writes verified pieces to a file as they come (memory: one chunk). */
function writePieces(out: string, pieces: Iterable<Uint8Array>): void {
  const fd = fs.openSync(out, "w");
  try {
    for (const p of pieces) fs.writeSync(fd, p);
  } finally {
    fs.closeSync(fd);
  }
}

/** `aro-agent client …`: what a customer does with the CDN (publish, fetch with receipts). */
export function clientCommand(): Command {
  const client = new Command("client").description("use the network as a customer: publish content, fetch it through PeerRouting");
  publishCommands(client, clientOptions, connect);
  clientOptions(client.command("fetch <cid>"))
    .description("download a content from several nodes (verified chunk by chunk) and sign receipts for the nodes that served it")
    .requiredOption("--routing <url>", "PeerRouting API")
    .option("--region <region>", "the client's region", "europe")
    .requiredOption("-o, --out <file>", "where the content goes (chunks land, verified, in the client's store as they arrive; an interrupted fetch resumes from there)")
    .option("--no-allot", "do not allot escrow to the serving nodes (they keep receipts only as far as your allotments to them cover)")
    .option("--path <path>", "one file of a collection (a published folder or model), by its path")
    .option("--range <start-end>", "only these bytes (inclusive, as in HTTP: 0-1023), of the file with --path: only the chunks under them are fetched")
    .action(action(async (cid: string, o) => {
      const range = o.range === undefined ? undefined : parseRange(String(o.range));
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
          path: o.path, range,
          onProgress: (p) => progress.update(p.bytesDone, p.bytesTotal, `${p.sources} sources`),
        });
        progress.done();
        if (r.complete && r.window.start === 0 && r.window.end === r.content.size) store.moveOut(r.root, o.out);
        else writePieces(o.out, store.pieces(r.root, r.window.start, r.window.end));
        const chunksBy = Object.fromEntries([...r.servedBy].map(([id, chunks]) => [id, chunks.length]));
        print({ root: r.root, bytes: r.window.end - r.window.start, ...(r.file ? { file: r.file } : {}), out: o.out, resumedChunks: r.resumed, chunksServedBy: chunksBy, dropped: r.dropped, allotted, receipts: r.receipts });
      } finally {
        c.disconnect();
      }
    }));
  return client;
}
