import fs from "node:fs";
import type { Command } from "commander";
import { action, print } from "../common/cli.ts";
import { publishContent, type PublishResult } from "../../client/publish.ts";
import { mediaTypeOf } from "../../client/content/media-type.ts";
import { COLLECTION_MEDIA_TYPE } from "../../client/content/collection.ts";
import { prepareCollection, type PreparedCollection } from "../../client/content/collection-source.ts";
import { TransferProgress } from "./transfer-progress.ts";
import type { connect as Connect } from "./client-connect.ts";

/** Files that hold a model's weights: a folder published with publish-model must have one. */
const WEIGHTS = /\.(safetensors|gguf|ggml|bin|onnx|pt|pth|ckpt|h5|msgpack|tflite|mlmodel)$/i;

/**
 * `aro-agent client publish <file|folder>` and `publish-model <folder>`: a file is one
 * content; a folder is a collection (its files, then a directory of paths, sizes, media
 * types and sha256), fetched whole or one file at a time by path.
 */
export function publishCommands(client: Command, clientOptions: (c: Command) => Command, connect: typeof Connect): void {
  const options = (c: Command) => clientOptions(c)
    .option("--replication <n>", "replicas", "2")
    .option("--regions <list>", "comma-separated regions", "europe")
    .option("--epochs <n>", "storage term in epochs (its storage is held from your escrow now)", "10");
  options(client.command("publish <path>"))
    .description("publish a file, or a folder as one collection: record it on chain and upload it (streamed, resumable) to the replica nodes the chain assigns")
    .option("--media-type <type>", "media type nodes serve a file with (default: guessed from its name; a folder is a collection)")
    .action(action(async (target: string, o) => {
      const stat = fs.existsSync(target) ? fs.statSync(target) : undefined;
      if (!stat?.isFile() && !stat?.isDirectory()) throw new Error(`${target} is not a file or a folder`);
      await run(target, stat.isDirectory(), o, connect);
    }));
  options(client.command("publish-model <folder>"))
    .description("publish a model folder (config, tokenizer, weight shards) as one collection, and print its files with their sizes and sha256")
    .action(action(async (folder: string, o) => {
      if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new Error(`${folder} is not a folder`);
      await run(folder, true, o, connect, (c) => {
        if (!c.directory.files.some((f) => WEIGHTS.test(f.path))) throw new Error(`${folder} has no weights file (${WEIGHTS.source}): publish it with \`publish\` instead`);
      });
    }));
}

async function run(target: string, folder: boolean, o: any, connect: typeof Connect, check?: (c: PreparedCollection) => void): Promise<void> {
  if (!/^[1-9][0-9]*$/.test(String(o.epochs))) throw new Error(`--epochs must be a positive whole number, got ${o.epochs}`);
  const { client: c, q, address } = await connect(o);
  try {
    const hashing = new TransferProgress(process.stderr, "hashing");
    let prepared: PreparedCollection | undefined;
    if (folder) {
      const { params } = await q.aro.market.Params({});
      prepared = await prepareCollection(target, params!.chunkSize, (bytes, size) => hashing.update(bytes, size));
      check?.(prepared);
    }
    const uploading = new Map<bigint, number>();
    const sending = new TransferProgress(process.stderr, "uploading");
    const r: PublishResult = await publishContent(c, q, address, prepared?.source ?? target, {
      replication: Number(o.replication), regions: String(o.regions).split(","), epochs: BigInt(o.epochs), fee: 1.5,
      mediaType: prepared ? COLLECTION_MEDIA_TYPE : (o.mediaType ?? mediaTypeOf(target)), info: prepared?.info,
      onProgress: (p) => {
        if (p.phase === "hash") return hashing.update(p.bytes, p.size);
        uploading.set(p.nodeId!, p.bytes);
        sending.update([...uploading.values()].reduce((a, b) => a + b, 0), p.size * uploading.size, `to ${uploading.size} nodes`);
      },
    });
    sending.done();
    print(prepared ? { ...r, files: prepared.directory.files } : r);
    if (r.uploads.some((u) => !u.ok)) process.exitCode = 1;
  } finally {
    c.disconnect();
  }
}
