import { createHash } from "node:crypto";
import { DefaultedItem, Item, keys, Map, values } from "./store/collections.ts";
import type { KVReader } from "./store/kv.ts";

/**
 * What BaseApp itself keeps in the state (under "baseapp/"), beside the modules: the
 * consensus facts transitions need (chain id, block gas limit, vote-extension height), the
 * clock CheckTx sees, the randomness beacon, and genesis.json's validator keys when no
 * module replaces them.
 */
export const appState = {
  chainId: new DefaultedItem("baseapp/chain_id", values.string, ""),
  /** consensus param block.max_gas (-1: unlimited) */
  maxBlockGas: new DefaultedItem("baseapp/max_block_gas", values.bigint, -1n),
  /** time of the last block: the clock CheckTx and simulation see (the next block is at least this late) */
  blockTime: new DefaultedItem("baseapp/block_time", values.bigint, 0n),
  /** the randomness beacon of the last block (chain/beacon.ts) */
  beacon: new Item("baseapp/beacon", values.bytes),
  /** consensus param abci.vote_extensions_enable_height (0: off), from genesis */
  voteExtensionsEnableHeight: new DefaultedItem("baseapp/vote_extensions_enable_height", values.bigint, 0n),
  /** consensus param evidence.max_age_num_blocks, from genesis: blocks CometBFT must keep for evidence */
  evidenceMaxAgeBlocks: new DefaultedItem("baseapp/evidence_max_age_blocks", values.bigint, 0n),
  /** consensus keys of genesis.json's validators by CometBFT address, kept when no module replaces them */
  genesisValidators: new Map("baseapp/genesis_validator/", keys.string, values.bytes),
};

/** CometBFT's validator address of an ed25519 key: sha256(key)[:20], upper hex. */
export const cometAddressHex = (key: Uint8Array): string => createHash("sha256").update(key).digest().subarray(0, 20).toString("hex").toUpperCase();

/** Block gas limit; undefined when unlimited. */
export function maxBlockGas(state: KVReader): bigint | undefined {
  const g = appState.maxBlockGas.get(state);
  return g > 0n ? g : undefined;
}

/** Whether block `height` must carry the beacon tx: vote extensions were on for its parent's precommits. */
export function beaconRequired(state: KVReader, height: bigint): boolean {
  const enabled = appState.voteExtensionsEnableHeight.get(state);
  return enabled > 0n && height > enabled;
}

/**
 * The lowest height CometBFT must keep, as the SDK's GetBlockRetentionHeight decides it:
 * 0 (keep everything) when min-retain-blocks is 0; else the last min-retain-blocks, but
 * never fewer than the state-sync snapshots kept or the evidence age need.
 */
export function blockRetentionHeight(commitHeight: bigint, o: { minRetainBlocks: number; snapshotInterval?: number; snapshotKeepRecent?: number; evidenceMaxAgeBlocks: bigint }): bigint {
  if (o.minRetainBlocks <= 0) return 0n;
  let r = commitHeight - BigInt(o.minRetainBlocks);
  if (o.snapshotInterval && o.snapshotKeepRecent) {
    const s = commitHeight - BigInt(o.snapshotInterval * o.snapshotKeepRecent);
    if (s < r) r = s;
  }
  if (o.evidenceMaxAgeBlocks > 0n && commitHeight - o.evidenceMaxAgeBlocks < r) r = commitHeight - o.evidenceMaxAgeBlocks;
  return r > 0n ? r : 0n;
}
