import { Params } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { decFromString, decToString, DEC_ONE } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";
import { parseDurationSeconds } from "../../chain/duration.ts";

// The SDK encodes these Dec params as the bytes of the scaled integer string.
const enc = (d: bigint) => new TextEncoder().encode(d.toString());
export const decOf = (b: Uint8Array): bigint => (b.length ? BigInt(new TextDecoder().decode(b)) : 0n);

export const defaultSlashingParams: Params = {
  signedBlocksWindow: 100n,
  minSignedPerWindow: enc(DEC_ONE / 2n),
  downtimeJailDuration: { seconds: 600n, nanos: 0 },
  slashFractionDoubleSign: enc(DEC_ONE / 20n),
  slashFractionDowntime: enc(DEC_ONE / 100n),
};

export function validateSlashingParams(p: Params): void {
  if (p.signedBlocksWindow <= 0n) throw sdkErrors.invalidRequest.wrap("signed_blocks_window must be positive");
  if (p.downtimeJailDuration.seconds <= 0n) throw sdkErrors.invalidRequest.wrap("downtime_jail_duration must be positive");
  for (const [name, v] of [["min_signed_per_window", p.minSignedPerWindow], ["slash_fraction_double_sign", p.slashFractionDoubleSign], ["slash_fraction_downtime", p.slashFractionDowntime]] as const) {
    const d = decOf(v);
    if (d < 0n || d > DEC_ONE) throw sdkErrors.invalidRequest.wrap(`${name} must be between 0 and 1`);
  }
}

const seconds = (s: unknown, d: bigint) => (s === undefined ? d : parseDurationSeconds(s));

export function slashingParamsFromJson(j: Record<string, unknown> | undefined): Params {
  if (!j) return defaultSlashingParams;
  const dec = (k: string, d: Uint8Array) => (j[k] === undefined ? d : enc(decFromString(String(j[k]), k)));
  const p: Params = {
    signedBlocksWindow: BigInt(String(j["signed_blocks_window"] ?? defaultSlashingParams.signedBlocksWindow)),
    minSignedPerWindow: dec("min_signed_per_window", defaultSlashingParams.minSignedPerWindow),
    downtimeJailDuration: { seconds: seconds(j["downtime_jail_duration"], defaultSlashingParams.downtimeJailDuration.seconds), nanos: 0 },
    slashFractionDoubleSign: dec("slash_fraction_double_sign", defaultSlashingParams.slashFractionDoubleSign),
    slashFractionDowntime: dec("slash_fraction_downtime", defaultSlashingParams.slashFractionDowntime),
  };
  validateSlashingParams(p);
  return p;
}

export function slashingParamsToJson(p: Params): Record<string, unknown> {
  return {
    signed_blocks_window: p.signedBlocksWindow.toString(),
    min_signed_per_window: decToString(decOf(p.minSignedPerWindow)),
    downtime_jail_duration: `${p.downtimeJailDuration.seconds}s`,
    slash_fraction_double_sign: decToString(decOf(p.slashFractionDoubleSign)),
    slash_fraction_downtime: decToString(decOf(p.slashFractionDowntime)),
  };
}
