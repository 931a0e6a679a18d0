import type { OfflineAminoSigner, StdSignature } from "@cosmjs/amino";
import { fromBase64, toBech32 } from "@cosmjs/encoding";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import type { DeliveryGrant } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { grantSignBytes, grantSignDoc, type GrantTerms } from "../../chain/delivery-grant.ts";

/**
 * A publisher's side of a delivery grant: signing the terms under which its escrow pays for
 * the receipts one end user's session key signs. Pure ESM with no Node built-ins, so a
 * publisher's web page (Keplr) can sign too. The chain checks what is signed in
 * protocol/delivery-grant.ts.
 */

export { grantId, grantSignText, GRANT_DOMAIN, MAX_GRANT_ROOTS, type GrantTerms } from "../../chain/delivery-grant.ts";

/** A key that signs arbitrary bytes: a secp256k1 signature over their sha256 (client/receipts/receipt-signer.ts ReceiptSigner). */
export interface BytesSigner {
  readonly address: string;
  readonly pubkey: Uint8Array;
  signMessage(message: Uint8Array): Promise<Uint8Array>;
}

/**
 * What can sign a grant: the publisher's raw private key (32 bytes), a CosmJS amino signer
 * (Secp256k1HdWallet, Keplr's getOfflineSignerOnlyAmino, a Ledger), or a BytesSigner. Every
 * one signs the same ADR-036 doc, so the signature is the one Keplr's signArbitrary makes
 * over grantSignText (see grantWithSignature). A direct-only signer (DirectSecp256k1HdWallet)
 * cannot sign arbitrary data: use its mnemonic's key, or an amino wallet of it.
 */
export type GrantSigningKey = Uint8Array | OfflineAminoSigner | BytesSigner;

/** The account address (aro1…) of a compressed secp256k1 key. */
export function addressOfKey(pubkey: Uint8Array): string {
  return toBech32("aro", ripemd160(sha256(pubkey)));
}

/** A grant from its terms and a signature made elsewhere, e.g. Keplr's `signArbitrary(chainId, publisher, grantSignText(terms))`. */
export function grantWithSignature(terms: GrantTerms, signature: StdSignature | { pubkey: Uint8Array; signature: Uint8Array }): DeliveryGrant {
  const [pubkey, sig] = "pub_key" in signature ? [fromBase64(signature.pub_key.value), fromBase64(signature.signature)] : [signature.pubkey, signature.signature];
  if (addressOfKey(pubkey) !== terms.publisher) throw new Error(`the signing key is ${addressOfKey(pubkey)}'s, the grant's publisher is ${terms.publisher}`);
  return { ...terms, roots: [...terms.roots], publisherPubkey: pubkey, signature: sig };
}

/**
 * The publisher signs a grant: `terms.sessionKey` (the end user's 33-byte public key) may
 * sign receipts for `terms.roots` in epochs before `terms.expiresEpoch`, the publisher's
 * escrow paying for at most `terms.capBytes` bytes of them.
 */
export async function signGrant(key: GrantSigningKey, terms: GrantTerms): Promise<DeliveryGrant> {
  if (key instanceof Uint8Array) {
    const pubkey = secp256k1.getPublicKey(key, true);
    return grantWithSignature(terms, { pubkey, signature: secp256k1.sign(grantSignBytes(terms), key) });
  }
  if ("signAmino" in key) {
    const { signature } = await key.signAmino(terms.publisher, grantSignDoc(terms));
    return grantWithSignature(terms, signature);
  }
  return grantWithSignature(terms, { pubkey: key.pubkey, signature: await key.signMessage(grantSignBytes(terms)) });
}
