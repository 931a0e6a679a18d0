import assert from "node:assert/strict";
import { heightOf, rpcJson, runTestnet, until } from "../support/testnet-ports.ts";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { arodBin } from "../../app/testnet/local-node.ts";
import type { TestnetInfo } from "../../app/testnet/create.ts";
import { setTomlValue } from "../../app/common/toml-edit.ts";






describe("e2e: state sync — a fresh node joins a running 4-validator testnet from a snapshot (`arod testnet join --state-sync`)", function () {
  let dir: string;
  let stopNet: (() => Promise<void>) | undefined;
  let info: TestnetInfo;
  const INTERVAL = 10;
  const cli = (...args: string[]) => spawnSync(process.execPath, [arodBin, "testnet", ...args, "--home", dir], { encoding: "utf8", timeout: 600_000 });
  const snapshotsOf = (i: number) => path.join(info.validators[i].home, "data", "snapshots");

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "arod-statesync-"));
    ({ info, stop: stopNet } = await runTestnet(dir, { extra: ["--snapshot-interval", String(INTERVAL), "--snapshot-keep-recent", "20"] }));
  });
  after(async () => {
    await stopNet?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("every validator takes a snapshot every snapshot-interval heights, listed newest first by ListSnapshots", async () => {
    await until(`two snapshots on every validator`, async () => info.validators.every((_, i) => fs.existsSync(path.join(snapshotsOf(i), String(2 * INTERVAL), "1", "metadata.json"))));
  });

  it("joins from the older snapshot when the newest one's chunk is corrupted on every peer serving it (refused by hash), then follows the chain with the same app hash", async function () {
    // CometBFT gives up on a snapshot whose every peer it rejected after a fixed 2 minutes (its syncer's chunkTimeout)
    this.timeout(480_000);
    // freeze the snapshots (no new ones), one validator at a time so the chain keeps going
    for (const v of info.validators) {
      assert.equal(cli("stop", "--validator", String(v.index)).status, 0);
      const appToml = path.join(v.home, "config", "app.toml");
      fs.writeFileSync(appToml, setTomlValue(fs.readFileSync(appToml, "utf8"), "state-sync", "snapshot-interval", 0));
      const r = cli("restart", "--validator", String(v.index));
      assert.equal(r.status, 0, r.stderr);
    }
    // the two newest heights every validator has a complete snapshot of; nothing newer is served
    const complete = (i: number) => fs.readdirSync(snapshotsOf(i)).map(Number).filter((h) => Number.isInteger(h) && fs.existsSync(path.join(snapshotsOf(i), String(h), "1", "metadata.json")));
    const common = complete(0).filter((h) => [1, 2, 3].every((i) => complete(i).includes(h))).sort((a, b) => b - a);
    assert.ok(common.length >= 2, `snapshots on every validator: ${common.join(", ")}`);
    const [newest, older] = common;
    for (const i of [0, 1, 2, 3]) for (const h of complete(i)) if (h > newest) fs.rmSync(path.join(snapshotsOf(i), String(h)), { recursive: true, force: true });
    // validators 0-2 serve the newest snapshot with a flipped byte in chunk 0; validator 3 does not have it
    for (const i of [0, 1, 2]) {
      const chunk = path.join(snapshotsOf(i), String(newest), "1", "0");
      const b = fs.readFileSync(chunk);
      b[Math.floor(b.length / 2)] ^= 0xff;
      fs.writeFileSync(chunk, b);
    }
    fs.rmSync(path.join(snapshotsOf(3), String(newest)), { recursive: true, force: true });

    const r = cli("join", "--state-sync");
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    info = JSON.parse(fs.readFileSync(path.join(dir, "testnet.json"), "utf8"));
    const node = info.validators[4];
    assert.equal(node.role, "full");
    const log = fs.readFileSync(path.join(node.home, "arod.log"), "utf8");
    assert.match(log, /chunk refused, its hash is not the snapshot's/);
    const restored = log.split("\n").filter((l) => l.includes("snapshot restored, app hash verified"));
    assert.equal(restored.length, 1, log.slice(-3000));
    assert.ok(restored[0].includes(`"height":"${older}"`), restored[0]);
    // it did not replay from genesis: its first block is the one after the snapshot
    const status = await rpcJson(`${node.rpc}/status`);
    assert.equal(Number(status.sync_info.earliest_block_height), older + 1);
    // and it follows: same app hash as a validator at a height after it joined
    const target = (await heightOf(info.validators[0].rpc)) + 3;
    await until(`the new node at height ${target}`, async () => (await heightOf(node.rpc)) >= target);
    const hashAt = async (rpc: string) => (await rpcJson(`${rpc}/block?height=${target}`)).block.header.app_hash;
    assert.equal(await hashAt(node.rpc), await hashAt(info.validators[0].rpc));
    // queries at its latest height answer from the restored state
    const q = await rpcJson(`${node.rpc}/abci_query?path=%22/store/bank/key%22&data=0x${Buffer.from("params").toString("hex")}`);
    assert.equal(q.response.code, 0, q.response.log);
  });
});
