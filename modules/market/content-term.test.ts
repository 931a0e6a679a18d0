import assert from "node:assert/strict";
import { Content } from "../../proto/gen/aro/market/v1/market.ts";
import { DEC_ONE, decFromString } from "../../chain/dec.ts";
import { ackHeight, replicaChallenged, replicaEpochCost, termReservation } from "../../protocol/storage-term.ts";
import { enqueue, processDueContent } from "./content-term.ts";
import { marketKeeper } from "./keeper.ts";
import { dueKeys, pad } from "./keys.ts";
import { settlementParams } from "../settlement/params.ts";
import { defaultSettlementParams } from "../settlement/params.ts";
import { CacheKV } from "../../chain/store/cache.ts";
import { EventManager } from "../../chain/events.ts";
import { GasMeter } from "../../chain/gas.ts";
import { HookRegistry } from "../../chain/hooks.ts";
import type { Context, Module } from "../../chain/module.ts";
import { settlementModule } from "../settlement/index.ts";
import { keys as settlementKeys } from "../settlement/keys.ts";
import type { SettlementProgressHooks } from "./expected.ts";

/** 1e9 uaro per GB-epoch: a byte-epoch costs 1 uaro */
const PER_BYTE = decFromString("1000000000");

const content = (p: Partial<Content> = {}): Content =>
  Content.fromPartial({ id: 1n, owner: "o", size: 8192n, replicas: [1n, 2n], publishedHeight: 5n, epochs: 3n, expiresHeight: 40n, ...p });

describe("market term rules (pure): storage cost, reservation, which replicas are challenged", () => {
  it("one replica's epoch costs size × price / GB, rounded down", () => {
    assert.equal(replicaEpochCost(8192n, PER_BYTE), 8192n);
    assert.equal(replicaEpochCost(8192n, 0n), 0n);
    // 1 byte at 1 uaro per GB-epoch is worth a billionth of a uaro: rounded up, nothing is stored for free
    assert.equal(replicaEpochCost(1n, DEC_ONE), 1n);
    assert.equal(replicaEpochCost(1_999_999_999n, DEC_ONE), 2n);
    assert.equal(replicaEpochCost(2_000_000_000n, DEC_ONE), 2n);
    assert.equal(replicaEpochCost(2_000_000_000n, decFromString("1.5")), 3n);
  });

  it("publishing reserves every replica's storage for the whole term", () => {
    assert.equal(termReservation(8192n, PER_BYTE, 2, 3n), 8192n * 2n * 3n);
    assert.equal(termReservation(8192n, PER_BYTE, 1, 1n), replicaEpochCost(8192n, PER_BYTE));
    // rounding is per replica-epoch, so the reservation splits exactly into what proofs are paid
    assert.equal(termReservation(1_999_999_999n, DEC_ONE, 3, 4n), 24n);
    assert.equal(termReservation(8192n, 0n, 2, 3n), 0n);
  });

  it("ackHeight: the height a node acked at, undefined for a node that did not", () => {
    const c = content({ acks: [{ nodeId: 2n, height: 7n }] });
    assert.equal(ackHeight(c, 2n), 7n);
    assert.equal(ackHeight(c, 1n), undefined);
  });

  it("an unacked replica is never challenged", () => {
    const c = content();
    for (const start of [0n, 10n, 20n, 40n]) assert.equal(replicaChallenged(c, 1n, start), false);
  });

  it("an acked replica is challenged from the first epoch starting after the ack", () => {
    const c = content({ acks: [{ nodeId: 1n, height: 10n }] });
    assert.equal(replicaChallenged(c, 1n, 1n), false, "before the ack");
    assert.equal(replicaChallenged(c, 1n, 10n), false, "an epoch starting at the ack's own height");
    assert.equal(replicaChallenged(c, 1n, 11n), true, "the next epoch");
    assert.equal(replicaChallenged(c, 2n, 11n), false, "another replica of the same content, not acked");
  });

  it("no epoch starting after the term's last height is challenged", () => {
    const c = content({ acks: [{ nodeId: 1n, height: 10n }] });
    assert.equal(replicaChallenged(c, 1n, 31n), true);
    assert.equal(replicaChallenged(c, 1n, 40n), true, "the term's last height");
    assert.equal(replicaChallenged(c, 1n, 41n), false, "the first epoch after the term");
  });

  it("a released replica (no longer assigned) is not challenged even with an ack on record", () => {
    const c = content({ replicas: [2n], acks: [{ nodeId: 1n, height: 10n }] });
    assert.equal(replicaChallenged(c, 1n, 11n), false);
  });
});

describe("market content queue: acks of an expired content are kept until settlement has settled its term's last epoch", () => {
  /** `settled`: what settlement's `market` hook reports settled through; undefined: no settlement module. */
  const at = (store: CacheKV, height: bigint, settled?: bigint): Context => {
    const modules = [
      // another module's `market` hook (gpow's charge window) is not asked
      { name: "gpow", hooks: { market: { chargeableUntil: () => 0n } } },
      ...(settled === undefined ? [] : [{ name: "settlement", hooks: { market: { settledThrough: () => settled } } }]),
    ] as unknown as Module[];
    return { store, block: { height, timeSeconds: 0n, chainId: "" }, events: new EventManager(), gas: new GasMeter(undefined), mode: "finalize", hooks: new HookRegistry(modules) };
  };
  const setup = () => {
    const store = new CacheKV({ get: () => undefined, iterate: () => [] });
    settlementParams.set(store, { ...defaultSettlementParams, epochLength: 10n });
    // expired at the end of epoch 2 (heights 21..30)
    marketKeeper.setContent(store, Content.fromPartial({ id: 7n, owner: "o", root: "ab".repeat(32), size: 1n, replicas: [1n], expiresHeight: 30n, acks: [{ nodeId: 1n, height: 5n }], reserved: "0", expired: true }));
    enqueue(at(store, 31n), 40n, 7n, "retire");
    return store;
  };
  const queued = (store: CacheKV) => store.iterate(dueKeys.all).map(([k]) => k.slice(dueKeys.all.length));

  it("not settled through the term's last epoch: the acks stay (still challenged for scoring) and it looks again an epoch later", () => {
    const store = setup();
    processDueContent(at(store, 40n, 1n));
    assert.deepEqual(marketKeeper.ackedBy(store, 1n), [7n]);
    assert.deepEqual(queued(store), [`${pad(50n)}/${pad(7n)}/retire`]);
  });

  it("settled through it: the ack records are dropped", () => {
    const store = setup();
    processDueContent(at(store, 40n, 2n));
    assert.deepEqual(marketKeeper.ackedBy(store, 1n), []);
    assert.deepEqual(queued(store), []);
  });

  it("no settlement module: nothing is ever settled, so the acks stay", () => {
    const store = setup();
    processDueContent(at(store, 40n));
    assert.deepEqual(marketKeeper.ackedBy(store, 1n), [7n]);
  });

  it("settlement's hook: settled through the epoch before its next to settle", () => {
    const hook = settlementModule.hooks!.market as SettlementProgressHooks;
    const store = new CacheKV({ get: () => undefined, iterate: () => [] });
    assert.equal(hook.settledThrough(store), -1n, "nothing settled yet");
    store.set(settlementKeys.nextToSettle, new TextEncoder().encode("3"));
    assert.equal(hook.settledThrough(store), 2n);
  });
});
