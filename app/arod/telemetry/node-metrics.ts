import fs from "node:fs";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { CommittedStore } from "../../../chain/store/committed-store.ts";
import type { TxDecodeCache } from "../../../chain/tx/decode-cache.ts";

/** What the metrics read when scraped (nothing of it is touched on the hot path). */
export interface MetricSources {
  readonly store: CommittedStore;
  readonly decodeCache: TxDecodeCache;
  /** The state's LMDB data file (data/application.db/state.mdb). */
  readonly dbFile: string;
}

const CACHES = ["iavl_node", "inter_block", "tx_decode"] as const;

/**
 * arod's Prometheus metrics (one registry per node, so tests can run several in a process).
 * Timings and block figures are recorded by metered-app.ts around the ABCI calls; the
 * height, caches and store size are read from `src` at each scrape.
 */
export class NodeMetrics {
  readonly registry = new Registry();
  private readonly r = [this.registry];

  readonly height: Gauge;
  readonly blockTimestamp = new Gauge({ name: "arod_block_timestamp_seconds", help: "header time of the last finalized block (unix seconds)", registers: this.r });
  readonly blockInterval = new Gauge({ name: "arod_block_interval_seconds", help: "seconds between the header times of the last two finalized blocks", registers: this.r });
  readonly blockTxs = new Histogram({
    name: "arod_block_txs", help: "txs per finalized block (the beacon tx not counted)", buckets: [0, 1, 5, 10, 50, 100, 500, 1000, 5000, 10000], registers: this.r,
  });
  readonly txs = new Counter({ name: "arod_txs_total", help: "txs executed in finalized blocks, by result (ok: code 0, failed: any other)", labelNames: ["result"], registers: this.r });
  readonly checkTxSeconds = new Histogram({
    name: "arod_checktx_duration_seconds", help: "time to answer a CheckTx, by type (new or recheck)", labelNames: ["type"],
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1], registers: this.r,
  });
  readonly finalizeBlockSeconds = new Histogram({
    name: "arod_finalize_block_duration_seconds", help: "time to execute a block (FinalizeBlock)", buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: this.r,
  });
  readonly commitSeconds = new Histogram({
    name: "arod_commit_duration_seconds", help: "time to commit a block's state (Commit)", buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: this.r,
  });
  readonly refused = new Counter({
    name: "arod_mempool_refused_total", help: "txs CheckTx refused into the mempool (code != 0), by codespace and code", labelNames: ["codespace", "code"], registers: this.r,
  });
  readonly evicted = new Counter({
    name: "arod_mempool_evicted_total", help: "mempool txs a recheck after a block dropped (code != 0), by codespace and code", labelNames: ["codespace", "code"], registers: this.r,
  });
  readonly epochsScored = new Counter({ name: "arod_settlement_epochs_scored_total", help: "epochs whose nodes settlement finished scoring (epoch_scored)", registers: this.r });
  readonly epochsSettled = new Counter({ name: "arod_settlement_epochs_settled_total", help: "epochs settlement finished paying (epoch_settled)", registers: this.r });
  readonly settledEpoch = new Gauge({ name: "arod_settlement_last_settled_epoch", help: "the last epoch settled since this node started", registers: this.r });
  readonly settlementBatches = new Counter({ name: "arod_settlement_batches_total", help: "blocks in which settlement paid a batch of node rewards", registers: this.r });
  readonly nodeRewards = new Counter({ name: "arod_settlement_node_rewards_total", help: "node rewards paid (node_reward events)", registers: this.r });
  readonly watcherRewards = new Counter({ name: "arod_settlement_watcher_rewards_total", help: "watcher rewards paid (watcher_reward events)", registers: this.r });
  readonly settlementPaid = new Counter({ name: "arod_settlement_paid_total", help: "base units paid to nodes and watchers by settled epochs (epoch_settled paid)", registers: this.r });

  constructor(src: MetricSources) {
    const { store, decodeCache, dbFile } = src;
    this.height = new Gauge({ name: "arod_block_height", help: "height of the last committed block", registers: this.r, collect() {
      this.set(Number(store.lastCommitted.height));
    } });
    new Gauge({ name: "arod_store_size_bytes", help: "size of the state's LMDB data file (data/application.db/state.mdb)", registers: this.r, collect() {
      try {
        this.set(fs.statSync(dbFile).size);
      } catch {
        // the file is gone (the node is stopping): leave the last value
      }
    } });
    const stats = () => {
      const nodes = store.cacheStats;
      const values = store.valueCacheStats;
      return {
        iavl_node: nodes,
        inter_block: values,
        tx_decode: { hits: decodeCache.hits, misses: decodeCache.misses, size: decodeCache.size },
      };
    };
    const cacheCounter = (name: string, help: string, field: "hits" | "misses") => new Counter({ name, help, labelNames: ["cache"], registers: this.r, collect() {
      const s = stats();
      this.reset();
      for (const c of CACHES) this.inc({ cache: c }, s[c][field]);
    } });
    cacheCounter("arod_cache_hits_total", "reads answered from memory, by cache (iavl_node, inter_block, tx_decode)", "hits");
    cacheCounter("arod_cache_misses_total", "reads that went past the cache (to the database, or decoding again), by cache", "misses");
    new Gauge({ name: "arod_cache_entries", help: "entries held, by cache", labelNames: ["cache"], registers: this.r, collect() {
      const s = stats();
      for (const c of CACHES) this.set({ cache: c }, s[c].size);
    } });
    collectDefaultMetrics({ register: this.registry, prefix: "arod_" });
  }
}
