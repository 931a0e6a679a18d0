import { MsgUpdateParams } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import type { Params } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { updateParamsRoute } from "../../../chain/params-route.ts";
import { stakingKeeper as k } from "../keeper.ts";
import { validateStakingParams } from "../params.ts";

/** MsgUpdateParams: only the gov account. */
export const updateParams = updateParamsRoute<Params>({ typeUrl: "/cosmos.staking.v1beta1.MsgUpdateParams", type: MsgUpdateParams, validate: validateStakingParams, set: (s, p) => k.setParams(s, p) });
