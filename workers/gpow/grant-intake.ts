import type { Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { addressFromBytes } from "../../chain/address.ts";
import { addressBytesOf } from "../../chain/crypto/secp256k1.ts";
import { grantId } from "../../chain/delivery-grant.ts";
import type { ChainClient } from "../runtime/chain-client.ts";

/**
 * What a node checks of a receipt signed under a publisher's grant beyond receiptFault (the
 * grant, its signature, scope and expiry), as the chain will when the claim is made: the
 * session key is no key of this node's, the publisher has not revoked the grant for the
 * receipt's epoch, and the grant's cap has room for every byte this node holds under it.
 *
 * `unclaimed` is what this node holds under the grant in epochs whose claim is not on chain
 * yet, this receipt included; what its claims already made took is in the chain's usage. The
 * cap is shared with every other node: one that claims first may take what was left, and a
 * later claim is then charged only what the cap still has (never the publisher more).
 */
export async function checkGrantIntake(chain: ChainClient, self: { owner: string }, r: Receipt, unclaimed: bigint): Promise<void> {
  const g = r.grant!;
  const session = addressFromBytes(addressBytesOf(g.sessionKey));
  if (session === self.owner || session === chain.address) throw new Error("the grant's session key is this node's own account (self-dealing)");
  const id = grantId(g);
  const { usage } = await chain.q.aro.gpow.GrantUsage({ grantId: id });
  if (usage && usage.revokedFromEpoch > 0n && r.epoch >= usage.revokedFromEpoch) {
    throw new Error(`delivery grant ${id} was revoked by ${g.publisher} from epoch ${usage.revokedFromEpoch}; the receipt is for epoch ${r.epoch}`);
  }
  const charged = usage?.chargedBytes ?? 0n;
  if (charged + unclaimed > g.capBytes) {
    throw new Error(`delivery grant ${id} caps ${g.capBytes} bytes: ${charged} already charged on chain and ${unclaimed} unclaimed at this node with this receipt: over the cap`);
  }
}
