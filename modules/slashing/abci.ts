import { MisbehaviorType } from "cosmjs-types/tendermint/abci/types";
import { DEC_ONE } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { slashingKeeper as k, valconsOf } from "./keeper.ts";
import { decOf } from "./params.ts";
import { stakingKeeper, stakingSlashing } from "./expected.ts";

/** Validator set changes take effect this many blocks later (CometBFT's delay). */
const VALIDATOR_UPDATE_DELAY = 2n;
/** "Jailed forever": the SDK's DoubleSignJailEndTime (9999-12-31). */
const JAILED_FOREVER = 253402300799n;

/** Begin block: count every validator's signature on the previous block, then punish evidence. */
export function slashingBeginBlock(ctx: Context): void {
  for (const vote of ctx.block.lastCommit ?? []) handleSignature(ctx, vote.address, vote.power, vote.signed);
  for (const m of ctx.block.misbehavior ?? []) {
    if (m.type === MisbehaviorType.DUPLICATE_VOTE || m.type === MisbehaviorType.LIGHT_CLIENT_ATTACK) handleDoubleSign(ctx, m.address, m.height, m.power);
  }
}

/** Downtime: more than (1 - min_signed_per_window) of the last window missed → slash and jail. */
function handleSignature(ctx: Context, address: Uint8Array, power: bigint, signed: boolean): void {
  const validator = stakingKeeper.validatorByConsAddress(ctx.store, Buffer.from(address).toString("hex").toUpperCase());
  if (!validator) return; // a validator of genesis.json that x/staking does not manage
  const cons = valconsOf(address);
  const params = k.getParams(ctx.store);
  const info = k.getSigningInfo(ctx.store, cons) ?? {
    address: cons, startHeight: ctx.block.height, indexOffset: 0n, jailedUntil: { seconds: 0n, nanos: 0 }, tombstoned: false, missedBlocksCounter: 0n,
  };
  const window = params.signedBlocksWindow;
  const index = info.indexOffset % window;
  const wasMissed = k.isMissed(ctx.store, cons, index);
  let counter = info.missedBlocksCounter;
  if (!signed && !wasMissed) counter++;
  if (signed && wasMissed) counter--;
  if (!signed !== wasMissed) k.setMissed(ctx.store, cons, index, !signed);
  let next = { ...info, indexOffset: info.indexOffset + 1n, missedBlocksCounter: counter };
  if (!signed) ctx.events.emit("liveness", { address: cons, missed_blocks: counter.toString(), height: ctx.block.height.toString() });

  const minSigned = (window * decOf(params.minSignedPerWindow) + DEC_ONE / 2n) / DEC_ONE;
  const maxMissed = window - minSigned;
  if (ctx.block.height > info.startHeight + window && counter > maxMissed && !validator.jailed) {
    const infraction = ctx.block.height - VALIDATOR_UPDATE_DELAY - 1n;
    const burned = stakingSlashing.slash(ctx, validator.operatorAddress, infraction, power, decOf(params.slashFractionDowntime));
    stakingSlashing.jail(ctx, validator.operatorAddress);
    k.clearMissed(ctx.store, cons);
    next = { ...next, indexOffset: 0n, missedBlocksCounter: 0n, jailedUntil: { seconds: ctx.block.timeSeconds + params.downtimeJailDuration.seconds, nanos: 0 } };
    ctx.events.emit("slash", { address: cons, power: power.toString(), reason: "missing_signature", jailed: cons, burned_coins: burned.toString() });
  }
  k.setSigningInfo(ctx.store, next);
}

/** Double signing (CometBFT's duplicate-vote evidence): slash, jail for good, tombstone. */
function handleDoubleSign(ctx: Context, address: Uint8Array, height: bigint, power: bigint): void {
  const hex = Buffer.from(address).toString("hex").toUpperCase();
  const validator = stakingKeeper.validatorByConsAddress(ctx.store, hex);
  if (!validator) return;
  const cons = valconsOf(address);
  const info = k.getSigningInfo(ctx.store, cons) ?? {
    address: cons, startHeight: ctx.block.height, indexOffset: 0n, jailedUntil: { seconds: 0n, nanos: 0 }, tombstoned: false, missedBlocksCounter: 0n,
  };
  if (info.tombstoned) return; // already punished for this key
  const params = k.getParams(ctx.store);
  const infraction = height - VALIDATOR_UPDATE_DELAY;
  const burned = stakingSlashing.slash(ctx, validator.operatorAddress, infraction < 1n ? 1n : infraction, power, decOf(params.slashFractionDoubleSign));
  stakingSlashing.jail(ctx, validator.operatorAddress);
  k.setSigningInfo(ctx.store, { ...info, tombstoned: true, jailedUntil: { seconds: JAILED_FOREVER, nanos: 0 } });
  ctx.events.emit("slash", { address: cons, power: power.toString(), reason: "double_sign", jailed: cons, burned_coins: burned.toString() });
}

