import { toBech32 } from "@cosmjs/encoding";
import type { JsonObject } from "@bufbuild/protobuf";
import { VALCONS_PREFIX } from "../../../chain/address.ts";
import { hexToBase64 } from "./comet-rpc.ts";

/** CometBFT RPC's `block` result (hashes in hex, as its JSON writes them). */
export interface CometBlock {
  block_id: CometBlockId;
  block: {
    header: Record<string, unknown> & { version: { block: string; app?: string }; last_block_id: CometBlockId; proposer_address: string; height: string };
    data: { txs?: string[] | null };
    evidence: { evidence?: unknown[] | null };
    last_commit: { height: string; round: number; block_id: CometBlockId; signatures: Array<{ block_id_flag: number; validator_address: string; timestamp: string; signature: string | null }> } | null;
  };
}
interface CometBlockId { hash: string; parts: { total: number; hash: string } }

const HASHES = ["last_commit_hash", "data_hash", "validators_hash", "next_validators_hash", "consensus_hash", "app_hash", "last_results_hash", "evidence_hash"];

const blockId = (id: CometBlockId): JsonObject => ({ hash: hexToBase64(id.hash), part_set_header: { total: id.parts.total, hash: hexToBase64(id.parts.hash) } });

/** tendermint.types.Block's header in proto3 JSON; `sdk` gives cosmos.base.tendermint.v1beta1's (proposer as a valcons address). */
function header(h: CometBlock["block"]["header"], sdk: boolean): JsonObject {
  const out: JsonObject = {
    version: { block: h.version.block, app: h.version.app ?? "0" },
    chain_id: h.chain_id as string,
    height: h.height,
    time: h.time as string,
    last_block_id: blockId(h.last_block_id),
  };
  for (const k of HASHES) out[k] = hexToBase64(h[k] as string);
  const proposer = Buffer.from(h.proposer_address, "hex");
  out.proposer_address = sdk ? toBech32(VALCONS_PREFIX, proposer) : proposer.toString("base64");
  return out;
}

/**
 * A block as the SDK's tendermint service answers it: {block_id, block, sdk_block}.
 * Evidence is listed by count only in the log: CometBFT's RPC writes it in amino JSON,
 * which this does not translate (an explorer reads it from CometBFT's RPC).
 */
export function blockResponse(b: CometBlock): JsonObject {
  const body = (sdk: boolean): JsonObject => ({
    header: header(b.block.header, sdk),
    data: { txs: b.block.data.txs ?? [] },
    evidence: { evidence: [] },
    last_commit: b.block.last_commit
      ? {
          height: b.block.last_commit.height,
          round: b.block.last_commit.round,
          block_id: blockId(b.block.last_commit.block_id),
          signatures: b.block.last_commit.signatures.map((s) => ({
            block_id_flag: s.block_id_flag,
            validator_address: hexToBase64(s.validator_address),
            timestamp: s.timestamp,
            signature: s.signature ?? "",
          })),
        }
      : null,
  });
  return { block_id: blockId(b.block_id), block: body(false), sdk_block: body(true) };
}
