import type { Coin } from "../../../proto/gen/cosmos/base/v1beta1/coin.ts";
import { positiveAmountIn } from "../../../chain/coins.ts";
import type { Context } from "../../../chain/module.ts";
import { peernodeErrors } from "../errors.ts";
import { peernodeKeeper as k } from "../keeper.ts";

/** What the messages share: a coin in the bond denom, positive. */
export const bondAmount = (ctx: Context, coin: Coin | undefined) => positiveAmountIn(coin, k.bondDenom(ctx.store));

/** A peer id is used by one registered node at a time (`self`: the node being updated). */
export function requirePeerIdFree(ctx: Context, peerId: string, self?: bigint): void {
  const other = k.nodeByPeerId(ctx.store, peerId);
  if (other !== undefined && other !== self) throw peernodeErrors.peerIdTaken.wrap(`node ${other} uses ${peerId}`);
}
