import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { NatType, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { MsgRevokeDeliveryGrantResponse } from "../../proto/gen/aro/gpow/v1/tx.ts";
import { QueryClaimRequest, QueryClaimResponse, QueryGrantUsageRequest, QueryGrantUsageResponse } from "../../proto/gen/aro/gpow/v1/query.ts";
import { QueryEscrowRequest, QueryEscrowResponse } from "../../proto/gen/aro/market/v1/query.ts";
import { ClaimStatus, Receipt, type DeliveryGrant } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { grantSignBytes, type GrantTerms } from "../../chain/delivery-grant.ts";
import { grantId, signGrant } from "../../client/receipts/grant.ts";
import { GrantReceiptSigner, sessionKeyFrom, type SessionKey } from "../../client/receipts/session-signer.ts";
import { EpochClaim } from "../../workers/gpow/epoch-claim.ts";
import { AppHarness, HarnessAccount } from "../support/app-harness.ts";

const EPOCH = 10n;
const CLAIM_WINDOW = 3n;
const PROOF_WINDOW = 3n;
const R1 = "a1".repeat(32);
const R2 = "b2".repeat(32);
const uaro = (n: bigint) => ({ denom: "uaro", amount: n.toString() });
const claimEnd = (e: bigint) => (e + 1n) * EPOCH + CLAIM_WINDOW;

/**
 * Delivery grants on the real app (every module, driven block by block): a publisher's escrow
 * pays for its session keys' receipts, never more than a grant's cap over all nodes and
 * epochs, and each bad grant or receipt is refused with its code.
 */
describe("delivery grants on chain: the cap holds across nodes and epochs, every refusal has its code", function () {
  this.timeout(300_000);
  const [owner, publisher, stranger] = ["owner", "publisher", "stranger"].map((s) => new HarnessAccount(`grants-${s}`));
  const key = (a: HarnessAccount) => new Uint8Array(createHash("sha256").update(a.seed).digest());
  const session: SessionKey = sessionKeyFrom(new Uint8Array(createHash("sha256").update("grants-session").digest()));
  let app: AppHarness;
  const nodes: bigint[] = [];
  let chainId = "";

  const terms = (over: Partial<GrantTerms> = {}): GrantTerms => ({ chainId, publisher: publisher.address, sessionKey: session.publicKey, roots: [R1, R2], capBytes: 3000n, expiresEpoch: 10n, nonce: 1n, ...over });
  const grant = (over: Partial<GrantTerms> = {}) => signGrant(key(publisher), terms(over));
  const receipts = (g: DeliveryGrant, nodeId: bigint, epoch: bigint, sizes: bigint[], s: SessionKey = session) => {
    const signer = new GrantReceiptSigner(s, g);
    let at = 0n;
    return sizes.map((n, i) => signer.sign({ nodeId, contentId: i % 2 ? R2 : R1, rangeStart: at, rangeEnd: (at += n), epoch }));
  };
  const claimTx = (nodeId: bigint, epoch: bigint, rs: readonly Receipt[]) => ({ typeUrl: "/aro.gpow.v1.MsgSubmitClaim", value: new EpochClaim([...rs]).claim(owner.address, nodeId, epoch) });
  const claim = (nodeId: bigint, epoch: bigint) => app.query("/aro.gpow.v1.Query/Claim", QueryClaimRequest, QueryClaimResponse, { nodeId, epoch }).then((r) => r.claim);
  const usage = async (g: GrantTerms) => (await app.query("/aro.gpow.v1.Query/GrantUsage", QueryGrantUsageRequest, QueryGrantUsageResponse, { grantId: grantId(g) })).usage;
  const escrow = async () => (await app.query("/aro.market.v1.Query/Escrow", QueryEscrowRequest, QueryEscrowResponse, { owner: publisher.address })).escrow!;
  /** Sends each claim in its own tx in one block (the first queued is the first charged); returns each result. */
  const submit = async (txs: Array<{ typeUrl: string; value: object }>) => {
    for (const tx of txs) await app.send(owner, [tx]);
    return app.block();
  };
  /** Proves every open offset of `trees`' claims (those in `skip` stay unproven: void), then runs until `epoch` is resolved. */
  const proveAndResolve = async (epoch: bigint, trees: Map<bigint, EpochClaim>, skip: bigint[] = []) => {
    await app.until(claimEnd(epoch) + 1n);
    for (const [n, tree] of trees) {
      const c = (await claim(n, epoch))!;
      if (!skip.includes(n) && c.openOffsets.length) await app.send(owner, c.openOffsets.map((offset) => ({ typeUrl: "/aro.gpow.v1.MsgSubmitProof", value: { operator: owner.address, nodeId: n, epoch, offset, ...tree.proof(offset) } })));
    }
    const proven = await app.block();
    assert.ok(proven.every((r) => r.code === 0), proven.map((r) => r.log).join("\n"));
    await app.until(claimEnd(epoch) + PROOF_WINDOW + 2n);
  };

  before(async () => {
    app = await AppHarness.create([owner, publisher, stranger], "100000000000uaro", (g) => {
      Object.assign(g.settlement.params, { epochLength: EPOCH.toString(), unreportedUptimePermille: 1000 });
      // every claim is proven; 1 uaro a byte, so a charge reads as bytes
      Object.assign(g.gpow.params, { claimWindow: CLAIM_WINDOW.toString(), proofWindow: PROOF_WINDOW.toString(), alwaysProveBytes: "1", storageWindow: "5", maxGrantEpochs: "20" });
      Object.assign(g.market.params.prices, { perGbDelivered: "1000000000.000000000000000000" });
      Object.assign(g.watcher.params, { attestWindow: "3" });
      Object.assign(g.peernode.params, { minBond: "1000000" });
    });
    chainId = app.chain.chainId;
    for (let i = 0; i < 3; i++) {
      await app.send(owner, [{
        typeUrl: "/aro.peernode.v1.MsgRegisterNode",
        value: {
          owner: owner.address, operator: owner.address, peerId: peerIdFromPrivateKey(await generateKeyPair("Ed25519")).toString(), multiaddrs: ["/ip4/127.0.0.1/tcp/4001"], endpoints: [], region: "europe",
          resources: { bandwidthMbps: 100n, storageGb: 100n, cpuMillicores: 1000n, memoryMb: 1024n, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC, services: [Service.SERVICE_CDN], commission: "0.05", bond: uaro(10_000_000n),
        },
      }]);
    }
    await app.send(publisher, [{ typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: publisher.address, amount: uaro(1_000_000n) } }]);
    const res = await app.block();
    assert.ok(res.every((r) => r.code === 0), res.map((r) => r.log).join("\n"));
    nodes.push(...res.slice(0, 3).map((r) => MsgRegisterNodeResponse.decode(r.responses[0].value).nodeId));
  });
  after(() => app?.close());

  it("two nodes claim 4000 bytes under a 3000-byte grant in one epoch and 500 more in the next: the publisher pays 3000, the later claims are clipped", async () => {
    const g = await grant();
    const [n1, n2] = nodes;
    const t1 = new EpochClaim(receipts(g, n1, 1n, [1000n, 1000n]));
    const t2 = new EpochClaim(receipts(g, n2, 1n, [1500n, 500n]));
    await app.until(2n * EPOCH);
    const [r1, r2] = await submit([claimTx(n1, 1n, t1.receipts), claimTx(n2, 1n, t2.receipts)]);
    assert.deepEqual([r1.code, r2.code], [0, 0], r1.log + r2.log);
    const [c1, c2] = [(await claim(n1, 1n))!, (await claim(n2, 1n))!];
    assert.deepEqual([c1.clientTotals[0].grantBytes, c1.clientTotals[0].held], [2000n, "2000"], "the first claim takes what it asks");
    assert.deepEqual([c2.clientTotals[0].grantBytes, c2.clientTotals[0].held], [1000n, "1000"], "the second only what the cap has left");
    assert.equal((await usage(g))!.chargedBytes, 3000n);
    await proveAndResolve(1n, new Map([[n1, t1], [n2, t2]]));
    assert.deepEqual([(await claim(n1, 1n))!.customerPaid, (await claim(n2, 1n))!.customerPaid], ["2000", "1000"]);

    // epoch 2: the same grant, another node, fresh receipts: nothing left to charge
    const t3 = new EpochClaim(receipts(g, n1, 2n, [500n]));
    await app.until(3n * EPOCH);
    assert.equal((await submit([claimTx(n1, 2n, t3.receipts)]))[0].code, 0);
    assert.deepEqual([(await claim(n1, 2n))!.clientTotals[0].grantBytes, (await claim(n1, 2n))!.clientTotals[0].held], [0n, "0"]);
    await proveAndResolve(2n, new Map([[n1, t3]]));
    assert.equal((await escrow()).paid, "3000", "3000 bytes at 1 uaro a byte, and not one more");
    assert.equal((await usage(g))!.chargedBytes, 3000n);
    assert.deepEqual(app.broken(), []);
  });

  it("a void claim gives its bytes back to the grant: a later claim is charged them", async () => {
    const g = await grant({ nonce: 2n, capBytes: 1000n });
    const [n1, n2] = nodes;
    const t1 = new EpochClaim(receipts(g, n1, 3n, [1000n]));
    const t2 = new EpochClaim(receipts(g, n2, 3n, [800n]));
    await app.until(4n * EPOCH);
    assert.deepEqual((await submit([claimTx(n1, 3n, t1.receipts), claimTx(n2, 3n, t2.receipts)])).map((r) => r.code), [0, 0]);
    assert.equal((await claim(n2, 3n))!.clientTotals[0].grantBytes, 0n, "n1 took the whole cap");
    await proveAndResolve(3n, new Map([[n1, t1], [n2, t2]]), [n1]);
    assert.equal((await claim(n1, 3n))!.status, ClaimStatus.CLAIM_STATUS_VOID);
    assert.equal((await usage(g))!.chargedBytes, 0n, "the void claim's 1000 bytes are back");
    const t3 = new EpochClaim(receipts(g, n2, 4n, [700n]));
    await app.until(5n * EPOCH);
    assert.equal((await submit([claimTx(n2, 4n, t3.receipts)]))[0].code, 0);
    assert.equal((await claim(n2, 4n))!.clientTotals[0].grantBytes, 700n);
    await proveAndResolve(4n, new Map([[n2, t3]]));
    assert.equal((await escrow()).paid, "3700");
  });

  it("refuses at the claim, each with its code: forged grant, another chain, out of scope, expired, another key, session key of the node, revoked; and revocation rules", async () => {
    const n3 = nodes[2];
    const g = await grant({ nonce: 3n, expiresEpoch: 6n });
    const good = receipts(g, n3, 5n, [100n]);
    const resign = (r: Receipt, over: Partial<Receipt>, k = session.privateKey): Receipt => {
      const changed = { ...r, ...over, signature: new Uint8Array() };
      return { ...changed, signature: secp256k1.sign(Receipt.encode(changed).finish(), k) };
    };
    const other = sessionKeyFrom(key(stranger));
    const ownerSession = sessionKeyFrom(key(owner));
    const forged = resign(good[0], { grant: { ...g, capBytes: 1n << 40n } });
    const byOther = { ...good[0], signature: secp256k1.sign(Receipt.encode({ ...good[0], signature: new Uint8Array() }).finish(), other.privateKey) };
    const cases: Array<[string, Receipt[], number]> = [
      ["forged grant signature", [forged], 24],
      ["grant signed by another key", [resign(good[0], { grant: { ...g, signature: secp256k1.sign(grantSignBytes(g), key(stranger)) } })], 24],
      ["another chain's grant", receipts(await grant({ chainId: "aro-other-1" }), n3, 5n, [100n]), 23],
      ["content out of scope", [resign(good[0], { contentId: "c3".repeat(32) })], 25],
      ["expired grant", receipts(await grant({ nonce: 4n, expiresEpoch: 5n }), n3, 4n, [100n]).map((r) => resign(r, { epoch: 5n })), 26],
      ["receipt signed by another key", [byOther], 7],
      ["receipt naming another key", [resign(good[0], { clientPubkey: other.publicKey }, other.privateKey)], 6],
      ["session key of the node's operator", receipts(await signGrant(key(publisher), terms({ nonce: 5n, sessionKey: ownerSession.publicKey })), n3, 5n, [100n], ownerSession), 8],
    ];
    // the grant revoked in epoch 5: its epoch-5 receipts still pay, its epoch-6 ones would not (and epoch 6 is its expiry anyway: use a longer one)
    const long = await grant({ nonce: 6n, expiresEpoch: 12n });
    await app.until(5n * EPOCH + 2n);
    await app.send(stranger, [{ typeUrl: "/aro.gpow.v1.MsgRevokeDeliveryGrant", value: { publisher: stranger.address, grant: long } }]);
    await app.send(publisher, [{ typeUrl: "/aro.gpow.v1.MsgRevokeDeliveryGrant", value: { publisher: publisher.address, grant: await grant({ nonce: 7n, expiresEpoch: 6n }) } }]);
    await app.send(publisher, [{ typeUrl: "/aro.gpow.v1.MsgRevokeDeliveryGrant", value: { publisher: publisher.address, grant: await grant({ nonce: 8n, expiresEpoch: 40n }) } }]);
    await app.send(publisher, [{ typeUrl: "/aro.gpow.v1.MsgRevokeDeliveryGrant", value: { publisher: publisher.address, grant: long } }]);
    const [notHis, spent, tooFar, revoked] = await app.block();
    assert.deepEqual([notHis.code, spent.code, tooFar.code], [23, 26, 23], [notHis.log, spent.log, tooFar.log].join("\n"));
    assert.match(notHis.log, /only its publisher revokes it/);
    assert.equal(revoked.code, 0, revoked.log);
    assert.equal(MsgRevokeDeliveryGrantResponse.decode(revoked.responses[0].value).revokedFromEpoch, 6n);
    assert.equal((await usage(long))!.revokedFromEpoch, 6n);

    await app.until(6n * EPOCH);
    const results = await submit([...cases.map(([, rs]) => claimTx(n3, 5n, rs)), claimTx(n3, 5n, [...good, ...receipts(long, n3, 5n, [50n])])]);
    cases.forEach(([what, , code], i) => assert.equal(results[i].code, code, `${what}: ${results[i].log}`));
    assert.equal(results.at(-1)!.code, 0, `good receipts and the revoked grant's receipt of the revocation epoch: ${results.at(-1)!.log}`);
    assert.equal((await claim(n3, 5n))!.clientTotals.length, 2, "one line per grant");
    await app.until(7n * EPOCH);
    const late = await submit([claimTx(n3, 6n, receipts(long, n3, 6n, [100n]))]);
    assert.equal(late[0].code, 27, late[0].log);
    assert.match(late[0].log, /revoked grant [0-9a-f]{64} from epoch 6/);
  });

  it("a grant's usage is deleted once every epoch before its expiry is resolved", async () => {
    const g = await grant();
    assert.ok(await usage(g), "grant 1 (expires at epoch 10) is still counted");
    await app.until(claimEnd(9n) + PROOF_WINDOW + 2n);
    assert.equal(await usage(g), undefined);
    assert.deepEqual(app.broken(), []);
  });
});
