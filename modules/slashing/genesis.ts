import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { slashingKeeper as k } from "./keeper.ts";
import { defaultSlashingParams, slashingParamsFromJson, slashingParamsToJson } from "./params.ts";

type Json = Record<string, any>;
export interface SlashingGenesis {
  params?: Json;
  signing_infos?: Json[];
  missed_blocks?: Json[];
}

const time = (t: bigint) => new Date(Number(t) * 1000).toISOString().replace(".000Z", "Z");

export function defaultSlashingGenesis(): SlashingGenesis {
  return { params: slashingParamsToJson(defaultSlashingParams), signing_infos: [], missed_blocks: [] };
}

export function initSlashingGenesis(ctx: Context, raw: unknown): void {
  const g = (raw ?? {}) as SlashingGenesis;
  k.setParams(ctx.store, slashingParamsFromJson(g.params));
  for (const s of g.signing_infos ?? []) {
    const i = s.validator_signing_info ?? {};
    k.setSigningInfo(ctx.store, {
      address: String(s.address), startHeight: BigInt(i.start_height ?? 0), indexOffset: BigInt(i.index_offset ?? 0),
      jailedUntil: { seconds: BigInt(Math.floor(Date.parse(i.jailed_until ?? "1970-01-01T00:00:00Z") / 1000)), nanos: 0 },
      tombstoned: !!i.tombstoned, missedBlocksCounter: BigInt(i.missed_blocks_counter ?? 0),
    });
  }
  for (const m of g.missed_blocks ?? []) for (const b of m.missed_blocks ?? []) if (b.missed) k.setMissed(ctx.store, String(m.address), BigInt(b.index), true);
}

export function exportSlashingGenesis(state: KVReader): SlashingGenesis {
  const infos = k.allSigningInfos(state);
  return {
    params: slashingParamsToJson(k.getParams(state)),
    signing_infos: infos.map((i) => ({
      address: i.address,
      validator_signing_info: {
        address: i.address, start_height: i.startHeight.toString(), index_offset: i.indexOffset.toString(),
        jailed_until: time(i.jailedUntil.seconds), tombstoned: i.tombstoned, missed_blocks_counter: i.missedBlocksCounter.toString(),
      },
    })),
    missed_blocks: infos.map((i) => ({ address: i.address, missed_blocks: k.missedIndexes(state, i.address).map((index) => ({ index: index.toString(), missed: true })) })),
  };
}
