import assert from "node:assert/strict";
import { ClaimStatus } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { GenesisState, NatType, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { addressFromBytes } from "../../chain/address.ts";
import type { Context } from "../../chain/module.ts";
import { scratchContext } from "../../chain/scratch-context.ts";
import { sha256 } from "../../chain/seed.ts";
import { bankKeeper } from "../bank/keeper.ts";
import { initPeernodeGenesis } from "../peernode/genesis.ts";
import { peernodeMsgs } from "../peernode/msgs/index.ts";
import { defaultPeernodeParams } from "../peernode/params.ts";
import { defaultSettlementParams, settlementParams } from "../settlement/params.ts";
import { settlementStore } from "../settlement/store.ts";
import { submitClaim } from "./delivery.ts";
import { gpowKeeper as k } from "./keeper.ts";
import { defaultGpowParams } from "./params.ts";
import { pruneGpowRecords } from "./prune.ts";
import { gpowStore } from "./store.ts";

const L = 10n;
const alice = addressFromBytes(sha256("prune-alice").slice(0, 20));

/** Epochs 0..9 each with 3 claims, 2 seeds and 2 storage proofs; settled through 9 (retention 2: through 7 may go). */
function chain(height: bigint, o: { claimWindow?: bigint; resolved?: bigint; budget?: number } = {}): Context {
  const ctx = scratchContext({ get: () => undefined, iterate: () => [] }, height);
  settlementParams.set(ctx.store, { ...defaultSettlementParams, epochLength: L, recordRetentionEpochs: 2n, maxRecordPrunesPerBlock: o.budget ?? 1000 });
  settlementStore.nextToSettle.set(ctx.store, 10n);
  k.setParams(ctx.store, { ...defaultGpowParams, claimWindow: o.claimWindow ?? 2n, proofWindow: 2n });
  k.resolveEpoch.set(ctx.store, o.resolved ?? 10n);
  for (let e = 0n; e < 10n; e++) {
    for (let n = 1n; n <= 3n; n++) {
      k.setClaim(ctx.store, { nodeId: n, epoch: e, root: new Uint8Array(32), totalBytes: 1n, count: 1n, clientTotals: [], status: ClaimStatus.CLAIM_STATUS_ACCEPTED, submittedHeight: 0n, openOffsets: [], customerPaid: "0", bond: "0" });
    }
    k.setEpochSeed(ctx.store, e, new Uint8Array(32));
    k.setProofSeed(ctx.store, e, new Uint8Array(32));
    k.recordStorageProof(ctx.store, e, 1n, 5n);
    k.recordStorageProof(ctx.store, e, 2n, 5n);
  }
  return ctx;
}
const epochsLeft = (ctx: Context) => [...new Set(k.allClaims(ctx.store).map((c) => c.epoch))];
const total = (ctx: Context) => k.allClaims(ctx.store).length + gpowStore.epochSeeds.keys(ctx.store).length + gpowStore.proofSeeds.keys(ctx.store).length + gpowStore.storageProofs.keys(ctx.store).length;

describe("gpow prunes its claims, seeds and storage proofs after record_retention_epochs", () => {
  it("deletes epochs <= settled-through - retention, keeps the rest, bounded per block", () => {
    const ctx = chain(200n, { budget: 4 });
    assert.equal(total(ctx), 70);
    let blocks = 0;
    for (let before = total(ctx); ; before = total(ctx)) {
      pruneGpowRecords(ctx);
      assert.ok(before - total(ctx) <= 4, "at most max_record_prunes_per_block");
      if (before === total(ctx)) break;
      blocks++;
    }
    assert.equal(blocks, 14, "56 records, 4 a block");
    assert.deepEqual(epochsLeft(ctx), [8n, 9n]);
    assert.equal(total(ctx), 14);
    assert.equal(k.epochSeed(ctx.store, 7n), undefined);
    assert.ok(k.proofSeed(ctx.store, 8n) && k.storageProven(ctx.store, 9n, 2n, 5n));
    assert.equal(gpowStore.pruneEpoch.peek(ctx.store), 8n);
  });

  it("keeps epochs whose claims are not all resolved, or whose windows governance reopened", () => {
    const unresolved = chain(200n, { resolved: 4n });
    pruneGpowRecords(unresolved);
    assert.deepEqual(epochsLeft(unresolved), [4n, 5n, 6n, 7n, 8n, 9n], "claims of epoch 4 are unresolved: only 0..3 go");
    // epoch e ends at 10(e+1); claim + proof windows of 50 blocks: at height 100 only epochs 0..3 have closed them
    const reopened = chain(100n, { claimWindow: 48n });
    pruneGpowRecords(reopened);
    assert.deepEqual(epochsLeft(reopened), [4n, 5n, 6n, 7n, 8n, 9n]);
  });

  it("a claim for an epoch whose claims are resolved is refused, even inside a claim window governance lengthened", () => {
    const ctx = scratchContext({ get: () => undefined, iterate: () => [] }, 12n);
    settlementParams.set(ctx.store, { ...defaultSettlementParams, epochLength: L });
    k.setParams(ctx.store, { ...defaultGpowParams, claimWindow: 5n });
    initPeernodeGenesis(ctx, GenesisState.toJSON({ params: { ...defaultPeernodeParams, minBond: "1000000" }, nodes: [], guarantees: [], unbondings: [], nextNodeId: 1n, commissionHistory: [] }));
    bankKeeper.setBalance(ctx.store, alice, "uaro", 10n ** 12n);
    bankKeeper.setSupply(ctx.store, "uaro", 10n ** 12n);
    const register = peernodeMsgs.find((r) => r.typeUrl === "/aro.peernode.v1.MsgRegisterNode")!;
    const nodeId = MsgRegisterNodeResponse.decode(register.handle(ctx, {
      owner: alice, operator: alice, peerId: "12D3KooWPrune" + "A".repeat(40), multiaddrs: ["/ip4/127.0.0.1/tcp/4001"], endpoints: [], region: "europe",
      resources: { bandwidthMbps: 100n, storageGb: 1n, cpuMillicores: 1000n, memoryMb: 1024n, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC,
      services: [Service.SERVICE_CDN], commission: "0", bond: { denom: "uaro", amount: "2000000" }, maxCommissionRate: "", maxCommissionChangeRate: "",
    }).value).nodeId;
    k.resolveEpoch.set(ctx.store, 1n); // epoch 0 resolved (and perhaps pruned)
    const claim = { operator: alice, nodeId, epoch: 0n, root: new Uint8Array(32), totalBytes: 5n, count: 1n, clientTotals: [{ client: alice, bytes: 5n, tally: undefined, held: "0", grantBytes: 0n }] };
    assert.throws(() => submitClaim(ctx, claim), /already resolved/);
  });
});
