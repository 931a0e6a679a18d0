import * as v1 from "cosmjs-types/cosmos/gov/v1/tx";
import * as v1beta1 from "cosmjs-types/cosmos/gov/v1beta1/tx";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { validateAddress } from "../../../chain/address.ts";
import { toAmounts } from "../../../chain/coins.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { addDeposit } from "../proposals.ts";

const validateDeposit = (m: { depositor: string; amount: Coin[] }): void => (validateAddress(m.depositor, "depositor"), void toAmounts(m.amount));

/** MsgDeposit (v1): adds to a proposal's deposits; reaching min_deposit starts its voting period. */
export const deposit = msgRoute<v1.MsgDeposit>({
  typeUrl: "/cosmos.gov.v1.MsgDeposit",
  type: v1.MsgDeposit,
  signers: (m) => [m.depositor],
  validate: validateDeposit,
  handle: (ctx, m) => (addDeposit(ctx, m.proposalId, m.depositor, m.amount), reply("/cosmos.gov.v1.MsgDepositResponse", v1.MsgDepositResponse, {})),
});

/** MsgDeposit (v1beta1, as CosmJS sends it). */
export const depositV1beta1 = msgRoute<v1beta1.MsgDeposit>({
  typeUrl: "/cosmos.gov.v1beta1.MsgDeposit",
  type: v1beta1.MsgDeposit,
  signers: (m) => [m.depositor],
  validate: validateDeposit,
  handle: (ctx, m) => (addDeposit(ctx, m.proposalId, m.depositor, m.amount), reply("/cosmos.gov.v1beta1.MsgDepositResponse", v1beta1.MsgDepositResponse, {})),
});
