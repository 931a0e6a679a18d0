import assert from "node:assert/strict";
import { freeBase, heightOf, rpcJson, runTestnet, until } from "../support/testnet-ports.ts";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, QueryClient, SigningStargateClient, setupSlashingExtension, setupStakingExtension } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { QueryBeaconRequest, QueryBeaconResponse } from "../../proto/gen/aro/base/v1/query.ts";
import { decodeBeaconTx, genesisBeacon, nextBeacon } from "../../chain/beacon.ts";
import { arodBin } from "../../app/testnet/local-node.ts";
import { alive } from "../../app/testnet/control.ts";
import type { TestnetInfo } from "../../app/testnet/create.ts";




const height = heightOf;
const appHashAt = async (rpc: string, h: number) => (await rpcJson(`${rpc}/block?height=${h}`)).block.header.app_hash as string;


describe("e2e: arod testnet (4 validators, each its own arod + cometbft)", function () {
  let dir: string;
  let stopNet: (() => Promise<void>) | undefined;
  let supervisor: ChildProcess;
  let info: TestnetInfo;
  const cli = (...args: string[]) => spawnSync(process.execPath, [arodBin, "testnet", ...args, "--home", dir], { encoding: "utf8" });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "arod-testnet-"));
    ({ info, stop: stopNet, supervisor } = await runTestnet(dir));
  });
  after(async () => {
    await stopNet?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes testnet.json with each validator's moniker, RPC, home and pids, and all agree on the app hash", async () => {
    assert.equal(info.validators.length, 4);
    for (const v of info.validators) {
      assert.match(v.moniker, /^validator-\d$/);
      assert.ok(fs.existsSync(path.join(v.home, "config", "genesis.json")));
      assert.ok(alive(v.pids.arod) && alive(v.pids.cometbft));
    }
    assert.ok(fs.existsSync(path.join(dir, "demo.mnemonic")));
    const genesis = info.validators.map((v) => fs.readFileSync(path.join(v.home, "config", "genesis.json"), "utf8"));
    assert.ok(genesis.every((g) => g === genesis[0]), "one genesis for all");
    assert.equal(JSON.parse(genesis[0]).app_state.staking.validators.length, 4, "validators come from x/staking genesis");
    const set = await rpcJson(`${info.validators[0].rpc}/validators`);
    assert.equal(set.validators.length, 4);
    assert.ok(set.validators.every((v: any) => v.voting_power === "100000"), "power = self-bond / 10^6");
    await until("height 3 everywhere", async () => (await Promise.all(info.validators.map((v) => height(v.rpc)))).every((h) => h >= 3));
    const hashes = await Promise.all(info.validators.map((v) => appHashAt(v.rpc, 3)));
    assert.ok(hashes.every((h) => h === hashes[0] && h.length === 64));
  });

  it("every block after the first carries the beacon, and every validator holds the same seed, recomputable from the blocks", async () => {
    const rpcs = info.validators.map((v) => v.rpc);
    await until("height 6 everywhere", async () => (await Promise.all(rpcs.map(height))).every((h) => h >= 6));
    const chainId = (await rpcJson(`${rpcs[0]}/status`)).node_info.network;
    let beacon = genesisBeacon(chainId);
    for (let h = 1; h <= 5; h++) {
      const txs: string[] = (await rpcJson(`${rpcs[0]}/block?height=${h}`)).block.data.txs ?? [];
      const input = h === 1 ? undefined : decodeBeaconTx(new Uint8Array(Buffer.from(txs[0] ?? "", "base64")));
      if (h > 1) {
        assert.ok(input, `block ${h} starts with a beacon tx`);
        const power = input.votes.reduce((a, v) => a + v.power, 0n);
        assert.ok(power * 3n > 400000n * 2n, `block ${h}'s beacon holds more than 2/3 of the power (${power})`);
      }
      beacon = nextBeacon(beacon, BigInt(h), input);
    }
    const seeds = await Promise.all(rpcs.map(async (rpc) => {
      const data = Buffer.from(QueryBeaconRequest.encode({}).finish()).toString("hex");
      const r = await rpcJson(`${rpc}/abci_query?path=%22/aro.base.v1.Query/Beacon%22&data=0x${data}&height=5`);
      const res = QueryBeaconResponse.decode(Buffer.from(r.response.value, "base64"));
      assert.equal(res.voteExtensionsEnableHeight, 1n);
      return Buffer.from(res.beacon).toString("hex");
    }));
    assert.ok(seeds.every((s) => s === seeds[0]), "one seed on every validator");
    assert.equal(seeds[0], Buffer.from(beacon).toString("hex"), "recomputed from the blocks' beacon txs");
  });

  it("kill one validator: blocks continue and txs commit; restart it: it catches up with the same app hash", async () => {
    const victim = info.validators[3];
    const r = cli("kill", "--validator", "3");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(alive(victim.pids.arod), false);
    assert.equal(alive(victim.pids.cometbft), false);
    const h0 = await height(info.validators[0].rpc);
    await until("3 more blocks without validator 3", async () => (await height(info.validators[0].rpc)) >= h0 + 3);

    const mnemonic = fs.readFileSync(path.join(dir, "demo.mnemonic"), "utf8").trim();
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "aro" });
    const client = await SigningStargateClient.connectWithSigner(info.validators[1].rpc, wallet, { gasPrice: GasPrice.fromString("0.025uaro"), broadcastPollIntervalMs: 300 });
    const sent = await client.sendTokens(info.demo_address, "aro1zafu84ty5hm5z740tyca2lwvnt8mreywl8pr7c", [{ denom: "uaro", amount: "77" }], "auto");
    assert.equal(sent.code, 0);
    client.disconnect();

    const restart = cli("restart", "--validator", "3");
    assert.equal(restart.status, 0, restart.stderr);
    const target = await height(info.validators[0].rpc);
    await until("validator 3 to catch up", async () => (await height(victim.rpc)) >= target + 2, 90_000);
    const h = target + 1;
    const hashes = await Promise.all(info.validators.map((v) => appHashAt(v.rpc, h)));
    assert.ok(hashes.every((x) => x === hashes[0]), `app hashes at ${h}: ${hashes.join(" ")}`);
    const bal = await rpcJson(`${victim.rpc}/tx?hash=0x${sent.transactionHash}`);
    assert.equal(Number(bal.height), sent.height, "the restarted validator has the tx committed while it was down");
  });

  it("a real double sign (validator 2's key run by a second node) produces evidence: slashed 5%, jailed and tombstoned", async () => {
    const twin = path.join(dir, "twin-of-2");
    const base = await freeBase(1);
    const init = spawnSync(process.execPath, [arodBin, "init", "twin", "--chain-id", info.chain_id, "--home", twin,
      "--rpc-port", String(base + 1), "--p2p-port", String(base), "--abci-port", String(base + 2),
      "--api-port", String(base + 3), "--grpc-port", String(base + 4), "--metrics-port", String(base + 5), "--console-port", String(base + 6), "--timeout-commit", "300ms"], { encoding: "utf8" });
    assert.equal(init.status, 0, init.stderr);
    fs.copyFileSync(path.join(info.validators[0].home, "config", "genesis.json"), path.join(twin, "config", "genesis.json"));
    fs.copyFileSync(path.join(info.validators[2].home, "config", "priv_validator_key.json"), path.join(twin, "config", "priv_validator_key.json"));
    const cfgPath = path.join(twin, "config", "config.toml");
    const peers = info.validators.map((v) => `${v.nodeId}@${v.p2p}`).join(",");
    fs.writeFileSync(cfgPath, fs.readFileSync(cfgPath, "utf8").replace(/^persistent_peers = .*$/m, `persistent_peers = "${peers}"`));
    const twinProc = spawn(process.execPath, [arodBin, "start", "--home", twin], { stdio: "ignore" });
    const twinComet = () => Number(fs.readFileSync(path.join(twin, "cometbft.pid"), "utf8"));
    try {
      const valoper = info.validators[2].valoper!;
      const comet = await Comet38Client.connect(info.validators[0].rpc);
      const q = QueryClient.withExtensions(comet, setupStakingExtension, setupSlashingExtension);
      await until("validator 2 to be tombstoned for double signing", async () => (await q.staking.validator(valoper)).validator?.jailed === true, 150_000);
      const v = (await q.staking.validator(valoper)).validator!;
      assert.equal(v.tokens, "95000000000", "5% of the 100,000 aro self-bond burned");
      const infos = (await q.slashing.signingInfos()).info;
      const tomb = infos.filter((i) => i.tombstoned);
      assert.equal(tomb.length, 1);
      assert.ok(tomb[0].jailedUntil.seconds > 200_000_000_000n, "jailed forever");
      // the evidence is in a block, and validator 2 left CometBFT's set
      await until("validator 2 to leave the set", async () => (await rpcJson(`${info.validators[0].rpc}/validators`)).validators.length === 3);
      comet.disconnect();
    } finally {
      const cometPid = (() => { try { return twinComet(); } catch { return undefined; } })();
      twinProc.kill("SIGKILL");
      if (alive(cometPid)) process.kill(cometPid!, "SIGKILL");
    }
  });

  it("status lists every validator; SIGTERM stops the whole network", async () => {
    const st = JSON.parse(cli("status").stdout);
    assert.equal(st.length, 4);
    assert.ok(st.every((v: any) => v.running && v.height > 0));
    assert.equal(new Set(st.map((v: any) => v.appHash)).size <= 2, true, "nodes agree (one may be a block behind)");
    const latest = JSON.parse(fs.readFileSync(path.join(dir, "testnet.json"), "utf8")) as TestnetInfo;
    const exited = new Promise<number | null>((r) => supervisor.once("exit", (c) => r(c)));
    supervisor.kill("SIGTERM");
    assert.equal(await exited, 0);
    for (const v of latest.validators) for (const pid of [v.pids.arod, v.pids.cometbft]) assert.equal(alive(pid), false, `${v.moniker} pid ${pid} still running`);
  });
});
