import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { GasPrice, SigningStargateClient, coins } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { waitForHeight } from "../../app/arod/cli/devnet.ts";
import { LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";

const enc = (s: string) => new TextEncoder().encode(s);

describe("e2e: a validator's disk is bounded — pruned state versions and CometBFT blocks (custom pruning, min-retain-blocks)", function () {
  let node: LocalNode;
  let comet: Comet38Client;
  let alice: Funded;
  const KEEP = 5;
  const INTERVAL = 10;
  const RETAIN = 20;

  before(async () => {
    alice = await newAccount();
    node = await LocalNode.create({
      funded: [{ address: alice.address, coins: "1000000000uaro" }],
      app: [["pruning", "custom"], ["pruning-keep-recent", String(KEEP)], ["pruning-interval", String(INTERVAL)], ["min-retain-blocks", RETAIN]],
      // evidence younger than this must stay provable, so it also bounds what CometBFT may drop
      editGenesis: (g) => {
        g.consensus_params.evidence = { ...g.consensus_params.evidence, max_age_num_blocks: "10" };
      },
    });
    await node.start();
    comet = await Comet38Client.connect(node.rpc);
  });
  after(async () => {
    comet?.disconnect();
    await node?.cleanup();
  });

  it("with transfers in every block, only the latest and keep-recent versions before it (since the last pruning) stay queryable; older heights answer sdk/26", async () => {
    const client = await SigningStargateClient.connectWithSigner(node.rpc, alice.wallet, { gasPrice: GasPrice.fromString("0.025uaro") });
    const bob = await newAccount();
    while ((await node.latestHeight()) < 62) {
      const r = await client.sendTokens(alice.address, bob.address, coins(1, "uaro"), "auto");
      assert.equal(r.code, 0, r.rawLog);
    }
    client.disconnect();
    // stop moving: query a settled picture at a height just after a pruning
    const h = Math.floor((await node.latestHeight()) / INTERVAL) * INTERVAL;
    const kept: number[] = [];
    for (let q = 1; q <= h; q++) {
      const r = await comet.abciQuery({ path: "/store/bank/key", data: enc(`balances/${alice.address}/uaro`), height: q });
      if (r.code === 0) kept.push(q);
      else assert.equal(r.code, 26, r.log);
    }
    // at height h the versions before h - KEEP went; later commits may have pruned at most up to the current tail
    assert.ok(kept.length >= KEEP + 1 && kept.length <= KEEP + 1 + INTERVAL, `kept ${kept.join(",")}`);
    assert.ok(kept[0] >= h - KEEP, `nothing older than ${h - KEEP} is kept: ${kept.join(",")}`);
    for (let i = 1; i < kept.length; i++) assert.equal(kept[i], kept[i - 1] + 1, "the kept versions are the recent ones, contiguous");
  });

  it("CometBFT drops blocks below the retain height arod returns: the earliest block moves up and old blocks are gone", async () => {
    const target = (await node.latestHeight()) + 2;
    await waitForHeight(node.rpc, target);
    const status = await comet.status();
    const earliest = status.syncInfo.earliestBlockHeight ?? 0;
    const latest = status.syncInfo.latestBlockHeight;
    assert.ok(earliest > 1, `earliest block ${earliest}`);
    assert.ok(latest - earliest <= RETAIN + 5, `blocks kept: ${earliest}..${latest}`);
    await assert.rejects(comet.block(1), /height 1 is not available|lowest height is/);
    const block = await comet.block(latest - 1);
    assert.equal(block.block.header.height, latest - 1);
  });

  it("the state database stops growing: a second stretch of the same traffic leaves it within 25% of its size", async () => {
    const db = path.join(node.home, "data", "application.db", "state.mdb");
    const client = await SigningStargateClient.connectWithSigner(node.rpc, alice.wallet, { gasPrice: GasPrice.fromString("0.025uaro") });
    const bob = await newAccount();
    const run = async (blocks: number) => {
      const until = (await node.latestHeight()) + blocks;
      while ((await node.latestHeight()) < until) assert.equal((await client.sendTokens(alice.address, bob.address, coins(1, "uaro"), "auto")).code, 0);
    };
    await run(30);
    const first = fs.statSync(db).blocks * 512; // disk use: the blocks the file takes
    await run(60);
    const second = fs.statSync(db).blocks * 512;
    client.disconnect();
    assert.ok(second <= first * 1.25, `state.mdb grew from ${first} to ${second} bytes`);
  });
});
