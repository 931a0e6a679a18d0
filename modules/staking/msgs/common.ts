import type { Description } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { validateAddress, validateValoperAddress, valoperToAccount } from "../../../chain/address.ts";
import { parseAmount } from "../../../chain/coins.ts";
import { sdkErrors } from "../../../chain/errors.ts";
import type { Context } from "../../../chain/module.ts";
import { stakingErrors } from "../errors.ts";
import { stakingKeeper as k } from "../keeper.ts";

/** What the staking messages share: description limits, amounts in the bond denom, the operator as signer. */
export const DESCRIPTION_LIMITS: Record<keyof Description, number> = { moniker: 70, identity: 3000, website: 140, securityContact: 140, details: 280 };

export function validateDescription(d: Description): void {
  for (const [field, max] of Object.entries(DESCRIPTION_LIMITS) as Array<[keyof Description, number]>) {
    if ((d[field] ?? "").length > max) throw sdkErrors.invalidRequest.wrap(`invalid ${field} length; got: ${d[field].length}, max: ${max}`);
  }
}

/** A positive amount in the bond denom. */
export function bondAmount(ctx: Context, coin: Coin | undefined): bigint {
  if (!coin) throw sdkErrors.invalidCoins.wrap("amount is missing");
  const denom = k.getParams(ctx.store).bondDenom;
  if (coin.denom !== denom) throw stakingErrors.badDenom.wrap(`got ${coin.denom}, expected ${denom}`);
  return parseAmount(coin.amount);
}

export function positiveCoin(coin: Coin | undefined): void {
  if (!coin) throw sdkErrors.invalidCoins.wrap("amount is missing");
  if (parseAmount(coin.amount) === 0n) throw sdkErrors.invalidCoins.wrap("amount must be positive");
}

/** The operator's account address (the signer of a validator's messages), after checking the valoper address. */
export function valoperToAccountSafe(valoper: string): string {
  validateValoperAddress(valoper);
  return valoperToAccount(valoper);
}

/** MsgDelegate and MsgUndelegate: a delegator, a validator and a positive amount. */
export function validateDelegationMsg(m: { delegatorAddress: string; validatorAddress: string; amount?: Coin }): void {
  validateAddress(m.delegatorAddress, "delegator address");
  validateValoperAddress(m.validatorAddress);
  positiveCoin(m.amount);
}
