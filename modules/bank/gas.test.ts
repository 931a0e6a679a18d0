import { HookRegistry } from "../../chain/hooks.ts";
import assert from "node:assert/strict";
import { CacheKV } from "../../chain/store/cache.ts";
import { EventManager } from "../../chain/events.ts";
import { GasKV, GasMeter, KV_GAS } from "../../chain/gas.ts";
import { parseCoins, toAmounts, MAX_AMOUNT } from "../../chain/coins.ts";
import { AppError } from "../../chain/errors.ts";
import type { Context } from "../../chain/module.ts";
import { paginate } from "../../chain/pagination.ts";
import { bankKeeper } from "./keeper.ts";
import { authKeeper } from "../auth/keeper.ts";

const A = "aro1zafu84ty5hm5z740tyca2lwvnt8mreywl8pr7c";
const B = "aro1cdmy360v52q9e6lpsmy34m585g55hh8sh0psyu";

function ctx(): Context {
  const store = new CacheKV({ get: () => undefined, iterate: () => [] });
  return { store, block: { height: 1n, timeSeconds: 0n, chainId: "t" }, events: new EventManager(), gas: new GasMeter(undefined), mode: "finalize", hooks: HookRegistry.empty };
}

describe("gas: deterministic metering of store access", () => {
  it("charges the SDK's flat and per-byte costs, and stops at the limit", () => {
    const meter = new GasMeter(10_000n);
    const kv = new GasKV(new CacheKV({ get: () => undefined, iterate: () => [] }), meter);
    kv.set("abc", new Uint8Array(10));
    assert.equal(meter.consumed, KV_GAS.writeCostFlat + KV_GAS.writeCostPerByte * 13n);
    kv.get("abc");
    assert.equal(meter.consumed, 2390n + KV_GAS.readCostFlat + KV_GAS.readCostPerByte * 13n);
    assert.throws(() => { for (;;) kv.set("abc", new Uint8Array(10)); }, (e: unknown) => e instanceof AppError && e.code === 11 && /out of gas in location: WriteFlat; gasWanted: 10000/.test(e.message));
  });
});

describe("bank: keeper and coins", () => {
  it("moves coins, keeps supply and creates the recipient's account", () => {
    const c = ctx();
    bankKeeper.setBalance(c.store, A, "uaro", 100n);
    bankKeeper.setSupply(c.store, "uaro", 100n);
    bankKeeper.sendCoins(c, A, B, [{ denom: "uaro", amount: 40n }]);
    assert.equal(bankKeeper.getBalance(c.store, A, "uaro"), 60n);
    assert.equal(bankKeeper.getBalance(c.store, B, "uaro"), 40n);
    assert.ok(authKeeper.getAccount(c.store, B));
    assert.deepEqual(c.events.events.map((e) => e.type), ["coin_spent", "coin_received", "transfer"]);
    assert.throws(() => bankKeeper.sendCoins(c, A, B, [{ denom: "uaro", amount: 61n }]), /spendable balance 60uaro is smaller than 61uaro: insufficient funds/);
    bankKeeper.sendCoins(c, A, B, [{ denom: "uaro", amount: 60n }]);
    assert.deepEqual(bankKeeper.getAllBalances(c.store, A), [], "a zero balance is deleted, not stored");
  });

  it("validates coins as the SDK does", () => {
    assert.deepEqual(parseCoins("5foo,10uaro"), [{ denom: "foo", amount: 5n }, { denom: "uaro", amount: 10n }]);
    assert.throws(() => parseCoins("10"), /cannot parse coin/);
    assert.throws(() => toAmounts([{ denom: "uaro", amount: "1" }, { denom: "uaro", amount: "2" }]), /duplicate denomination/);
    assert.throws(() => toAmounts([{ denom: "u", amount: "1" }]), /invalid denom/);
    assert.throws(() => toAmounts([{ denom: "uaro", amount: (MAX_AMOUNT + 1n).toString() }]), /overflows 256 bits/);
    assert.throws(() => toAmounts([]), /no coins given/);
  });

  it("paginates by key and by offset", () => {
    const entries = ["a", "b", "c", "d", "e"].map((k) => [k, k.toUpperCase()] as const);
    const p1 = paginate(entries, { key: new Uint8Array(), offset: 0n, limit: 2n, countTotal: true, reverse: false });
    assert.deepEqual(p1.items, ["A", "B"]);
    assert.equal(p1.pagination.total, 5n);
    const p2 = paginate(entries, { key: p1.pagination.nextKey, offset: 0n, limit: 2n, countTotal: false, reverse: false });
    assert.deepEqual(p2.items, ["C", "D"]);
    const p3 = paginate(entries, { key: new Uint8Array(), offset: 4n, limit: 2n, countTotal: false, reverse: false });
    assert.deepEqual(p3.items, ["E"]);
    assert.equal(p3.pagination.nextKey.length, 0);
  });
});
