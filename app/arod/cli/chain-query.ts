import type { Command } from "commander";
import { action, parseId, print } from "../../common/cli.ts";
import { nodeOption } from "./options.ts";
import { nodeRpc } from "./node-rpc.ts";

/** Txs a search page holds at most (the SDK's tx service caps at 100 too). */
const MAX_LIMIT = 100;

/** `arod query block` and `arod query txs`: blocks and tx search from CometBFT, in the SDK's JSON. */
export function chainQueries(query: Command): void {
  query
    .command("block [height-or-hash]")
    .description("a committed block (default: the latest), as `simd query block` prints it: tendermint.types.Block in proto3 JSON")
    .option("--type <type>", "what the argument is: height or hash", "height")
    .addOption(nodeOption())
    .action(action(async (arg: string | undefined, o) => {
      if (o.type !== "height" && o.type !== "hash") throw new Error(`--type must be height or hash, got ${JSON.stringify(o.type)}`);
      const rpc = nodeRpc(o.node);
      const { blockResponse } = await import("../rest/block-json.ts");
      let b;
      if (o.type === "hash") {
        if (!arg || !/^[0-9a-fA-F]{64}$/.test(arg)) throw new Error(`a block hash is 64 hex digits, got ${JSON.stringify(arg ?? "")}`);
        b = await rpc.call<Parameters<typeof blockResponse>[0]>("block_by_hash", { hash: Buffer.from(arg, "hex").toString("base64") });
        if (!b.block) throw new Error(`no block with hash ${arg.toUpperCase()}`);
      } else {
        const params = arg === undefined ? {} : { height: String(parseId(arg, "height")) };
        if (arg !== undefined && BigInt(params.height!) === 0n) throw new Error("height must be greater than 0");
        b = await rpc.call<Parameters<typeof blockResponse>[0]>("block", params);
      }
      print(blockResponse(b).block);
    }));
  query
    .command("txs")
    .description("search committed txs by events, as `simd query txs` (SearchTxsResult: total_count, count, page_number, page_total, limit, txs)")
    .requiredOption("--query <query>", "CometBFT's event query, e.g. \"message.sender='aro1...' AND tx.height>5\"")
    .option("--page <n>", "page of results, from 1", "1")
    .option("--limit <n>", `results per page, 1 to ${MAX_LIMIT}`, "30")
    .option("--order_by <order>", "asc or desc", "asc")
    .addOption(nodeOption())
    .action(action(async (o) => {
      const page = Number(parseId(o.page, "--page"));
      const limit = Number(parseId(o.limit, "--limit"));
      if (page < 1) throw new Error("--page must be at least 1");
      if (limit < 1 || limit > MAX_LIMIT) throw new Error(`--limit must be from 1 to ${MAX_LIMIT}`);
      if (o.order_by !== "asc" && o.order_by !== "desc") throw new Error(`--order_by must be asc or desc, got ${JSON.stringify(o.order_by)}`);
      if (!o.query.trim()) throw new Error("--query is empty: give a CometBFT query, e.g. \"tx.height=5\"");
      const { searchTxs } = await import("./tx-search.ts");
      print(await searchTxs(nodeRpc(o.node), o.query, page, limit, o.order_by));
    }));
}
