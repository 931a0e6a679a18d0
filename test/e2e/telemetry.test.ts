import assert from "node:assert/strict";
import net from "node:net";
import { BroadcastTxError, GasPrice, SigningStargateClient, coins } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { readAppConfig } from "../../app/arod/node/home.ts";
import { hostPort } from "../../app/arod/node/server-config.ts";
import { LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";
import { eventually } from "../support/eventually.ts";

/** Prometheus text format → "name{labels}" → value (labels as written, in the order prom-client writes them). */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const cut = line.lastIndexOf(" ");
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

/** The metrics address written into the home's app.toml ([telemetry] address). */
function metricsAddress(home: string): { host: string; port: number } {
  return hostPort(readAppConfig(home).servers.telemetry.address, "address");
}

const refusedWith = (code: number) => (err: unknown) => err instanceof BroadcastTxError && err.code === code;

describe("e2e: arod's Prometheus metrics ([telemetry]) and log format", function () {
  describe("telemetry enabled, default (json) logs", () => {
    let node: LocalNode;
    let alice: Funded;
    let url: string;
    const scrape = async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      assert.equal(res.status, 200);
      return { type: res.headers.get("content-type"), text: await res.text() };
    };

    before(async () => {
      alice = await newAccount();
      node = await LocalNode.create({
        funded: [{ address: alice.address, coins: "1000000000uaro" }],
        app: [["telemetry.enabled", true]],
        // short epochs and windows: settlement settles an (empty) epoch within seconds
        editGenesis: (g) => {
          Object.assign(g.app_state.settlement.params, { epochLength: "10" });
          Object.assign(g.app_state.gpow.params, { claimWindow: "2", proofWindow: "2" });
          Object.assign(g.app_state.watcher.params, { attestWindow: "2" });
        },
      });
      await node.start();
      const { host, port } = metricsAddress(node.home);
      url = `http://${host}:${port}/metrics`;
    });
    after(async () => node?.cleanup());

    it("counts blocks, txs, CheckTx and FinalizeBlock times, refusals by code, caches, store size, settlement and the process", async () => {
      const client = await SigningStargateClient.connectWithSigner(node.rpc, alice.wallet, { gasPrice: GasPrice.fromString("0.025uaro"), broadcastPollIntervalMs: 200 });
      const bob = await newAccount();
      let lastTxHeight = 0;
      for (let i = 0; i < 3; i++) {
        const r = await client.sendTokens(alice.address, bob.address, coins(1000 + i, "uaro"), "auto");
        assert.equal(r.code, 0, r.rawLog);
        lastTxHeight = r.height;
      }
      const msg = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: alice.address, toAddress: bob.address, amount: coins(1, "uaro") } };
      const chainId = await client.getChainId();
      const { accountNumber, sequence } = await client.getSequence(alice.address);
      // refused by CheckTx: a wrong sequence (sdk/32), then a fee under the node's minimum gas price (sdk/13)
      const badSequence = await client.sign(alice.address, [msg], { amount: coins(5000, "uaro"), gas: "200000" }, "", { accountNumber, sequence: sequence + 5, chainId });
      await assert.rejects(client.broadcastTxSync(TxRaw.encode(badSequence).finish()), refusedWith(32));
      const lowFee = await client.sign(alice.address, [msg], { amount: coins(1, "uaro"), gas: "200000" }, "", { accountNumber, sequence, chainId });
      await assert.rejects(client.broadcastTxSync(TxRaw.encode(lowFee).finish()), refusedWith(13));
      client.disconnect();

      // the blocks after the txs, and an epoch settled
      const m = await eventually(async () => {
        const got = parseMetrics((await scrape()).text);
        assert.ok((got.get("arod_block_height") ?? 0) > lastTxHeight);
        assert.ok((got.get("arod_settlement_epochs_settled_total") ?? 0) >= 1, "an epoch settled");
        return got;
      }, 120_000, 300);
      const { type, text } = await scrape();
      if (process.env.SHOW_METRICS) console.log(text.split("\n").filter((l) => l.startsWith("arod_") && !/nodejs|process/.test(l)).join("\n"));
      assert.match(type ?? "", /^text\/plain; version=0\.0\.4/);
      for (const name of ["arod_block_height", "arod_block_txs", "arod_checktx_duration_seconds", "arod_finalize_block_duration_seconds", "arod_commit_duration_seconds", "arod_mempool_refused_total", "arod_cache_hits_total", "arod_store_size_bytes"]) {
        assert.match(text, new RegExp(`^# HELP ${name} \\S`, "m"), `${name} has a help text`);
      }
      const v = (key: string) => {
        assert.ok(m.has(key), `${key} is served`);
        return m.get(key)!;
      };

      const height = v("arod_block_height");
      const latest = await node.latestHeight();
      assert.ok(height >= lastTxHeight && height <= latest + 1, `height ${height}, chain at ${latest}`);
      // every block this process finalized (from genesis), its txs: exactly the three sends (the beacon tx is not counted)
      const blocks = v("arod_block_txs_count");
      assert.ok(blocks >= height - 1 && blocks <= height + 1, `${blocks} blocks finalized at height ${height}`);
      assert.equal(v("arod_block_txs_sum"), 3);
      assert.equal(v('arod_txs_total{result="ok"}'), 3);
      assert.ok(v('arod_block_txs_bucket{le="0"}') >= blocks - 3, "the other blocks were empty");
      const interval = v("arod_block_interval_seconds");
      assert.ok(interval > 0 && interval < 30, `block interval ${interval} s`);
      assert.ok(Math.abs(v("arod_block_timestamp_seconds") - Date.now() / 1000) < 600, "the last block's header time");

      // CheckTx: the three sends and the two refused (simulations are queries, not CheckTx)
      assert.equal(v('arod_checktx_duration_seconds_count{type="new"}'), 5);
      const checkSeconds = v('arod_checktx_duration_seconds_sum{type="new"}');
      assert.ok(checkSeconds > 0 && checkSeconds < 5, `CheckTx took ${checkSeconds} s in all`);
      assert.equal(v('arod_checktx_duration_seconds_bucket{le="+Inf",type="new"}'), 5);
      assert.equal(v("arod_finalize_block_duration_seconds_count"), blocks);
      assert.equal(v('arod_finalize_block_duration_seconds_bucket{le="+Inf"}'), blocks);
      assert.ok(v("arod_finalize_block_duration_seconds_sum") > 0);
      const commits = v("arod_commit_duration_seconds_count");
      assert.ok(commits >= blocks - 1 && commits <= blocks, `${commits} commits, ${blocks} blocks`);
      assert.equal(v('arod_mempool_refused_total{codespace="sdk",code="32"}'), 1);
      assert.equal(v('arod_mempool_refused_total{codespace="sdk",code="13"}'), 1);

      // caches: every tx is decoded once (CheckTx) and found again (proposal, FinalizeBlock); balances and accounts are read from memory
      assert.ok(v('arod_cache_hits_total{cache="tx_decode"}') >= 3, "decoded txs found again");
      assert.ok(v('arod_cache_misses_total{cache="tx_decode"}') >= 3);
      for (const cache of ["iavl_node", "inter_block"]) {
        assert.ok(v(`arod_cache_hits_total{cache="${cache}"}`) > 0, `${cache} hits`);
        assert.ok(v(`arod_cache_entries{cache="${cache}"}`) > 0, `${cache} entries`);
      }
      // a young node's tree fits in the node cache (every node written is kept): no reads go to LMDB
      assert.ok(v('arod_cache_misses_total{cache="iavl_node"}') >= 0);
      assert.ok(v('arod_cache_misses_total{cache="inter_block"}') > 0, "first reads of each key go to the database");
      const size = v("arod_store_size_bytes");
      assert.ok(size > 10_000 && size < 1e9, `store size ${size}`);
      assert.ok(v("arod_settlement_epochs_scored_total") >= 1);
      assert.ok(v("arod_settlement_last_settled_epoch") >= 0);
      // Node's own (prom-client's default metrics)
      assert.ok(v("arod_process_cpu_seconds_total") > 0);
      assert.ok(v("arod_nodejs_heap_size_used_bytes") > 0);
    });

    it("answers only /metrics with GET; logs JSON lines by default", async () => {
      const base = url.replace(/\/metrics$/, "");
      assert.equal((await fetch(`${base}/`)).status, 404);
      assert.equal((await fetch(`${base}/metrics/../x`)).status, 404);
      assert.equal((await fetch(url, { method: "POST", body: "x" })).status, 405);
      assert.equal((await fetch(`${url}?x=1`)).status, 200);
      const line = node.output.split("\n").find((l) => l.includes("serving Prometheus metrics"));
      assert.ok(line, node.output.slice(0, 2000));
      const event = JSON.parse(line);
      assert.equal(event.url, url);
      assert.equal(event.name, "arod");
    });
  });

  describe("telemetry disabled, --log_format plain", () => {
    let node: LocalNode;
    before(async () => {
      node = await LocalNode.create({ app: [["telemetry.enabled", false]] });
      await node.start(2, 60_000, ["--log_format", "plain"]);
    });
    after(async () => node?.cleanup());

    it("nothing listens on the metrics address, and the log is readable lines", async () => {
      const { host, port } = metricsAddress(node.home);
      const refused = await new Promise<string>((resolve) => {
        const s = net.connect(port, host);
        s.once("connect", () => (s.destroy(), resolve("connected")));
        s.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? String(err)));
      });
      assert.equal(refused, "ECONNREFUSED");
      assert.match(node.output, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INF \[arod\] ABCI server listening address=tcp:\/\/127\.0\.0\.1:\d+ height=0$/m);
      assert.doesNotMatch(node.output, /^\{"level"/m, "no JSON line");
      assert.doesNotMatch(node.output, /serving Prometheus metrics/);
    });
  });
});
