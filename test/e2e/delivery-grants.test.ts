import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { QueryClient, SigningStargateClient, coin, type DeliverTxResponse } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { aroRegistry, setupAroExtension } from "../../client/index.ts";
import { ClaimStatus, Receipt, type DeliveryGrant } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { NatType, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { EpochPhase } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import type { GrantTerms } from "../../chain/delivery-grant.ts";
import { grantId, signGrant } from "../../client/receipts/grant.ts";
import { GrantReceiptSigner, generateSessionKey } from "../../client/receipts/session-signer.ts";
import { Blockstore } from "../../client/content/blockstore.ts";
import { ChainClient } from "../../workers/runtime/chain-client.ts";
import { AgentDb } from "../../workers/runtime/state-db.ts";
import { GpowProver } from "../../workers/gpow/prover.ts";
import { EpochClaim } from "../../workers/gpow/epoch-claim.ts";
import { eventually } from "../support/eventually.ts";
import { CHAIN_ID, LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";

const FEE = { amount: [coin(100000, "uaro")], gas: "4000000" };
const EPOCH = 30n;
const CLAIM_WINDOW = 12n;
const PROOF_WINDOW = 12n;
const ROOT = "5e".repeat(32);
const CAP = 6000n;

/**
 * Publisher-paid delivery on a real chain (CometBFT): a publisher signs a grant with its
 * amino wallet for an end user's session key; two nodes' real intake (GpowProver over a
 * ChainClient) keep the receipts that key signs, claim and prove them; the chain pays them
 * from the publisher's escrow, up to the grant's byte cap over both nodes, and refuses
 * expired, out-of-scope, forged and foreign-key receipts.
 */
describe("e2e: publisher-paid delivery — a grant's session key signs receipts, the publisher's escrow pays nodes up to the cap", function () {
  this.timeout(600_000);
  let node: LocalNode;
  let owner: Funded;
  let publisher: Funded;
  const operators: Funded[] = [];
  let ownerClient: SigningStargateClient;
  let comet: Comet38Client;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupAroExtension>>>;
  const ids: bigint[] = [];
  const chains: ChainClient[] = [];
  const dbs: AgentDb[] = [];
  const provers: GpowProver[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-grants-e2e-"));
  const session = generateSessionKey();
  let grant: DeliveryGrant;
  let epoch = 0n;

  const height = async () => BigInt((await comet.status()).syncInfo.latestBlockHeight);
  const waitHeight = async (h: bigint) => {
    while ((await height()) < h) await new Promise((r) => setTimeout(r, 150));
  };
  const ok = (r: DeliverTxResponse) => (assert.equal(r.code, 0, r.rawLog), r);
  const terms = (over: Partial<GrantTerms> = {}): GrantTerms => ({ chainId: CHAIN_ID, publisher: publisher.address, sessionKey: session.publicKey, roots: [ROOT], capBytes: CAP, expiresEpoch: epoch + 3n, nonce: 1n, ...over });
  const resign = (r: Receipt, over: Partial<Receipt>, key = session.privateKey): Receipt => {
    const changed = { ...r, ...over, signature: new Uint8Array() };
    return { ...changed, signature: secp256k1.sign(Receipt.encode(changed).finish(), key) };
  };

  before(async () => {
    [owner, publisher] = [await newAccount(), await newAccount()];
    for (let i = 0; i < 2; i++) operators.push(await newAccount());
    node = await LocalNode.create({
      funded: [owner, publisher, ...operators].map((a) => ({ address: a.address, coins: "100000000000uaro" })),
      editGenesis: (g) => {
        const s = g.app_state;
        Object.assign(s.settlement.params, { epochLength: EPOCH.toString(), unreportedUptimePermille: 1000 });
        // every claim is proven (through the grant's receipts); 1 uaro a byte, so a charge reads as bytes
        Object.assign(s.gpow.params, { claimWindow: CLAIM_WINDOW.toString(), proofWindow: PROOF_WINDOW.toString(), alwaysProveBytes: "1", storageWindow: "10" });
        Object.assign(s.market.params.prices, { perGbDelivered: "1000000000.000000000000000000" });
        Object.assign(s.watcher.params, { attestWindow: "6" });
        Object.assign(s.peernode.params, { minBond: "1000000" });
      },
    });
    await node.start();
    const opts = { registry: aroRegistry(), broadcastPollIntervalMs: 200 };
    ownerClient = await SigningStargateClient.connectWithSigner(node.rpc, owner.wallet, opts);
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupAroExtension);
  });
  after(async () => {
    for (const d of dbs) await d.close();
    for (const c of chains) c.disconnect();
    ownerClient?.disconnect();
    comet?.disconnect();
    await node?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("sets the stage: nodes A and B (each its own operator and agent intake), C (the owner's), the publisher's escrow allotted to A and B, its grant signed with an amino wallet", async () => {
    const reg = async (operator: string) => ({
      typeUrl: "/aro.peernode.v1.MsgRegisterNode",
      value: {
        owner: owner.address, operator, peerId: peerIdFromPrivateKey(await generateKeyPair("Ed25519")).toString(), multiaddrs: ["/ip4/127.0.0.1/tcp/4001"], endpoints: [], region: "europe",
        resources: { bandwidthMbps: 100n, storageGb: 100n, cpuMillicores: 1000n, memoryMb: 1024n, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC, services: [Service.SERVICE_CDN], commission: "0.05", bond: coin("10000000", "uaro"),
      },
    });
    const r = ok(await ownerClient.signAndBroadcast(owner.address, [await reg(operators[0].address), await reg(operators[1].address), await reg(owner.address)], FEE));
    ids.push(...r.msgResponses.map((m) => MsgRegisterNodeResponse.decode(m.value).nodeId));
    const pubClient = await SigningStargateClient.connectWithSigner(node.rpc, publisher.wallet, { registry: aroRegistry(), broadcastPollIntervalMs: 200 });
    ok(await pubClient.signAndBroadcast(publisher.address, [
      { typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: publisher.address, amount: coin("1000000", "uaro") } },
      ...ids.slice(0, 2).map((nodeId) => ({ typeUrl: "/aro.market.v1.MsgAllotEscrow", value: { owner: publisher.address, nodeId, amount: coin("50000", "uaro") } })),
    ], FEE));
    pubClient.disconnect();
    const log = pino({ level: "silent" });
    for (const [i, op] of operators.entries()) {
      const chain = await ChainClient.connect({ rpc: node.rpc, signer: op.wallet, gasPrice: "0.025uaro", gasAdjustment: 1.5, lowBalance: 0n, denom: "uaro", log });
      const db = await AgentDb.open(path.join(dir, `db-${i}`));
      chains.push(chain);
      dbs.push(db);
      provers.push(new GpowProver({ chain, db, store: new Blockstore(path.join(dir, `blocks-${i}`)), log }, { nodeId: ids[i], owner: owner.address, windows: { epochLength: EPOCH, claimWindow: CLAIM_WINDOW, proofWindow: PROOF_WINDOW } }));
    }
    // the work happens in the next full epoch
    epoch = (await height()) / EPOCH + 1n;
    await waitHeight(epoch * EPOCH + 1n);
    grant = await signGrant(await Secp256k1HdWallet.fromMnemonic(publisher.mnemonic, { prefix: "aro" }), terms());
    assert.equal(grant.publisher, publisher.address);
  });

  it("the nodes' intake keeps the session key's receipts (4000 bytes each, 8000 under a 6000-byte cap) and refuses expired, out-of-scope, forged and foreign-key ones", async () => {
    const signer = new GrantReceiptSigner(session, { ...grant, capBytes: 1n << 40n }); // the browser's own cap check aside: what a dishonest holder could sign
    const honest = (nodeId: bigint, start: bigint) => resign(signer.sign({ nodeId, contentId: ROOT, rangeStart: start, rangeEnd: start + 2000n, epoch }), { grant });
    const good = honest(ids[0], 0n);
    const other = generateSessionKey();
    const expiredGrant = await signGrant(await Secp256k1HdWallet.fromMnemonic(publisher.mnemonic, { prefix: "aro" }), terms({ nonce: 2n, expiresEpoch: epoch }));
    const refused: Array<[string, Receipt, RegExp]> = [
      ["expired grant", resign(good, { grant: expiredGrant, nonce: 11n }), /delivery grant has expired/],
      ["content out of scope", resign(good, { contentId: "6f".repeat(32), nonce: 12n }), /not in the delivery grant's scope/],
      ["forged grant signature", resign(good, { grant: { ...grant, capBytes: 1n << 40n }, nonce: 13n }), /not signed by its publisher/],
      ["receipt by another key", resign(good, { nonce: 14n }, other.privateKey), /receipt signature does not verify/],
    ];
    for (const [what, r, reason] of refused) await assert.rejects(provers[0].accept(r), reason, what);
    for (const [i, p] of provers.entries()) {
      await p.accept(i === 0 ? good : honest(ids[i], 0n));
      await p.accept(honest(ids[i], 2000n));
    }
    assert.deepEqual(await Promise.all(provers.map(async (p) => (await p.receiptsOf(epoch)).length)), [2, 2]);
  });

  it("after the epoch the agents claim and prove; the chain charges the publisher 6000 bytes, not 8000, and refuses bad claims with their codes", async () => {
    const stop = { done: false };
    const ticking = (async () => {
      let last = 0n;
      while (!stop.done) {
        const h = await height();
        if (h !== last) await Promise.all(provers.map((p) => p.tick(h)));
        last = h;
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    try {
      await waitHeight((epoch + 1n) * EPOCH + 1n);
      // node C (the owner operates it) claims receipts the chain refuses: forged grant, out of scope, another key; and an expired grant
      const signer = new GrantReceiptSigner(session, grant);
      const base = signer.sign({ nodeId: ids[2], contentId: ROOT, rangeStart: 0n, rangeEnd: 100n, epoch });
      const expiredGrant = await signGrant(await Secp256k1HdWallet.fromMnemonic(publisher.mnemonic, { prefix: "aro" }), terms({ nonce: 3n, expiresEpoch: epoch }));
      const bad: Array<[Receipt, number]> = [
        [resign(base, { grant: { ...grant, capBytes: 1n << 40n } }), 24],
        [resign(base, { contentId: "6f".repeat(32) }), 25],
        [resign(base, { grant: expiredGrant }), 26],
        [resign(base, {}, generateSessionKey().privateKey), 7],
      ];
      for (const [r, code] of bad) {
        const res = await ownerClient.signAndBroadcast(owner.address, [{ typeUrl: "/aro.gpow.v1.MsgSubmitClaim", value: new EpochClaim([r]).claim(owner.address, ids[2], epoch) }], FEE);
        assert.equal(res.code, code, res.rawLog);
      }
      // both agents' claims are proven (each by a grant receipt), then paid once the proof window is over
      await eventually(async () => {
        for (const nodeId of ids.slice(0, 2)) assert.equal((await q.aro.gpow.Claim({ nodeId, epoch })).claim!.status, ClaimStatus.CLAIM_STATUS_ACCEPTED);
      }, 120_000, 300);
      await waitHeight((epoch + 1n) * EPOCH + CLAIM_WINDOW + PROOF_WINDOW + 2n);
      const claims = await eventually(async () => {
        const cs = await Promise.all(ids.slice(0, 2).map(async (nodeId) => (await q.aro.gpow.Claim({ nodeId, epoch })).claim!));
        assert.ok(cs.every((c) => c.customerPaid !== "0"), "not paid yet");
        return cs;
      }, 30_000, 200);
      const lines = claims.map((c) => c.clientTotals[0]);
      assert.deepEqual(lines.map((t) => t.bytes), [4000n, 4000n]);
      assert.deepEqual(lines.map((t) => t.grantBytes).sort(), [2000n, 4000n], "the first claim on chain was charged all it asked, the other what the cap had left");
      assert.equal(claims.reduce((s, c) => s + BigInt(c.customerPaid), 0n), CAP);
      const { usage } = await q.aro.gpow.GrantUsage({ grantId: grantId(grant) });
      assert.deepEqual([usage!.chargedBytes, usage!.capBytes, usage!.publisher], [CAP, CAP, publisher.address]);
      const rest = await (await fetch(`${node.api}/aro/gpow/v1/grant_usage/${grantId(grant)}`)).json() as { usage: Record<string, string> };
      assert.deepEqual([rest.usage.charged_bytes, rest.usage.cap_bytes, rest.usage.revoked_from_epoch], ["6000", "6000", "0"], JSON.stringify(rest));
      assert.deepEqual(await (await fetch(`${node.api}/aro/gpow/v1/grant_usage/${"0".repeat(64)}`)).json(), { usage: null }, "nothing charged under an unknown grant");
      await assert.rejects(q.aro.gpow.Claim({ nodeId: ids[2], epoch }), /no claim/);
    } finally {
      stop.done = true;
      await ticking;
    }
    const escrow = (await q.aro.market.Escrow({ owner: publisher.address })).escrow!;
    assert.equal(escrow.paid, CAP.toString(), "the publisher paid for 6000 bytes, at 1 uaro a byte");
    // settlement: the nodes' delivery income is the publisher's payment
    await eventually(async () => assert.equal((await q.aro.settlement.Epoch({ epoch })).settlement!.phase, EpochPhase.EPOCH_PHASE_SETTLED), 120_000, 300);
    const paid = await Promise.all(ids.slice(0, 2).map(async (nodeId) => BigInt((await q.aro.settlement.Explain({ nodeId, epoch })).record!.work!.deliveryPaid)));
    assert.equal(paid[0] + paid[1], CAP);
  });
});
