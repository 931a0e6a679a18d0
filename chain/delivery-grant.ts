import { toBase64 } from "@cosmjs/encoding";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import type { DeliveryGrant } from "../proto/gen/aro/gpow/v1/gpow.ts";

/**
 * What a publisher signs for a delivery grant, and the grant's id. One definition for the
 * chain (which verifies and counts usage by id), the agents and the clients, browsers
 * included (no Node built-ins here).
 */

/** The first line of every grant's text: these bytes are a delivery grant and nothing else. */
export const GRANT_DOMAIN = "aro/delivery-grant/1";

/** Most content roots one grant may list (a grant rides in every receipt and claim line). */
export const MAX_GRANT_ROOTS = 8;

export type GrantTerms = Omit<DeliveryGrant, "publisherPubkey" | "signature">;

/**
 * The grant's terms as the text the publisher's wallet shows and signs, one `name=value`
 * per line. Unambiguous for a well-formed grant (bech32, hex and decimal fields, the
 * chain's own id).
 */
export function grantSignText(g: GrantTerms): string {
  return [
    GRANT_DOMAIN,
    `chain_id=${g.chainId}`,
    `publisher=${g.publisher}`,
    `session_key=${bytesToHex(g.sessionKey)}`,
    `roots=${g.roots.join(",")}`,
    `cap_bytes=${g.capBytes}`,
    `expires_epoch=${g.expiresEpoch}`,
    `nonce=${g.nonce}`,
  ].join("\n");
}

/**
 * The ADR-036 doc over the grant's text (what Keplr's signArbitrary, an amino signer's
 * signAmino and a Ledger sign): a StdSignDoc with one sign/MsgSignData, no chain id, account
 * number, sequence or fee, keys sorted as CosmJS's serializeSignDoc writes them. It can never
 * be a transaction.
 */
export function grantSignDoc(g: GrantTerms): {
  chain_id: string; account_number: string; sequence: string; fee: { gas: string; amount: never[] }; memo: string;
  msgs: Array<{ type: "sign/MsgSignData"; value: { signer: string; data: string } }>;
} {
  return {
    chain_id: "", account_number: "0", sequence: "0", fee: { gas: "0", amount: [] }, memo: "",
    msgs: [{ type: "sign/MsgSignData", value: { signer: g.publisher, data: toBase64(new TextEncoder().encode(grantSignText(g))) } }],
  };
}

/** The bytes the publisher's key signs (secp256k1 over their sha256): the ADR-036 doc, serialized. */
export function grantSignBytes(g: GrantTerms): Uint8Array {
  const data = toBase64(new TextEncoder().encode(grantSignText(g)));
  // serializeSignDoc's output for grantSignDoc (sorted keys; bech32 and base64 need no escaping)
  return new TextEncoder().encode(
    `{"account_number":"0","chain_id":"","fee":{"amount":[],"gas":"0"},"memo":"",` +
      `"msgs":[{"type":"sign/MsgSignData","value":{"data":"${data}","signer":"${g.publisher}"}}],"sequence":"0"}`,
  );
}

/** The grant's id: sha256 of its text, 64 lower-case hex. The same terms are the same grant. */
export function grantId(g: GrantTerms): string {
  return bytesToHex(sha256(new TextEncoder().encode(grantSignText(g))));
}

/**
 * The claim line a receipt counts in: its client's, or for a grant's receipt the grant's
 * ("<publisher>/<grant id>"), so each grant has its own tally and several grants of one
 * publisher (one per end user) never mix their session keys' running totals.
 */
export function payerLine(r: { readonly client: string; readonly grant?: GrantTerms }): string {
  return r.grant ? `${r.client}/${grantId(r.grant)}` : r.client;
}
