import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { NatType, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { QueryGrantUsageRequest, QueryGrantUsageResponse, QueryParamsRequest as GpowParamsRequest, QueryParamsResponse as GpowParamsResponse } from "../../proto/gen/aro/gpow/v1/query.ts";
import { QueryAllotmentRequest, QueryAllotmentResponse, QueryEscrowRequest, QueryEscrowResponse, QueryParamsRequest, QueryParamsResponse } from "../../proto/gen/aro/market/v1/query.ts";
import { Receipt, type DeliveryGrant } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { MsgSubmitClaim } from "../../proto/gen/aro/gpow/v1/tx.ts";
import { MAX_TX_BYTES } from "../../chain/tx/decode.ts";
import type { GrantTerms } from "../../chain/delivery-grant.ts";
import { signGrant } from "../../client/receipts/grant.ts";
import { GrantReceiptSigner, generateSessionKey, sessionKeyFrom } from "../../client/receipts/session-signer.ts";
import { Blockstore } from "../../client/content/blockstore.ts";
import type { ChainClient } from "../../workers/runtime/chain-client.ts";
import { AgentDb } from "../../workers/runtime/state-db.ts";
import { GpowProver } from "../../workers/gpow/prover.ts";
import { EpochClaim } from "../../workers/gpow/epoch-claim.ts";
import { AppHarness, HarnessAccount } from "../support/app-harness.ts";

const EPOCH = 10n;
const R1 = "a1".repeat(32);
const uaro = (n: bigint) => ({ denom: "uaro", amount: n.toString() });

/** A node's receipt intake (the GPoW prover, the agent's ReceiptSink) reading a real app: it keeps a grant's receipt only if the chain will pay it. */
describe("receipt intake of a grant's receipts: the node applies the chain's checks and the grant's cap", function () {
  this.timeout(300_000);
  const [owner, publisher] = ["owner", "publisher"].map((s) => new HarnessAccount(`intake-${s}`));
  const key = (a: HarnessAccount) => new Uint8Array(createHash("sha256").update(a.seed).digest());
  const session = sessionKeyFrom(new Uint8Array(createHash("sha256").update("intake-session").digest()));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-grant-intake-"));
  let app: AppHarness;
  let prover: GpowProver;
  let db: AgentDb;
  const nodes: bigint[] = [];
  const terms = (over: Partial<GrantTerms> = {}): GrantTerms => ({ chainId: app.chain.chainId, publisher: publisher.address, sessionKey: session.publicKey, roots: [R1], capBytes: 3000n, expiresEpoch: 5n, nonce: 1n, ...over });
  const sign = (g: DeliveryGrant, bytes: bigint, epoch = 1n, nodeId = nodes[0]) => new GrantReceiptSigner(session, g).sign({ nodeId, contentId: R1, rangeStart: 0n, rangeEnd: bytes, epoch });
  const resign = (r: Receipt, over: Partial<Receipt>, k = session.privateKey): Receipt => {
    const changed = { ...r, ...over, signature: new Uint8Array() };
    return { ...changed, signature: secp256k1.sign(Receipt.encode(changed).finish(), k) };
  };

  before(async () => {
    app = await AppHarness.create([owner, publisher], "100000000000uaro", (g) => {
      Object.assign(g.settlement.params, { epochLength: EPOCH.toString(), unreportedUptimePermille: 1000 });
      Object.assign(g.gpow.params, { claimWindow: "3", proofWindow: "3", storageWindow: "5", maxGrantEpochs: "20" });
      Object.assign(g.market.params.prices, { perGbDelivered: "1000000000.000000000000000000" });
      Object.assign(g.peernode.params, { minBond: "1000000" });
    });
    for (let i = 0; i < 2; i++) {
      await app.send(owner, [{
        typeUrl: "/aro.peernode.v1.MsgRegisterNode",
        value: {
          owner: owner.address, operator: owner.address, peerId: peerIdFromPrivateKey(await generateKeyPair("Ed25519")).toString(), multiaddrs: ["/ip4/127.0.0.1/tcp/4001"], endpoints: [], region: "europe",
          resources: { bandwidthMbps: 100n, storageGb: 100n, cpuMillicores: 1000n, memoryMb: 1024n, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC, services: [Service.SERVICE_CDN], commission: "0.05", bond: uaro(10_000_000n),
        },
      }]);
    }
    await app.send(publisher, [{ typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: publisher.address, amount: uaro(1_000_000n) } }]);
    nodes.push(...(await app.block()).slice(0, 2).map((r) => MsgRegisterNodeResponse.decode(r.responses[0].value).nodeId));
    await app.send(publisher, nodes.map((nodeId) => ({ typeUrl: "/aro.market.v1.MsgAllotEscrow", value: { owner: publisher.address, nodeId, amount: uaro(100_000n) } })));
    await app.block();
    const chain = {
      address: owner.address,
      chainId: app.chain.chainId,
      height: async () => app.height,
      q: {
        aro: {
          market: {
            Params: (r: object) => app.query("/aro.market.v1.Query/Params", QueryParamsRequest, QueryParamsResponse, r),
            Escrow: (r: { owner: string }) => app.query("/aro.market.v1.Query/Escrow", QueryEscrowRequest, QueryEscrowResponse, r),
            Allotment: (r: { owner: string; nodeId: bigint }) => app.query("/aro.market.v1.Query/Allotment", QueryAllotmentRequest, QueryAllotmentResponse, r),
          },
          gpow: {
            Params: (r: object) => app.query("/aro.gpow.v1.Query/Params", GpowParamsRequest, GpowParamsResponse, r),
            GrantUsage: (r: { grantId: string }) => app.query("/aro.gpow.v1.Query/GrantUsage", QueryGrantUsageRequest, QueryGrantUsageResponse, r),
          },
        },
      },
    } as unknown as ChainClient;
    db = await AgentDb.open(path.join(dir, "db"));
    prover = new GpowProver({ chain, db, store: new Blockstore(path.join(dir, "blocks")), log: pino({ level: "silent" }) }, { nodeId: nodes[0], owner: owner.address, windows: { epochLength: EPOCH, claimWindow: 3n, proofWindow: 3n } });
    await app.until(EPOCH + 1n);
  });
  after(async () => {
    await db?.close();
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps a sound receipt; refuses forged grant, another chain, out of scope, expired, another key, the node's own session key, each with the reason", async () => {
    const g = await signGrant(key(publisher), terms());
    const good = sign(g, 1000n);
    const ownerSession = sessionKeyFrom(key(owner));
    const other = sessionKeyFrom(new Uint8Array(createHash("sha256").update("intake-other").digest()));
    const cases: Array<[string, Receipt, RegExp]> = [
      ["forged grant", resign(good, { grant: { ...g, capBytes: 1n << 40n } }), /publisher's signature does not verify: delivery grant is not signed by its publisher/],
      ["another chain", sign(await signGrant(key(publisher), terms({ chainId: "aro-other-1" })), 1000n), /grant is for chain "aro-other-1".*: invalid delivery grant/],
      ["out of scope", resign(good, { contentId: "c3".repeat(32) }), /not one of the grant's 1 roots: content is not in the delivery grant's scope/],
      ["expired", resign(sign(await signGrant(key(publisher), terms({ nonce: 2n, expiresEpoch: 1n })), 10n, 0n), { epoch: 1n }), /pays for epochs before 1.*: delivery grant has expired/],
      ["another key", { ...good, signature: secp256k1.sign(Receipt.encode({ ...good, signature: new Uint8Array() }).finish(), other.privateKey) }, /receipt signature does not verify/],
      ["the node's own session key", new GrantReceiptSigner(ownerSession, await signGrant(key(publisher), terms({ nonce: 3n, sessionKey: ownerSession.publicKey }))).sign({ nodeId: nodes[0], contentId: R1, rangeStart: 0n, rangeEnd: 10n, epoch: 1n }), /self-dealing/],
    ];
    for (const [what, r, reason] of cases) await assert.rejects(prover.accept(r), reason, what);
    await prover.accept(good);
    assert.deepEqual((await prover.receiptsOf(1n)).map((r) => r.nonce), [good.nonce]);
  });

  it("keeps no more under a grant than its cap has left: its own unclaimed receipts, then what other nodes' claims took on chain", async () => {
    const g = await signGrant(key(publisher), terms({ nonce: 10n }));
    const first = sign(g, 2000n);
    await prover.accept(first);
    // a session key holder can sign past its cap (its own signer refuses to): the node still keeps only what the cap covers
    const more = (start: bigint, end: bigint, total: bigint, nonce: bigint) => resign(first, { rangeStart: start, rangeEnd: end, bytes: end - start, totalBytes: total, nonce });
    await assert.rejects(prover.accept(more(2000n, 3500n, 3500n, 1n)), /caps 3000 bytes: 0 already charged on chain and 3500 unclaimed at this node/);
    await prover.accept(more(2000n, 3000n, 3000n, 2n));

    // another grant: node 2 claims 2500 of its 3000 bytes on chain first
    const h = await signGrant(key(publisher), terms({ nonce: 11n }));
    const other = new EpochClaim([sign(h, 2500n, 1n, nodes[1])]);
    await app.until(2n * EPOCH);
    await app.send(owner, [{ typeUrl: "/aro.gpow.v1.MsgSubmitClaim", value: other.claim(owner.address, nodes[1], 1n) }]);
    assert.equal((await app.block())[0].code, 0);
    // a receipt of epoch 2 (the current one) for 1000 bytes: 2500 + 1000 > 3000
    await assert.rejects(prover.accept(sign(h, 1000n, 2n)), /caps 3000 bytes: 2500 already charged on chain and 1000 unclaimed/);
    await prover.accept(sign(h, 500n, 2n));
  });

  it("refuses the receipts of a grant its publisher revoked, from the revocation's next epoch", async () => {
    const g = await signGrant(key(publisher), terms({ nonce: 20n, expiresEpoch: 8n }));
    await app.send(publisher, [{ typeUrl: "/aro.gpow.v1.MsgRevokeDeliveryGrant", value: { publisher: publisher.address, grant: g } }]);
    assert.equal((await app.block())[0].code, 0);
    await prover.accept(sign(g, 100n, 2n));
    await app.until(3n * EPOCH);
    await assert.rejects(prover.accept(sign(g, 100n, 3n)), /was revoked by aro1\w+ from epoch 3; the receipt is for epoch 3/);
  });

  it("keeps no more grant lines in an epoch than their tallies fit in one claim tx (a grant's tally is larger than a client's)", async () => {
    const epoch = app.height / EPOCH;
    const roots = Array.from({ length: 8 }, (_, i) => (i ? i.toString(16).padStart(2, "0").repeat(32) : R1));
    let kept = 0;
    for (;;) {
      const s = generateSessionKey();
      const g = await signGrant(key(publisher), terms({ nonce: 1000n + BigInt(kept), roots, sessionKey: s.publicKey, capBytes: 1n << 40n, expiresEpoch: epoch + 5n }));
      try {
        await prover.accept(new GrantReceiptSigner(s, g).sign({ nodeId: nodes[0], contentId: R1, rangeStart: 0n, rangeEnd: 1n, epoch }));
        kept++;
      } catch (err) {
        assert.match((err as Error).message, /no more fit in its tx/);
        break;
      }
      assert.ok(kept < 500, "the prover keeps taking grant lines");
    }
    const claim = new EpochClaim(await prover.receiptsOf(epoch)).claim(owner.address, nodes[0], epoch);
    const bytes = MsgSubmitClaim.encode(claim).finish().length;
    assert.ok(kept > 200 && bytes + 2_000 < MAX_TX_BYTES, `${kept} grant lines of 8 roots make a claim of ${bytes} bytes`);
  });
});
