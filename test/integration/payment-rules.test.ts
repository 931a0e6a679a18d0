import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { NatType, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { MsgPublishContentResponse } from "../../proto/gen/aro/market/v1/tx.ts";
import { QueryNodeRequest, QueryNodeResponse } from "../../proto/gen/aro/peernode/v1/query.ts";
import { QueryClaimRequest, QueryClaimResponse, QueryParamsRequest as GpowParamsRequest, QueryParamsResponse as GpowParamsResponse } from "../../proto/gen/aro/gpow/v1/query.ts";
import { QueryAllotmentRequest, QueryAllotmentResponse, QueryEscrowRequest, QueryEscrowResponse, QueryParamsRequest, QueryParamsResponse } from "../../proto/gen/aro/market/v1/query.ts";
import { QueryEpochRequest, QueryEpochResponse, QueryExplainRequest, QueryExplainResponse } from "../../proto/gen/aro/settlement/v1/query.ts";
import { EpochPhase } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import { ClaimStatus, type Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { deliveryCostAt } from "../../protocol/delivery.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import { scratchContext } from "../../chain/scratch-context.ts";
import { peernodeKeeper } from "../../modules/peernode/keeper.ts";
import { BOND_POOL } from "../../modules/peernode/keys.ts";
import { authKeeper, moduleAddress } from "../../modules/auth/keeper.ts";
import { bankKeeper } from "../../modules/bank/keeper.ts";
import { AgentDb } from "../../workers/runtime/state-db.ts";
import type { ChainClient } from "../../workers/runtime/chain-client.ts";
import { Blockstore } from "../../client/content/blockstore.ts";
import { GpowProver } from "../../workers/gpow/prover.ts";
import { EpochClaim } from "../../workers/gpow/epoch-claim.ts";
import { AppHarness, HarnessAccount } from "../support/app-harness.ts";

const GB = 1_000_000_000n;
const EPOCH = 10n;
const CLAIM_WINDOW = 3n;
const PROOF_WINDOW = 3n;
const uaro = (n: bigint) => ({ denom: "uaro", amount: n.toString() });

/** A chain of the real app with short epochs and windows, an owner and a customer. */
async function chain(tag: string, gpow: Record<string, string> = {}, peernode: Record<string, string> = {}) {
  const [owner, customer] = ["owner", "customer"].map((s) => new HarnessAccount(`${s}-${tag}`));
  const app = await AppHarness.create([owner, customer], "100000000000uaro", (g) => {
    Object.assign(g.settlement.params, { epochLength: EPOCH.toString(), unreportedUptimePermille: 1000 });
    Object.assign(g.gpow.params, { claimWindow: CLAIM_WINDOW.toString(), proofWindow: PROOF_WINDOW.toString(), alwaysProveBytes: (1n << 60n).toString(), storageWindow: "5", ...gpow });
    Object.assign(g.watcher.params, { attestWindow: "3" });
    Object.assign(g.peernode.params, { minBond: "1000000", ...peernode });
  });
  const register = async (bond: bigint, commission = "0.05") => {
    const peerId = peerIdFromPrivateKey(await generateKeyPair("Ed25519")).toString();
    await app.send(owner, [{
      typeUrl: "/aro.peernode.v1.MsgRegisterNode",
      value: {
        owner: owner.address, operator: owner.address, peerId, multiaddrs: ["/ip4/127.0.0.1/tcp/4001"], endpoints: [], region: "europe",
        resources: { bandwidthMbps: 100n, storageGb: 100n, cpuMillicores: 1000n, memoryMb: 1024n, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC,
        services: [Service.SERVICE_CDN], commission, bond: uaro(bond),
      },
    }]);
  };
  const claim = (nodeId: bigint, epoch: bigint) => app.query("/aro.gpow.v1.Query/Claim", QueryClaimRequest, QueryClaimResponse, { nodeId, epoch }).then((r) => r.claim!);
  const node = (nodeId: bigint) => app.query("/aro.peernode.v1.Query/Node", QueryNodeRequest, QueryNodeResponse, { nodeId }).then((r) => r.node!);
  const balance = async (address: string) => BigInt((await app.query("/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest, QueryBalanceResponse, { address, denom: "uaro" })).balance!.amount);
  /** Runs blocks until every claim of `epoch` is resolved (accepted or void). */
  const resolve = async (epoch: bigint) => app.until((epoch + 1n) * EPOCH + CLAIM_WINDOW + PROOF_WINDOW + 2n);
  return { app, owner, customer, register, claim, node, balance, resolve };
}

const ids = (results: Array<{ code: number; log: string; responses: Array<{ value: Uint8Array }> }>) => {
  assert.ok(results.every((r) => r.code === 0), results.map((r) => r.log).join("\n"));
  return results.map((r) => MsgRegisterNodeResponse.decode(r.responses[0].value).nodeId);
};

describe("payments and penalties: a node is paid for what its checks approved, an offender cannot dodge its penalty", function () {
  this.timeout(300_000);

  it("escrow over-commitment: each node's agent counts only what the customer allotted to it, so every receipt it kept is paid, whatever the customer does with the rest", async () => {
    const { app, owner, customer, register, claim } = await chain("allot");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-allot-"));
    try {
      await register(10_000_000n);
      await register(10_000_000n);
      await app.send(customer, [{ typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: customer.address, amount: uaro(1000n) } }]);
      const [n1, n2] = ids((await app.block()).slice(0, 2));
      // the customer sets 400 aside for each node (the rest, 200, stays in its balance)
      await app.send(customer, [n1, n2].map((nodeId) => ({ typeUrl: "/aro.market.v1.MsgAllotEscrow", value: { owner: customer.address, nodeId, amount: uaro(400n) } })));
      await app.block();
      // late in epoch 0 it asks for its balance back: unlocked at the end of epoch 0's claim window, before any epoch-1 claim
      const spendable = BigInt((await app.query("/aro.market.v1.Query/Escrow", QueryEscrowRequest, QueryEscrowResponse, { owner: customer.address })).escrow!.balance);
      await app.until(EPOCH - 2n);
      await app.send(customer, [{ typeUrl: "/aro.market.v1.MsgWithdrawEscrow", value: { owner: customer.address, amount: uaro(spendable) } }]);
      await app.block();
      await app.until(EPOCH);
      // epoch 1: it takes 100 of node 1's allotment back before being served (thawing: the agent does not count it)
      await app.send(customer, [{ typeUrl: "/aro.market.v1.MsgUnallotEscrow", value: { owner: customer.address, nodeId: n1, amount: uaro(100n) } }]);
      await app.block();

      // each node's real agent logic (GpowProver) reads this chain
      const fake = {
        address: owner.address,
        height: async () => app.height,
        q: {
          aro: {
            market: {
              Params: (r: object) => app.query("/aro.market.v1.Query/Params", QueryParamsRequest, QueryParamsResponse, r),
              Escrow: (r: { owner: string }) => app.query("/aro.market.v1.Query/Escrow", QueryEscrowRequest, QueryEscrowResponse, r),
              Allotment: (r: { owner: string; nodeId: bigint }) => app.query("/aro.market.v1.Query/Allotment", QueryAllotmentRequest, QueryAllotmentResponse, r),
            },
            gpow: { Params: (r: object) => app.query("/aro.gpow.v1.Query/Params", GpowParamsRequest, GpowParamsResponse, r) },
          },
        },
      } as unknown as ChainClient;
      const windows = { epochLength: EPOCH, claimWindow: CLAIM_WINDOW, proofWindow: PROOF_WINDOW };
      const log = pino({ level: "silent" });
      const epoch = 1n;
      const signer = await customer.receiptSigner();
      const price = decFromString((await app.query("/aro.market.v1.Query/Params", QueryParamsRequest, QueryParamsResponse, {})).params!.prices!.perGbDelivered);
      const provers = new Map<bigint, GpowProver>();
      const kept = new Map<bigint, Receipt[]>();
      for (const n of [n1, n2]) {
        const db = await AgentDb.open(path.join(dir, `db-${n}`));
        provers.set(n, new GpowProver({ chain: fake, db, store: new Blockstore(path.join(dir, `blocks-${n}`)), log }, { nodeId: n, owner: owner.address, windows }));
        kept.set(n, []);
        // the customer asks each node for 8 deliveries of 100 MB (100 uaro each at 1000 uaro/GB): 800 uaro per node, 1,600 in all
        for (let i = 0; i < 8; i++) {
          const r = await signer.sign({ nodeId: n, contentId: "ab".repeat(32), rangeStart: 0n, rangeEnd: GB / 10n, epoch, nonce: BigInt(i + 1) });
          try {
            await provers.get(n)!.accept(r);
            kept.get(n)!.push(r);
          } catch (err) {
            if (process.env.DEBUG_ALLOT) console.log(n, i, (err as Error).message);
            // refused: the node serves no more to this customer
          }
        }
      }
      // having been served, the customer takes node 1's allotment back: it thaws until epoch 1's claim window has closed
      await app.send(customer, [{ typeUrl: "/aro.market.v1.MsgUnallotEscrow", value: { owner: customer.address, nodeId: n1, amount: uaro(300n) } }]);
      await app.block();

      // claims in epoch 1's claim window; proofs for whatever the seed asks
      await app.until((epoch + 1n) * EPOCH);
      const trees = new Map<bigint, EpochClaim>();
      for (const n of [n1, n2]) {
        const receipts = await provers.get(n)!.receiptsOf(epoch);
        if (receipts.length === 0) continue;
        trees.set(n, new EpochClaim(receipts));
        await app.send(owner, [{ typeUrl: "/aro.gpow.v1.MsgSubmitClaim", value: trees.get(n)!.claim(owner.address, n, epoch) }]);
      }
      const claimed = await app.block();
      assert.ok(claimed.every((r) => r.code === 0), claimed.map((r) => r.log).join("\n"));
      await app.until((epoch + 1n) * EPOCH + CLAIM_WINDOW + 1n);
      for (const [n, tree] of trees) {
        const c = await claim(n, epoch);
        if (c.openOffsets.length) await app.send(owner, c.openOffsets.map((offset) => ({ typeUrl: "/aro.gpow.v1.MsgSubmitProof", value: { operator: owner.address, nodeId: n, epoch, offset, ...tree.proof(offset) } })));
      }
      await app.block();
      await app.until((epoch + 1n) * EPOCH + CLAIM_WINDOW + PROOF_WINDOW + 2n);

      const lines: string[] = [];
      let owedAll = 0n;
      let paidAll = 0n;
      for (const n of [n1, n2]) {
        const owed = deliveryCostAt(kept.get(n)!.reduce((s, r) => s + r.bytes, 0n), price);
        const c = trees.has(n) ? await claim(n, epoch) : undefined;
        const paid = BigInt(c?.customerPaid || "0");
        lines.push(`node ${n}: kept ${kept.get(n)!.length} receipts worth ${owed}uaro, paid ${paid}uaro (${c ? ClaimStatus[c.status] : "no claim"})`);
        owedAll += owed;
        paidAll += paid;
      }
      // the statement: a node that accepted receipts its own checks approved is paid for every one of them
      assert.equal(paidAll, owedAll, lines.join("; "));
      assert.deepEqual(lines, [
        `node ${n1}: kept 3 receipts worth 300uaro, paid 300uaro (CLAIM_STATUS_ACCEPTED)`,
        `node ${n2}: kept 4 receipts worth 400uaro, paid 400uaro (CLAIM_STATUS_ACCEPTED)`,
      ], "each node served up to what was allotted to it and not thawing");
      const left = (await app.query("/aro.market.v1.Query/Allotment", QueryAllotmentRequest, QueryAllotmentResponse, { owner: customer.address, nodeId: n1 })).allotment!;
      assert.deepEqual([left.amount, left.thawing], ["0", "0"], "node 1's thawed allotment is back in the balance, less what its claim drew");
      assert.deepEqual(app.broken(), [], "invariants hold");
      for (const p of provers.values()) await (p as unknown as { db: AgentDb }).db.close();
    } finally {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("needsProof is decided on the bond the claim was made with: raising the bond once the proof seed is known does not turn an always-proven claim into a lottery ticket", async () => {
    // p = 10^-6: a claim worth W costs W(1-p)/p ≈ 10^6 W if voided; with W = 10 uaro that is above a 1,000,000 bond, so the claim must be proven
    const { app, owner, customer, register, claim, resolve } = await chain("snapshot", { proveProbability: "0.000001" });
    try {
      await register(1_000_000n);
      await app.send(customer, [{ typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: customer.address, amount: uaro(1_000_000n) } }]);
      const [n] = ids((await app.block()).slice(0, 1));
      const epoch = 1n;
      await app.until(EPOCH);
      const signer = await customer.receiptSigner();
      const tree = new EpochClaim([await signer.sign({ nodeId: n, contentId: "ab".repeat(32), rangeStart: 0n, rangeEnd: GB / 100n, epoch, nonce: 1n })]);
      await app.until((epoch + 1n) * EPOCH);
      await app.send(owner, [{ typeUrl: "/aro.gpow.v1.MsgSubmitClaim", value: tree.claim(owner.address, n, epoch) }]);
      const [claimed] = await app.block();
      assert.equal(claimed.code, 0, claimed.log);
      // the proof seed is fixed after the claim window: the node could now see it was not drawn, and raises its bond instead of proving
      await app.until((epoch + 1n) * EPOCH + CLAIM_WINDOW + 1n);
      await app.send(owner, [{ typeUrl: "/aro.peernode.v1.MsgAddGuarantee", value: { backer: owner.address, nodeId: n, amount: uaro(50_000_000n) } }]);
      const [added] = await app.block();
      assert.equal(added.code, 0, added.log);
      await resolve(epoch);
      const c = await claim(n, epoch);
      assert.equal(ClaimStatus[c.status], "CLAIM_STATUS_VOID", `the unproven claim must be void, it is ${ClaimStatus[c.status]} (paid ${c.customerPaid})`);
      assert.equal(c.bond, "1000000", "the claim records the bond it was made with");
    } finally {
      await app.close();
    }
  });

  it("deregistering after a claim does not escape its penalty: the void claim's slash reaches the unbonding guarantee", async () => {
    const { app, owner, customer, register, claim, resolve, balance } = await chain("unbond", { proveProbability: "0.000001" }, { unbondingTime: "40" });
    try {
      const BOND = 10_000_000n;
      await register(BOND);
      await app.send(customer, [{ typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: customer.address, amount: uaro(1_000_000n) } }]);
      const [n] = ids((await app.block()).slice(0, 1));
      const epoch = 1n;
      await app.until(EPOCH);
      const signer = await customer.receiptSigner();
      // worth 100,000 uaro: a void costs max(5% of the bond, 100,000 × (1-p)/p), capped at the whole bond; it must be proven
      const tree = new EpochClaim([await signer.sign({ nodeId: n, contentId: "ab".repeat(32), rangeStart: 0n, rangeEnd: 100n * GB, epoch, nonce: 1n })]);
      await app.until((epoch + 1n) * EPOCH);
      await app.send(owner, [{ typeUrl: "/aro.gpow.v1.MsgSubmitClaim", value: tree.claim(owner.address, n, epoch) }]);
      assert.equal((await app.block())[0].code, 0);
      // no proof will come: the owner deregisters at once, its whole bond starts unbonding
      await app.send(owner, [{ typeUrl: "/aro.peernode.v1.MsgDeregisterNode", value: { owner: owner.address, nodeId: n } }]);
      const [dereg] = await app.block();
      assert.equal(dereg.code, 0, dereg.log);
      const before = await balance(owner.address);
      await resolve(epoch);
      assert.equal(ClaimStatus[(await claim(n, epoch)).status], "CLAIM_STATUS_VOID");
      // the unbonding completes 40 s (blocks) after deregistration
      await app.until(app.height + 45n);
      const returned = (await balance(owner.address)) - before;
      assert.ok(returned < BOND, `the owner got ${returned} of its ${BOND} bond back after a void claim (before the fix: all of it)`);
      assert.equal(returned, 0n, "the void claim's penalty (worth × (1-p)/p, capped at the bond) reached the unbonding bond in full");
      assert.deepEqual(app.broken(), [], "invariants hold");
    } finally {
      await app.close();
    }
  });

  it("deregistering during an epoch does not escape a missed storage challenge: the slash reaches the unbonding guarantee", async () => {
    const { app, owner, customer, register, balance } = await chain("storage-leave", {}, { unbondingTime: "60" });
    try {
      const BOND = 10_000_000n;
      await register(BOND);
      await app.send(customer, [{ typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: customer.address, amount: uaro(10_000_000n) } }]);
      const [n] = ids((await app.block()).slice(0, 1));
      await app.send(customer, [{ typeUrl: "/aro.market.v1.MsgPublishContent", value: { owner: customer.address, root: "07".repeat(32), size: 4096n, replication: 1, regions: ["europe"], epochs: 5n } }]);
      const [published] = await app.block();
      assert.equal(published.code, 0, published.log);
      const contentId = MsgPublishContentResponse.decode(published.responses[0].value).contentId;
      await app.send(owner, [{ typeUrl: "/aro.market.v1.MsgAckReplica", value: { operator: owner.address, nodeId: n, contentId } }]);
      const [acked] = await app.block();
      assert.equal(acked.code, 0, acked.log);
      // epoch 1 challenges the acked replica; the node never answers and deregisters in the middle of it
      await app.until(EPOCH + 2n);
      await app.send(owner, [{ typeUrl: "/aro.peernode.v1.MsgDeregisterNode", value: { owner: owner.address, nodeId: n } }]);
      const [dereg] = await app.block();
      assert.equal(dereg.code, 0, dereg.log);
      const before = await balance(owner.address);
      await app.until(app.height + 65n); // epoch 1 settles, then the unbonding completes
      const returned = (await balance(owner.address)) - before;
      assert.equal(returned, BOND - BOND / 100n, `1% (storage_slash_fraction) of the leaving bond is burned for the missed challenge (before the fix: ${BOND} came back)`);
      assert.deepEqual(app.broken(), [], "invariants hold");
    } finally {
      await app.close();
    }
  });

  it("a backer keeps at most 7 unbonding entries open behind a node (peernode/17), so a slash reads a bounded list", async () => {
    const { app, owner, register } = await chain("entries");
    try {
      await register(20_000_000n);
      const [n] = ids((await app.block()).slice(0, 1));
      const codes: number[] = [];
      for (let i = 0; i < 8; i++) {
        await app.send(owner, [{ typeUrl: "/aro.peernode.v1.MsgRemoveGuarantee", value: { backer: owner.address, nodeId: n, amount: uaro(1_000_000n) } }]);
        codes.push((await app.block())[0].code);
      }
      assert.deepEqual(codes, [0, 0, 0, 0, 0, 0, 0, 17]);
    } finally {
      await app.close();
    }
  });

  it("slash reaches unbonding entries that left at or after the infraction, never those that left before it", () => {
    const ctx = scratchContext({ get: () => undefined, iterate: () => [] }, 100n);
    authKeeper.getOrCreateModuleAccount(ctx.store, BOND_POOL, ["burner"]);
    // the bond account holds the node's 1000 and the two unbonding entries' 2000
    bankKeeper.setBalance(ctx.store, moduleAddress(BOND_POOL), "uaro", 3_000n);
    bankKeeper.setSupply(ctx.store, "uaro", 3_000n);
    peernodeKeeper.setNode(ctx.store, { ...emptyNode(), id: 1n, owner: "o", guaranteeTokens: "1000", guaranteeShares: (1000n * DEC_ONE).toString() });
    peernodeKeeper.addUnbonding(ctx.store, 5_000n, 1n, "early", 1000n, 40n); // left before the infraction at 50
    peernodeKeeper.addUnbonding(ctx.store, 5_001n, 1n, "late", 1000n, 60n); // left after it
    const burned = peernodeKeeper.slash(ctx, 1n, DEC_ONE / 10n, "test", { height: 50n });
    assert.equal(burned, 200n, "10% of the 1000 still bonded and of the 1000 that left after the infraction");
    const left = Object.fromEntries(peernodeKeeper.allUnbondings(ctx.store).map((u) => [u.backer, u.amount]));
    assert.deepEqual(left, { early: 1000n, late: 900n });
  });

  it("a second commission change cannot reprice an epoch that has started: epoch 1 is paid at the rate in force in epoch 1", async () => {
    const { app, owner, register, resolve } = await chain("commission");
    try {
      await register(10_000_000n, "0.10");
      const [n] = ids((await app.block()).slice(0, 1));
      const update = (commission: string) => app.send(owner, [{ typeUrl: "/aro.peernode.v1.MsgUpdateNode", value: { owner: owner.address, nodeId: n, commission } }]);
      // epoch 1: 0.11 announced (in force from epoch 2); epoch 2's first block: 0.12 announced (from epoch 3), before epoch 1 is settled
      await app.until(EPOCH + 2n);
      await update("0.11");
      assert.equal((await app.block())[0].code, 0);
      await app.until(2n * EPOCH);
      await update("0.12");
      const [second] = await app.block();
      assert.equal(second.code, 0, second.log);
      await resolve(1n);
      for (let i = 0; i < 100; i++) {
        const s = (await app.query("/aro.settlement.v1.Query/Epoch", QueryEpochRequest, QueryEpochResponse, { epoch: 1n })).settlement;
        if (s?.phase === EpochPhase.EPOCH_PHASE_SETTLED) break;
        await app.block();
      }
      const { record } = await app.query("/aro.settlement.v1.Query/Explain", QueryExplainRequest, QueryExplainResponse, { nodeId: n, epoch: 1n });
      const reward = BigInt(record!.reward);
      assert.ok(reward > 0n, "the node earned something in epoch 1");
      assert.equal(BigInt(record!.commission), (reward * 10n) / 100n, `epoch 1's commission at 10% of ${reward}, not 11%`);
    } finally {
      await app.close();
    }
  });
});

function emptyNode() {
  return {
    id: 0n, owner: "", operator: "", peerId: "", multiaddrs: [], endpoints: [], region: "europe", resources: undefined, natType: 0, services: [],
    commission: "0.100000000000000000", status: 1, guaranteeTokens: "0", guaranteeShares: "0", registeredHeight: 0n, rewardPerShare: "0", ownerCommission: "0",
    slashes: 0n, maxCommissionRate: "", maxCommissionChangeRate: "", pendingCommission: "", pendingCommissionEpoch: 0n,
  };
}
