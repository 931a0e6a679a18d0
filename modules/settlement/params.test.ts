import assert from "node:assert/strict";
import { scratchContext } from "../../chain/scratch-context.ts";
import { govAuthority } from "../../chain/params-route.ts";
import { defaultSettlementParams, settlementParams, validateSettlementParams } from "./params.ts";
import { settlementMsgs } from "./msgs.ts";
import { recordRetention } from "./retention.ts";
import { settlementStore } from "./store.ts";

const route = settlementMsgs.find((r) => r.typeUrl === "/aro.settlement.v1.MsgUpdateParams")!;

describe("settlement params: record_retention_epochs and max_record_prunes_per_block", () => {
  it("default to 100 settled epochs and 1000 deletions per block", () => {
    assert.equal(defaultSettlementParams.recordRetentionEpochs, 100n);
    assert.equal(defaultSettlementParams.maxRecordPrunesPerBlock, 1000);
    validateSettlementParams(defaultSettlementParams);
  });

  it("are validated: retention at least 2 epochs, a positive bound; MsgUpdateParams refuses the rest", () => {
    for (const recordRetentionEpochs of [0n, 1n]) {
      assert.throws(() => validateSettlementParams({ ...defaultSettlementParams, recordRetentionEpochs }), /record_retention_epochs must be at least 2/);
    }
    assert.throws(() => validateSettlementParams({ ...defaultSettlementParams, maxRecordPrunesPerBlock: 0 }), /max_record_prunes_per_block must be positive/);
    validateSettlementParams({ ...defaultSettlementParams, recordRetentionEpochs: 2n, maxRecordPrunesPerBlock: 1 });
    assert.throws(() => route.validate?.({ authority: govAuthority(), params: { ...defaultSettlementParams, recordRetentionEpochs: 1n } }), /record_retention_epochs/);
    const ctx = scratchContext({ get: () => undefined, iterate: () => [] }, 1n);
    settlementParams.set(ctx.store, defaultSettlementParams);
    const params = { ...defaultSettlementParams, recordRetentionEpochs: 7n, maxRecordPrunesPerBlock: 5 };
    route.validate?.({ authority: govAuthority(), params });
    route.handle(ctx, { authority: govAuthority(), params });
    assert.equal(settlementParams.get(ctx.store).recordRetentionEpochs, 7n, "governed through MsgUpdateParams");
    assert.equal(recordRetention.budget(ctx.store), 5);
  });

  it("what may be pruned: epochs <= settled-through - retention; nothing for params stored before the field existed", () => {
    const ctx = scratchContext({ get: () => undefined, iterate: () => [] }, 1n);
    settlementParams.set(ctx.store, { ...defaultSettlementParams, recordRetentionEpochs: 3n });
    assert.equal(recordRetention.prunableThrough(ctx.store), -4n, "nothing settled");
    settlementStore.nextToSettle.set(ctx.store, 10n); // settled through 9
    assert.equal(recordRetention.prunableThrough(ctx.store), 6n);
    settlementParams.set(ctx.store, { ...defaultSettlementParams, recordRetentionEpochs: 0n });
    assert.equal(recordRetention.prunableThrough(ctx.store), -1n);
  });
});
