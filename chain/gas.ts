import { sdkErrors } from "./errors.ts";
import type { KVStore, KeyRange } from "./store/kv.ts";

/** Gas prices of store access: the Cosmos SDK's KVGasConfig, so gas figures look familiar. */
export const KV_GAS = {
  hasCost: 1000n,
  deleteCost: 1000n,
  readCostFlat: 1000n,
  readCostPerByte: 3n,
  writeCostFlat: 2000n,
  writeCostPerByte: 30n,
  iterNextCostFlat: 30n,
} as const;

export class GasMeter {
  private used = 0n;

  /** limit undefined: infinite (genesis, simulation, begin/end block). */
  constructor(readonly limit: bigint | undefined) {}

  get consumed(): bigint {
    return this.used;
  }

  consume(amount: bigint, descriptor: string): void {
    this.used += amount;
    if (this.limit !== undefined && this.used > this.limit) {
      throw sdkErrors.outOfGas.wrap(`out of gas in location: ${descriptor}; gasWanted: ${this.limit}, gasUsed: ${this.used}`);
    }
  }
}

/** A store that charges every read and write to a gas meter. */
export class GasKV implements KVStore {
  constructor(private readonly inner: KVStore, private readonly meter: GasMeter) {}

  get(key: string): Uint8Array | undefined {
    const v = this.inner.get(key);
    this.meter.consume(KV_GAS.readCostFlat + KV_GAS.readCostPerByte * BigInt(key.length + (v?.length ?? 0)), "ReadFlat");
    return v;
  }

  set(key: string, value: Uint8Array): void {
    this.meter.consume(KV_GAS.writeCostFlat + KV_GAS.writeCostPerByte * BigInt(key.length + value.length), "WriteFlat");
    this.inner.set(key, value);
  }

  delete(key: string): void {
    this.meter.consume(KV_GAS.deleteCost, "Delete");
    this.inner.delete(key);
  }

  iterate(prefix: string, end?: string, range?: KeyRange): Array<[string, Uint8Array]> {
    const entries = this.inner.iterate(prefix, end, range);
    for (const [k, v] of entries) {
      this.meter.consume(KV_GAS.iterNextCostFlat + KV_GAS.readCostPerByte * BigInt(k.length + v.length), "IterNext");
    }
    return entries;
  }
}
