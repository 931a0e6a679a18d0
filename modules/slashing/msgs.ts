import { MsgUnjail, MsgUnjailResponse, MsgUpdateParams } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import type { Params } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { updateParamsRoute } from "../../chain/params-route.ts";
import { validateSlashingParams } from "./params.ts";
import { validateValoperAddress, valoperToAccount } from "../../chain/address.ts";
import { decFromWire } from "../../chain/dec.ts";
import { msgRoute, type MsgRoute } from "../../chain/module.ts";
import { reply } from "../../chain/msg-reply.ts";
import { slashingErrors } from "./errors.ts";
import { slashingKeeper, valconsOf } from "./keeper.ts";
import { consensusAddressHex, consensusKey, stakingKeeper, stakingSlashing } from "./expected.ts";

const unjail = msgRoute<MsgUnjail>({
  typeUrl: "/cosmos.slashing.v1beta1.MsgUnjail",
  type: MsgUnjail,
  signers: (m) => [valoperToAccount(validateValoperAddress(m.validatorAddr))],
  validate: (m) => void validateValoperAddress(m.validatorAddr),
  handle(ctx, m) {
    const v = stakingKeeper.getValidator(ctx.store, m.validatorAddr);
    if (!v) throw slashingErrors.badValidatorAddr.wrap(m.validatorAddr);
    const self = stakingKeeper.getDelegation(ctx.store, valoperToAccount(m.validatorAddr), m.validatorAddr);
    if (!self) throw slashingErrors.missingSelfDelegation.wrap("");
    if (stakingKeeper.tokensFromShares(v, decFromWire(self.shares)) < BigInt(v.minSelfDelegation)) throw slashingErrors.selfDelegationTooLowToUnjail.wrap("");
    if (!v.jailed) throw slashingErrors.validatorNotJailed.wrap("");
    const cons = valconsOf(Buffer.from(consensusAddressHex(consensusKey(v)), "hex"));
    const info = slashingKeeper.getSigningInfo(ctx.store, cons);
    if (info?.tombstoned) throw slashingErrors.validatorTombstoned.wrap("");
    if (info && ctx.block.timeSeconds < info.jailedUntil.seconds) {
      throw slashingErrors.validatorJailed.wrap(`jailed until ${new Date(Number(info.jailedUntil.seconds) * 1000).toISOString()}`);
    }
    stakingSlashing.unjail(ctx, m.validatorAddr);
    // Back in the set: a fresh window before downtime counts again (the SDK's AfterValidatorBonded).
    if (info) {
      slashingKeeper.clearMissed(ctx.store, cons);
      slashingKeeper.setSigningInfo(ctx.store, { ...info, startHeight: ctx.block.height, indexOffset: 0n, missedBlocksCounter: 0n });
    }
    ctx.events.emit("unjail", { validator: m.validatorAddr });
    return reply("/cosmos.slashing.v1beta1.MsgUnjailResponse", MsgUnjailResponse, {});
  },
});

const updateParams = updateParamsRoute<Params>({ typeUrl: "/cosmos.slashing.v1beta1.MsgUpdateParams", type: MsgUpdateParams, validate: validateSlashingParams, set: (s, p) => slashingKeeper.setParams(s, p) });

export const slashingMsgs: MsgRoute[] = [unjail, updateParams];
