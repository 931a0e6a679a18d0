import { Plan } from "cosmjs-types/cosmos/upgrade/v1beta1/upgrade";
import { Item, keys, Map, values } from "../../chain/store/collections.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";

/** x/upgrade's state: the scheduled plan, the plans done (by name: their height) and each module's consensus version. */
export const upgradeStore = {
  plan: new Item("upgrade/plan", values.proto(Plan)),
  done: new Map("upgrade/done/", keys.string, values.bigint),
  versions: new Map("upgrade/versions/", keys.string, values.bigint),
};

export const upgradeKeeper = {
  plan: (state: KVReader): Plan | undefined => upgradeStore.plan.get(state),
  setPlan: (store: KVStore, p: Plan): void => upgradeStore.plan.set(store, p),
  clearPlan: (store: KVStore): void => upgradeStore.plan.delete(store),
  doneAt: (state: KVReader, name: string): bigint | undefined => upgradeStore.done.get(state, name),
  markDone: (store: KVStore, name: string, height: bigint): void => upgradeStore.done.set(store, name, height),
  versions: (state: KVReader): Array<{ name: string; version: bigint }> => upgradeStore.versions.entries(state).map(([name, version]) => ({ name, version })),
  version: (state: KVReader, module: string): bigint | undefined => upgradeStore.versions.get(state, module),
  setVersion: (store: KVStore, module: string, version: bigint): void => upgradeStore.versions.set(store, module, version),
};
