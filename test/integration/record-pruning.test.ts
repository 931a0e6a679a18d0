import assert from "node:assert/strict";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { NatType, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { QueryEpochRequest, QueryEpochResponse, QueryExplainRequest, QueryExplainResponse } from "../../proto/gen/aro/settlement/v1/query.ts";
import { EpochPhase } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import { QueryCommitteeRequest, QueryCommitteeResponse } from "../../proto/gen/aro/watcher/v1/query.ts";
import { QueryClaimRequest, QueryClaimResponse } from "../../proto/gen/aro/gpow/v1/query.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { gpowStore } from "../../modules/gpow/store.ts";
import { settlementStore } from "../../modules/settlement/store.ts";
import { watcherStore } from "../../modules/watcher/store.ts";
import { AppHarness, HarnessAccount } from "../support/app-harness.ts";

const EPOCH = 5n;
const RETENTION = 2n;
const PER_BLOCK = 3;
const NODES = 4;

/** Each module's per-epoch tables (every key starts with the epoch, 20 digits). */
const TABLES = {
  gpow: [gpowStore.claims.prefix, gpowStore.epochSeeds.prefix, gpowStore.proofSeeds.prefix, gpowStore.storageProofs.prefix],
  settlement: [settlementStore.work.prefix, settlementStore.epochs.prefix, settlementStore.records.prefix],
  watcher: [watcherStore.snapshots.prefix, watcherStore.reports.prefix, watcherStore.attested.prefix],
} as const;
type Module = keyof typeof TABLES;
const MODULES = Object.keys(TABLES) as Module[];

/** Every per-epoch key a module holds, with its epoch. */
function recordsOf(state: KVReader, m: Module): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const prefix of TABLES[m]) for (const [key] of state.iterate(prefix)) out.set(key, BigInt(key.slice(prefix.length, prefix.length + 20)));
  return out;
}
const epochsOf = (records: Map<string, bigint>) => [...new Set(records.values())].sort((a, b) => (a < b ? -1 : 1));

/**
 * The real app (every module) played for 16 short epochs with record_retention_epochs 2
 * and max_record_prunes_per_block 3: settlement writes an epoch entry and a record for
 * each of 4 nodes every epoch (5 a epoch, more than one block's bound), gpow two seeds
 * and watcher a snapshot.
 */
describe("settled module records are pruned after record_retention_epochs (bounded per block)", function () {
  let app: AppHarness;
  let node: bigint;
  const deletedPerBlock: Array<Record<Module, bigint[]>> = [];

  before(async () => {
    const owner = new HarnessAccount("record-pruning-owner");
    app = await AppHarness.create([owner], "100000000000uaro", (g) => {
      Object.assign(g.settlement.params, {
        epochLength: EPOCH.toString(), unreportedUptimePermille: 1000, recordRetentionEpochs: RETENTION.toString(), maxRecordPrunesPerBlock: PER_BLOCK,
      });
      Object.assign(g.gpow.params, { claimWindow: "1", proofWindow: "1", storageWindow: "2" });
      Object.assign(g.watcher.params, { attestWindow: "1" });
      Object.assign(g.peernode.params, { minBond: "1000000" });
    });
    for (let i = 0; i < NODES; i++) {
      const peerId = peerIdFromPrivateKey(await generateKeyPair("Ed25519")).toString();
      await app.send(owner, [{
        typeUrl: "/aro.peernode.v1.MsgRegisterNode",
        value: {
          owner: owner.address, operator: owner.address, peerId, multiaddrs: [`/ip4/127.0.0.1/tcp/${4001 + i}`], endpoints: [], region: "europe",
          resources: { bandwidthMbps: 100n, storageGb: 100n, cpuMillicores: 1000n, memoryMb: 1024n, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC,
          services: [Service.SERVICE_CDN], commission: "0.05", bond: { denom: "uaro", amount: "10000000" },
        },
      }]);
    }
    const registered = await app.block();
    assert.ok(registered.every((r) => r.code === 0), registered.map((r) => r.log).join("\n"));
    node = MsgRegisterNodeResponse.decode(registered[0].responses[0].value).nodeId;
    // 16 epochs; the last (epoch 14) settles at 80, its epoch 12 is pruned by 82
    while (app.height < 16n * EPOCH + 2n) {
      const before = Object.fromEntries(MODULES.map((m) => [m, recordsOf(app.chain.app.store, m)])) as Record<Module, Map<string, bigint>>;
      await app.block();
      const after = Object.fromEntries(MODULES.map((m) => [m, recordsOf(app.chain.app.store, m)])) as Record<Module, Map<string, bigint>>;
      deletedPerBlock.push(Object.fromEntries(MODULES.map((m) => [m, [...before[m]].filter(([k]) => !after[m].has(k)).map(([, e]) => e)])) as Record<Module, bigint[]>);
    }
  });
  after(() => app?.close());

  it("records of epochs <= settled-through - retention are gone, the later ones kept, in every module", () => {
    const state = app.chain.app.store;
    const settledThrough = settlementStore.nextToSettle.peek(state) - 1n;
    assert.ok(settledThrough >= 10n, `epochs settled through ${settledThrough}`);
    for (const m of MODULES) {
      const epochs = epochsOf(recordsOf(state, m));
      assert.ok(epochs.length > 0 && epochs[0] === settledThrough - RETENTION + 1n, `${m} keeps epochs ${epochs.join(",")} (settled through ${settledThrough})`);
      assert.ok(epochs.includes(settledThrough) && epochs.includes(settledThrough - 1n), `${m} keeps the last ${RETENTION} settled epochs`);
    }
    assert.deepEqual(app.broken(), [], "invariants hold");
    // the last settled epoch's records are still read (gpow's routing reads its uptimes)
    assert.ok(settlementStore.records.get(state, [settledThrough, node]), "the last settled epoch's record is kept");
  });

  it("no module deletes more than max_record_prunes_per_block in a block; an epoch too big for one block is finished in the next", () => {
    for (const [i, block] of deletedPerBlock.entries()) {
      for (const m of MODULES) assert.ok(block[m].length <= PER_BLOCK, `block ${i}: ${m} deleted ${block[m].length}`);
    }
    const settlement = deletedPerBlock.map((b) => b.settlement);
    assert.ok(settlement.some((d) => d.length === PER_BLOCK), "the bound was reached");
    const resumed = settlement.some((d, i) => i > 0 && d.length > 0 && settlement[i - 1].length === PER_BLOCK && settlement[i - 1].includes(d[0]));
    assert.ok(resumed, "an epoch begun in one block is finished in the next");
    const total = (m: Module) => deletedPerBlock.reduce((n, b) => n + b[m].length, 0);
    assert.ok(total("settlement") >= 10 * (NODES + 1), `settlement deleted ${total("settlement")}`);
    assert.ok(total("gpow") >= 20 && total("watcher") >= 10, `gpow ${total("gpow")}, watcher ${total("watcher")}`);
  });

  it("queries of a pruned epoch answer not found; of a kept one, as before", async () => {
    const settledThrough = settlementStore.nextToSettle.peek(app.chain.app.store) - 1n;
    const pruned = settledThrough - RETENTION;
    const kept = settledThrough - 1n;
    await assert.rejects(app.query("/aro.settlement.v1.Query/Epoch", QueryEpochRequest, QueryEpochResponse, { epoch: pruned }), /sdk\/22 .*pruned/);
    await assert.rejects(app.query("/aro.settlement.v1.Query/Explain", QueryExplainRequest, QueryExplainResponse, { epoch: pruned, nodeId: node }), /sdk\/22 .*pruned/);
    await assert.rejects(app.query("/aro.watcher.v1.Query/Committee", QueryCommitteeRequest, QueryCommitteeResponse, { epoch: pruned, nodeId: node }), /watcher\/7 .*pruned/);
    await assert.rejects(app.query("/aro.gpow.v1.Query/Claim", QueryClaimRequest, QueryClaimResponse, { epoch: pruned, nodeId: node }), /gpow\/.*pruned/);
    const epoch = await app.query("/aro.settlement.v1.Query/Epoch", QueryEpochRequest, QueryEpochResponse, { epoch: kept });
    assert.equal(epoch.settlement!.phase, EpochPhase.EPOCH_PHASE_SETTLED);
    const explain = await app.query("/aro.settlement.v1.Query/Explain", QueryExplainRequest, QueryExplainResponse, { epoch: kept, nodeId: node });
    assert.equal(explain.record!.nodeId, node);
    await app.query("/aro.watcher.v1.Query/Committee", QueryCommitteeRequest, QueryCommitteeResponse, { epoch: kept, nodeId: node });
  });
});
