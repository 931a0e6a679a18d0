import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Secp256k1HdWallet, serializeSignDoc } from "@cosmjs/amino";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { Receipt, type DeliveryGrant } from "../proto/gen/aro/gpow/v1/gpow.ts";
import { grantId, grantSignBytes, grantSignDoc, grantSignText, payerLine, type GrantTerms } from "../chain/delivery-grant.ts";
import { verifySecp256k1 } from "../chain/crypto/secp256k1.ts";
import { addressOfKey, signGrant } from "../client/receipts/grant.ts";
import { GrantReceiptSigner, generateSessionKey, sessionKeyFrom } from "../client/receipts/session-signer.ts";
import { ReceiptSigner } from "../client/receipts/receipt-signer.ts";
import { receiptFault, type GrantRules } from "./delivery.ts";

const CHAIN = "aro-test-1";
const RULES: GrantRules = { chainId: CHAIN, maxGrantEpochs: 100n };
const ROOT = "ab".repeat(32);
const OTHER_ROOT = "cd".repeat(32);
const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

describe("delivery grants (protocol/delivery-grant.ts): a publisher pays for the receipts of its session keys", () => {
  const publisherKey = new Uint8Array(randomBytes(32));
  const publisher = addressOfKey(secp256k1.getPublicKey(publisherKey, true));
  const session = generateSessionKey();
  const terms = (over: Partial<GrantTerms> = {}): GrantTerms => ({ chainId: CHAIN, publisher, sessionKey: session.publicKey, roots: [ROOT], capBytes: 1_000_000n, expiresEpoch: 50n, nonce: 7n, ...over });
  let grant: DeliveryGrant;
  before(async () => {
    grant = await signGrant(publisherKey, terms());
  });
  const receipt = (g: DeliveryGrant = grant, over: Partial<Parameters<GrantReceiptSigner["sign"]>[0]> = {}) =>
    new GrantReceiptSigner(session, g).sign({ nodeId: 3n, contentId: ROOT, rangeStart: 0n, rangeEnd: 1000n, epoch: 10n, ...over });
  /** A receipt with `over` set after signing, re-signed by the session key (so only the changed field is at fault). */
  const resigned = (r: Receipt, over: Partial<Receipt>, key = session.privateKey): Receipt => {
    const changed = { ...r, ...over, signature: new Uint8Array() };
    return { ...changed, signature: secp256k1.sign(Receipt.encode(changed).finish(), key) };
  };
  const kind = (r: Receipt) => receiptFault(r, RULES)?.kind;

  it("the grant's text and ADR-036 doc: what Keplr's signArbitrary and CosmJS's signAmino sign", async () => {
    assert.equal(grantSignText(terms()), [
      "aro/delivery-grant/1", `chain_id=${CHAIN}`, `publisher=${publisher}`, `session_key=${Buffer.from(session.publicKey).toString("hex")}`,
      `roots=${ROOT}`, "cap_bytes=1000000", "expires_epoch=50", "nonce=7",
    ].join("\n"));
    assert.deepEqual(grantSignBytes(terms()), serializeSignDoc(grantSignDoc(terms())), "the chain's bytes are CosmJS's serialization of the doc");
    assert.equal(grantId(terms()), Buffer.from(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(grantSignText(terms())))).toString("hex"));
    assert.equal(grantId({ ...terms(), nonce: 8n }) === grantId(terms()), false, "the nonce makes another grant");
    assert.equal(payerLine({ client: publisher, grant }), `${publisher}/${grantId(grant)}`);
    assert.equal(payerLine({ client: publisher }), publisher);
  });

  it("signs alike with a raw key, an amino wallet (Keplr, Ledger) and a ReceiptSigner; the chain's check verifies each", async () => {
    const wallet = await Secp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "aro" });
    const [account] = await wallet.getAccounts();
    const byWallet = await signGrant(wallet, terms({ publisher: account.address }));
    const bySigner = await signGrant(await ReceiptSigner.fromMnemonic(MNEMONIC), terms({ publisher: account.address }));
    for (const g of [grant, byWallet, bySigner]) {
      assert.ok(verifySecp256k1(grantSignBytes(g), g.signature, g.publisherPubkey));
      assert.equal(kind(receipt(g)), undefined);
    }
    assert.deepEqual(byWallet.publisherPubkey, account.pubkey);
    await assert.rejects(signGrant(publisherKey, terms({ publisher: account.address })), /the signing key is aro1\w+'s, the grant's publisher is/);
  });

  it("accepts a receipt signed by the grant's session key for a root in scope before expiry", () => {
    const r = receipt();
    assert.equal(r.client, publisher, "the payer is the grant's publisher");
    assert.deepEqual(r.clientPubkey, session.publicKey);
    assert.equal(receiptFault(r, RULES), undefined);
    assert.equal(kind(receipt(grant, { epoch: 49n })), undefined, "the last epoch before expiry");
  });

  it("refuses each fault with its kind: grant (malformed, another chain, too long-lived, not its publisher), grant-signature, scope, expired, key, signature", async () => {
    const other = new Uint8Array(randomBytes(32));
    const cases: Array<[string, () => Promise<Receipt> | Receipt, string]> = [
      ["another chain's grant", async () => receipt(await signGrant(publisherKey, terms({ chainId: "aro-other" }))), "grant"],
      ["publisher_pubkey of another account", async () => receipt({ ...(await signGrant(other, terms({ publisher: addressOfKey(secp256k1.getPublicKey(other, true)) }))), publisher }), "grant"],
      ["no roots", async () => resigned(receipt(), { grant: { ...grant, roots: [] } }), "grant"],
      ["nine roots", async () => resigned(receipt(), { grant: { ...grant, roots: [ROOT, ...Array.from({ length: 8 }, (_, i) => String(i).repeat(64))] } }), "grant"],
      ["a root that is not 64 lower-case hex", async () => resigned(receipt(), { grant: { ...grant, roots: [ROOT, "AB".repeat(32)] } }), "grant"],
      ["a root listed twice", async () => resigned(receipt(), { grant: { ...grant, roots: [ROOT, ROOT] } }), "grant"],
      ["a session key that is not a compressed key", async () => resigned(receipt(), { grant: { ...grant, sessionKey: session.publicKey.subarray(1) }, clientPubkey: session.publicKey.subarray(1) }), "grant"],
      ["a zero cap", async () => resigned(receipt(), { grant: await signGrant(publisherKey, terms({ capBytes: 0n })) }), "grant"],
      ["an expiry more than max_grant_epochs after the receipt", async () => receipt(await signGrant(publisherKey, terms({ expiresEpoch: 111n }))), "grant"],
      ["a receipt naming another client", async () => resigned(receipt(), { client: addressOfKey(session.publicKey) }), "grant"],
      ["a forged grant signature (the cap raised after signing)", async () => resigned(receipt(), { grant: { ...grant, capBytes: grant.capBytes * 1000n } }), "grant-signature"],
      ["a grant signed by another key", async () => resigned(receipt(), { grant: { ...grant, signature: secp256k1.sign(grantSignBytes(grant), other) } }), "grant-signature"],
      ["content out of scope", async () => resigned(receipt(), { contentId: OTHER_ROOT }), "scope"],
      ["a receipt for the expiry epoch", async () => resigned(receipt(), { epoch: 50n }), "expired"],
      ["a receipt whose key is not the session key", async () => resigned(receipt(), { clientPubkey: secp256k1.getPublicKey(other, true) }, other), "key"],
      ["a receipt signed by another key", async () => ({ ...receipt(), signature: secp256k1.sign(Receipt.encode({ ...receipt(), signature: new Uint8Array() }).finish(), other) }), "signature"],
      ["a bad range", async () => resigned(receipt(), { bytes: 5n }), "range"],
    ];
    for (const [what, make, want] of cases) assert.equal(kind(await make()), want, what);
  });

  it("the session signer keeps a running total per node and epoch, and refuses what the chain would not pay", async () => {
    const small = await signGrant(publisherKey, terms({ capBytes: 2500n, roots: [ROOT, OTHER_ROOT] }));
    const s = new GrantReceiptSigner(session, small);
    const r1 = s.sign({ nodeId: 1n, contentId: ROOT, rangeStart: 0n, rangeEnd: 1000n, epoch: 10n });
    const r2 = s.sign({ nodeId: 1n, contentId: OTHER_ROOT, rangeStart: 0n, rangeEnd: 1000n, epoch: 10n });
    const r3 = s.sign({ nodeId: 2n, contentId: ROOT, rangeStart: 1000n, rangeEnd: 1500n, epoch: 10n });
    assert.deepEqual([r1.totalBytes, r2.totalBytes, r3.totalBytes], [1000n, 2000n, 500n]);
    assert.notEqual(r1.nonce, r2.nonce);
    for (const r of [r1, r2, r3]) assert.equal(receiptFault(r, RULES), undefined);
    assert.throws(() => s.sign({ nodeId: 2n, contentId: ROOT, rangeStart: 0n, rangeEnd: 1n, epoch: 10n }), /cap is 2500 bytes: 2500 receipted/);
    const fresh = new GrantReceiptSigner(session, small);
    assert.throws(() => fresh.sign({ nodeId: 1n, contentId: "ef".repeat(32), rangeStart: 0n, rangeEnd: 1n, epoch: 10n }), /not in the grant's scope/);
    assert.throws(() => fresh.sign({ nodeId: 1n, contentId: ROOT, rangeStart: 0n, rangeEnd: 1n, epoch: 50n }), /expired at epoch 50/);
    assert.throws(() => new GrantReceiptSigner(sessionKeyFrom(new Uint8Array(randomBytes(32))), small), /another session key/);
  });
});
