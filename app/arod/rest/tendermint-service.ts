import { toBech32 } from "@cosmjs/encoding";
import type { JsonObject } from "@bufbuild/protobuf";
import { VALCONS_PREFIX } from "../../../chain/address.ts";
import { blockResponse, type CometBlock } from "./block-json.ts";
import { hexToBase64 } from "./comet-rpc.ts";
import { GatewayError } from "./errors.ts";
import type { LocalMethods } from "./local-methods.ts";

const S = "/cosmos.base.tendermint.v1beta1.Service/";
/** CometBFT's RPC serves at most 100 validators a page. */
const MAX_VALIDATORS_PAGE = 100;

interface CometStatus {
  node_info: {
    protocol_version: { p2p: string; block: string; app: string }; id: string; listen_addr: string; network: string; version: string;
    channels: string; moniker: string; other: { tx_index: string; rpc_address: string };
  };
  sync_info: { latest_block_height: string; catching_up: boolean };
}

/** cosmos.base.tendermint.v1beta1.Service (node info, syncing, blocks, validator sets, ABCI query) over CometBFT's RPC. */
export function tendermintService(appVersion: string): LocalMethods {
  return {
    [S + "GetNodeInfo"]: async (_req, ctx) => {
      const s = await ctx.rpc.call<CometStatus>("status");
      const n = s.node_info;
      return {
        default_node_info: {
          protocol_version: n.protocol_version, default_node_id: n.id, listen_addr: n.listen_addr, network: n.network, version: n.version,
          channels: hexToBase64(n.channels), moniker: n.moniker, other: n.other,
        },
        application_version: {
          name: "arod", app_name: "arod", version: appVersion, git_commit: "", build_tags: "",
          go_version: `node ${process.versions.node}`, build_deps: [], cosmos_sdk_version: "v0.50 (wire-compatible)",
        },
      };
    },
    [S + "GetSyncing"]: async (_req, ctx) => ({ syncing: (await ctx.rpc.call<CometStatus>("status")).sync_info.catching_up }),
    [S + "GetLatestBlock"]: async (_req, ctx) => blockResponse(await ctx.rpc.call<CometBlock>("block")),
    [S + "GetBlockByHeight"]: async (req, ctx) => blockResponse(await ctx.rpc.call<CometBlock>("block", { height: positiveHeight(req.height) })),
    [S + "GetLatestValidatorSet"]: async (req, ctx) => validatorSet(ctx.rpc, undefined, req.pagination),
    [S + "GetValidatorSetByHeight"]: async (req, ctx) => validatorSet(ctx.rpc, positiveHeight(req.height), req.pagination),
    [S + "ABCIQuery"]: async (req, ctx) => {
      const r = await ctx.abciQuery({ path: req.path, data: req.data, height: req.height, prove: req.prove });
      return {
        code: r.code ?? 0, log: r.log ?? "", info: r.info ?? "", index: String(r.index ?? 0n),
        key: Buffer.from(r.key ?? []).toString("base64"), value: Buffer.from(r.value ?? []).toString("base64"),
        proof_ops: r.proofOps ? { ops: r.proofOps.ops.map((o) => ({ type: o.type, key: Buffer.from(o.key).toString("base64"), data: Buffer.from(o.data).toString("base64") })) } : null,
        height: String(r.height ?? 0n), codespace: r.codespace ?? "",
      };
    },
  };
}

function positiveHeight(h: bigint): string {
  if (h <= 0n) throw GatewayError.invalidArgument(`height must be greater than 0, got ${h}`);
  return String(h);
}

interface PageRequest { key: Uint8Array; offset: bigint; limit: bigint }

/** A validator set page, from the SDK's offset/limit pagination mapped onto CometBFT's pages. */
async function validatorSet(rpc: Parameters<LocalMethods[string]>[1]["rpc"], height: string | undefined, page: PageRequest | undefined): Promise<JsonObject> {
  if (page && page.key.length > 0) throw GatewayError.invalidArgument("validator sets page by offset and limit, not by key");
  const limit = Number(page?.limit || 100n);
  const offset = Number(page?.offset ?? 0n);
  if (limit > MAX_VALIDATORS_PAGE) throw GatewayError.invalidArgument(`pagination.limit must be <= ${MAX_VALIDATORS_PAGE}`);
  if (offset % limit !== 0) throw GatewayError.invalidArgument("pagination.offset must be a multiple of pagination.limit");
  const r = await rpc.call<{ block_height: string; validators: Array<{ address: string; pub_key: { type: string; value: string }; voting_power: string; proposer_priority: string }>; total: string }>(
    "validators", { ...(height ? { height } : {}), page: String(offset / limit + 1), per_page: String(limit) },
  );
  return {
    block_height: r.block_height,
    validators: r.validators.map((v) => ({
      address: toBech32(VALCONS_PREFIX, Buffer.from(v.address, "hex")),
      pub_key: { "@type": v.pub_key.type === "tendermint/PubKeySecp256k1" ? "/cosmos.crypto.secp256k1.PubKey" : "/cosmos.crypto.ed25519.PubKey", key: v.pub_key.value },
      voting_power: v.voting_power,
      proposer_priority: v.proposer_priority,
    })),
    pagination: { next_key: null, total: r.total },
  };
}
