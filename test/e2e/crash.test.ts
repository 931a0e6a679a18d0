import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { StargateClient } from "@cosmjs/stargate";
import { replayChain } from "../../app/arod/node/replay.ts";
import { LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";
import { startTxFlow } from "../support/flow.ts";
import { alive } from "../../app/testnet/control.ts";
import { isBeaconTx } from "../../chain/beacon.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitDead(pid: number | undefined, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > end) throw new Error(`${what} (pid ${pid}) still running ${ms / 1000}s after the crash`);
    await sleep(100);
  }
}

async function rpcResult(url: string): Promise<any> {
  return ((await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json()) as any).result;
}

/**
 * Every successful tx in the chain's blocks, by hash → height. Read from the blocks
 * themselves, not from tx_search: CometBFT indexes asynchronously, and a kill -9 of
 * cometbft can leave a committed block unindexed (`cometbft reindex-event` repairs it).
 */
async function committedTxs(rpc: string): Promise<Map<string, number>> {
  // the newest block's results may not be saved yet: stop one below it
  const latest = Number((await rpcResult(`${rpc}/status`)).sync_info.latest_block_height) - 1;
  const out = new Map<string, number>();
  for (let lo = 1; lo <= latest; lo += 20) {
    const metas = (await rpcResult(`${rpc}/blockchain?minHeight=${lo}&maxHeight=${Math.min(latest, lo + 19)}`)).block_metas as any[];
    for (const m of metas.filter((x) => Number(x.num_txs) > 0)) {
      const h = Number(m.header.height);
      const txs = (await rpcResult(`${rpc}/block?height=${h}`)).block.data.txs as string[];
      const results = (await rpcResult(`${rpc}/block_results?height=${h}`)).txs_results as Array<{ code: number }>;
      txs.forEach((tx, i) => {
        if (results[i].code === 0 && !isBeaconTx(new Uint8Array(Buffer.from(tx, "base64")))) out.set(createHash("sha256").update(Buffer.from(tx, "base64")).digest("hex").toUpperCase(), h);
      });
    }
  }
  return out;
}

describe("e2e: crash recovery (kill -9 while transactions flow)", function () {
  this.timeout(300_000);
  let node: LocalNode;
  let senders: Funded[];
  const recipient = "aro1zafu84ty5hm5z740tyca2lwvnt8mreywl8pr7c";

  before(async () => {
    senders = await Promise.all([newAccount(), newAccount(), newAccount()]);
    // prune at every commit and snapshot every 2 heights, so the kills land in commits that
    // also delete old versions, and while snapshots are being written
    node = await LocalNode.create({
      funded: senders.map((s) => ({ address: s.address, coins: "100000000uaro" })), timeoutCommit: "100ms",
      app: [["pruning", "custom"], ["pruning-keep-recent", "2"], ["pruning-interval", "1"], ["state-sync.snapshot-interval", 2], ["state-sync.snapshot-keep-recent", 2]],
    });
    await node.start();
  });
  after(async () => node?.cleanup());

  it("kill -9 of arod (three times, at random moments, while every commit prunes and snapshots are written) and of cometbft: same app hashes, no committed tx lost, the chain continues", async () => {
    const flow = startTxFlow(() => node.rpc, senders, recipient);
    const seen = new Map<string, number>();
    const crashes: Array<"arod" | "cometbft"> = ["arod", "arod", "cometbft", "arod"];
    try {
      for (const [i, victim] of crashes.entries()) {
        await sleep(1500 + ((i * 733) % 1000));
        for (const [h, height] of await committedTxs(node.rpc)) seen.set(h, height);
        const heightBefore = await node.latestHeight();
        const arodPid = node.arod!.pid;
        const cometPid = node.cometbftPid();
        assert.ok(cometPid, "cometbft runs under arod");
        process.kill(victim === "arod" ? arodPid! : cometPid, "SIGKILL");
        await waitDead(arodPid, "arod");
        await waitDead(cometPid, "cometbft");
        await node.start(heightBefore + 2);
      }
      await sleep(1000);
    } finally {
      await flow.stop();
    }
    // let the mempool drain and two more blocks pass, so the newest blocks hold no txs
    const drained = Date.now() + 30_000;
    while (Number((await rpcResult(`${node.rpc}/num_unconfirmed_txs`)).n_txs) > 0 && Date.now() < drained) await sleep(200);
    const settled = (await node.latestHeight()) + 2;
    while ((await node.latestHeight()) < settled) await sleep(200);
    assert.ok(seen.size > 20, `transactions were committed during the run (${seen.size})`);

    // no committed tx lost: every tx seen committed before a crash is still there, at the same height
    const after = await committedTxs(node.rpc);
    for (const [hash, height] of seen) assert.equal(after.get(hash), height, `tx ${hash} committed at ${height} is missing after restarts`);
    // and its effect is in the state: the recipient got 1uaro per successful committed tx
    const client = await StargateClient.connect(node.rpc);
    const latest = await client.getHeight();
    const total = (await committedTxs(node.rpc)).size;
    assert.equal((await client.getBalance(recipient, "uaro")).amount, String(total));
    client.disconnect();

    // same app hash at every height: a fresh app fed the same blocks reproduces each header's app hash
    const replay = await replayChain(path.join(node.home, "config", "genesis.json"), node.rpc, latest - 1);
    assert.deepEqual(replay.mismatches, []);
    // the snapshots taken around the kills: every complete one checks out chunk by chunk
    const snapDir = path.join(node.home, "data", "snapshots");
    const complete = fs.readdirSync(snapDir).filter((h) => fs.existsSync(path.join(snapDir, h, "1", "metadata.json")));
    assert.ok(complete.length > 0, "snapshots were taken");
    for (const h of complete) {
      const { chunkHashes } = JSON.parse(fs.readFileSync(path.join(snapDir, h, "1", "metadata.json"), "utf8")) as { chunkHashes: string[] };
      chunkHashes.forEach((hash, i) => assert.equal(createHash("sha256").update(fs.readFileSync(path.join(snapDir, h, "1", String(i)))).digest("hex"), hash, `snapshot ${h} chunk ${i}`));
    }
    assert.ok(fs.existsSync(path.join(node.home, "data", "application.db")));
  });
});
