import { EventManager } from "./events.ts";
import { GasMeter } from "./gas.ts";
import { HookRegistry } from "./hooks.ts";
import type { Context } from "./module.ts";
import { CacheKV } from "./store/cache.ts";
import type { KVReader } from "./store/kv.ts";

/** A throwaway context over read-only state (queries, invariants): its writes are never kept. */
export function scratchContext(state: KVReader, height: bigint): Context {
  return {
    store: new CacheKV(state), block: { height, timeSeconds: 0n, chainId: "" }, events: new EventManager(),
    gas: new GasMeter(undefined), mode: "simulate", hooks: HookRegistry.empty,
  };
}
