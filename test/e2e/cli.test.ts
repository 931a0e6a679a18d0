import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { arodBin, repoRoot } from "../../app/testnet/local-node.ts";
import { freePort, nodePorts } from "../../app/testnet/ports.ts";
import { waitForHeight } from "../../app/arod/cli/devnet.ts";
import { govAuthority } from "../../chain/params-route.ts";

function arod(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [arodBin, ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function ok(args: string[], env: Record<string, string> = {}): string {
  const r = arod(args, env);
  assert.equal(r.code, 0, `arod ${args.join(" ")} failed:\n${r.err}\n${r.out}`);
  return r.out;
}
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe("e2e: the arod CLI", function () {
  let home: string;
  let rpc: string;
  const cleanup: Array<() => void> = [];
  before(() => (home = fs.mkdtempSync(path.join(os.tmpdir(), "arod-cli-"))));
  after(() => {
    for (const c of cleanup) c();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it("prints --help for every command", () => {
    for (const cmd of [[], ["init"], ["keys"], ["keys", "add"], ["keys", "list"], ["keys", "show"], ["keys", "delete"], ["genesis", "add-account"], ["start"], ["devnet"],
      ["tx", "bank", "send"], ["tx", "staking", "create-validator"], ["tx", "staking", "delegate"], ["tx", "staking", "unbond"], ["tx", "staking", "redelegate"],
      ["query", "staking", "validators"], ["query", "staking", "delegation"], ["testnet"], ["testnet", "kill"], ["genesis", "add-validator"], ["tx", "gov", "submit-proposal"], ["tx", "gov", "vote"], ["tx", "gov", "deposit"], ["tx", "slashing", "unjail"], ["query", "gov", "proposal"], ["tx", "distribution", "withdraw-rewards"], ["tx", "distribution", "withdraw-commission"], ["tx", "distribution", "set-withdraw-addr"], ["tx", "distribution", "fund-community-pool"], ["query", "distribution", "rewards"], ["query", "distribution", "commission"], ["query", "distribution", "community-pool"], ["query", "distribution", "slashes"], ["tx", "peernode", "register"], ["tx", "market", "deposit"], ["tx", "watcher", "register"], ["query", "peernode", "nodes"], ["query", "settlement", "explain"], ["query", "gpow", "epoch"], ["query", "watcher", "committee"], ["query", "slashing", "signing-info"], ["query", "bank", "balances"], ["query", "bank", "total"], ["query", "tx"], ["status"], ["export"], ["debug", "invariants"], ["debug", "replay"]]) {
      const out = ok([...cmd, "--help"]);
      assert.match(out, /Usage: arod/);
    }
  });

  it("init, keys, genesis add-account, start, tx bank send, query, status, stop, export", async () => {
    const ports = await nodePorts();
    rpc = `http://127.0.0.1:${ports.rpc}`;
    const portFlags = ["--rpc-port", ports.rpc, "--p2p-port", ports.p2p, "--abci-port", ports.abci, "--api-port", ports.api, "--grpc-port", ports.grpc, "--metrics-port", ports.metrics, "--console-port", ports.console].map(String);
    ok(["init", "cli-node", "--chain-id", "aro-cli-1", "--home", home, ...portFlags, "--timeout-commit", "200ms"]);
    const again = arod(["init", "cli-node", "--chain-id", "aro-cli-1", "--home", home]);
    assert.equal(again.code, 1);
    assert.match(again.err, /already exists \(use --overwrite/);

    const alice = JSON.parse(ok(["keys", "add", "alice", "--home", home, "--keyring-backend", "test"]));
    assert.match(alice.address, /^aro1/);
    assert.equal(alice.mnemonic.split(" ").length, 24);
    const pw = { AROD_KEYRING_PASSWORD: "correct horse battery" };
    const bob = JSON.parse(ok(["keys", "add", "bob", "--home", home], pw));
    const bobFile = fs.readFileSync(path.join(home, "keyring-file", "bob.json"), "utf8");
    assert.ok(!bobFile.includes(bob.mnemonic.split(" ")[0] + " " + bob.mnemonic.split(" ")[1]), "the file keyring does not store the mnemonic in clear");
    assert.equal(ok(["keys", "show", "bob", "-a", "--home", home]).trim(), bob.address);
    assert.deepEqual(JSON.parse(ok(["keys", "list", "--home", home, "--keyring-backend", "test"])).map((k: any) => k.name), ["alice"]);
    const noPw = arod(["tx", "bank", "send", "bob", alice.address, "1uaro", "--home", home, "--node", rpc]);
    assert.equal(noPw.code, 1);
    // recover: the same mnemonic gives the same address
    const mn = path.join(home, "m.txt");
    fs.writeFileSync(mn, alice.mnemonic);
    assert.equal(JSON.parse(ok(["keys", "add", "alice2", "--mnemonic-file", mn, "--home", home, "--keyring-backend", "test"])).address, alice.address);
    ok(["keys", "delete", "alice2", "--yes", "--home", home, "--keyring-backend", "test"]);

    ok(["genesis", "add-account", "alice", "5000000000uaro", "--home", home, "--keyring-backend", "test"]);
    const start = spawn(process.execPath, [arodBin, "start", "--home", home], { stdio: "ignore" });
    cleanup.push(() => { if (alive(start.pid!)) process.kill(start.pid!, "SIGKILL"); });
    await waitForHeight(rpc, 1);

    const status = JSON.parse(ok(["status", "--node", rpc]));
    assert.equal(status.node_info.network, "aro-cli-1");
    assert.equal(status.app.name, "arod");

    const sent = JSON.parse(ok(["tx", "bank", "send", "alice", bob.address, "1234uaro", "--home", home, "--keyring-backend", "test", "--node", rpc, "--chain-id", "aro-cli-1"]));
    assert.equal(sent.code, 0);
    const wrongChain = arod(["tx", "bank", "send", "alice", bob.address, "1uaro", "--home", home, "--keyring-backend", "test", "--node", rpc, "--chain-id", "nope"]);
    assert.match(wrongChain.err, /does not match the node's chain id aro-cli-1/);
    const badAddr = arod(["tx", "bank", "send", "alice", "aro1xyz", "1uaro", "--home", home, "--keyring-backend", "test", "--node", rpc]);
    assert.equal(badAddr.code, 1);
    assert.match(badAddr.err, /invalid recipient/);

    assert.deepEqual(JSON.parse(ok(["query", "bank", "balances", bob.address, "--node", rpc])).balances, [{ denom: "uaro", amount: "1234" }]);
    const supply = JSON.parse(ok(["query", "bank", "total", "--node", rpc])).supply;
    assert.equal(supply[0].denom, "uaro");
    assert.ok(BigInt(supply[0].amount) > 5_000_000_000n, "genesis supply plus x/mint inflation");
    const tx = JSON.parse(ok(["query", "tx", sent.txhash, "--node", rpc]));
    assert.equal(tx.height, sent.height);

    // SIGTERM stops arod and the cometbft it supervises
    const cometPid = Number(fs.readFileSync(path.join(home, "cometbft.pid"), "utf8"));
    assert.ok(alive(cometPid));
    const exited = new Promise<number | null>((r) => start.once("exit", (c) => r(c)));
    start.kill("SIGTERM");
    assert.equal(await exited, 0);
    assert.equal(alive(cometPid), false);

    const exported = JSON.parse(ok(["export", "--home", home]));
    assert.equal(exported.chain_id, "aro-cli-1");
    assert.ok(Number(exported.initial_height) > 1);
    assert.deepEqual(exported.app_state.bank.balances.find((b: any) => b.address === bob.address).coins, [{ denom: "uaro", amount: "1234" }]);
    assert.match(ok(["debug", "invariants", "--home", home]), /all invariants hold/);

    // restart the network from the export: state carried over, heights continue
    const genesisFile = path.join(home, "config", "genesis.json");
    fs.writeFileSync(genesisFile, JSON.stringify(exported));
    fs.rmSync(path.join(home, "data", "application.db"), { recursive: true });
    const reset = spawnSync(path.join(repoRoot, ".bin", "cometbft"), ["unsafe-reset-all", "--home", home], { encoding: "utf8" });
    assert.equal(reset.status, 0, reset.stderr);
    const restarted = spawn(process.execPath, [arodBin, "start", "--home", home], { stdio: "ignore" });
    cleanup.push(() => { if (alive(restarted.pid!)) process.kill(restarted.pid!, "SIGKILL"); });
    await waitForHeight(rpc, Number(exported.initial_height));
    assert.deepEqual(JSON.parse(ok(["query", "bank", "balances", bob.address, "--node", rpc])).balances, [{ denom: "uaro", amount: "1234" }]);
    const aliceAcct = JSON.parse(ok(["query", "account", alice.address, "--node", rpc]));
    assert.equal(aliceAcct.sequence, 1, "sequence carried over: old txs cannot be replayed");
    const sent2 = JSON.parse(ok(["tx", "bank", "send", "alice", bob.address, "1uaro", "--home", home, "--keyring-backend", "test", "--node", rpc]));
    assert.equal(sent2.code, 0);
    assert.ok(sent2.height >= Number(exported.initial_height));
    const stopped = new Promise((r) => restarted.once("exit", r));
    restarted.kill("SIGTERM");
    await stopped;
  });

  it("devnet: one command brings up a funded chain and stops cleanly on SIGTERM", async () => {
    const dir = path.join(home, "devnet");
    const port = await freePort();
    const child = spawn(process.execPath, [arodBin, "devnet", "--home", dir, "--rpc-port", String(port), "--timeout-commit", "200ms"], { stdio: ["ignore", "pipe", "pipe"] });
    cleanup.push(() => { if (alive(child.pid!)) process.kill(child.pid!, "SIGKILL"); });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    const deadline = Date.now() + 60_000;
    while (!out.includes("Press Ctrl-C")) {
      assert.ok(Date.now() < deadline, "devnet did not come up");
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(out, /chain id: +aro-devnet-1/);
    assert.match(out, new RegExp(`RPC: +http://127.0.0.1:${port}`));
    const demo = /demo address: +(aro1\w+)/.exec(out)![1];
    assert.equal(fs.readFileSync(path.join(dir, "demo.mnemonic"), "utf8").trim().split(" ").length, 24);
    const bal = JSON.parse(ok(["query", "bank", "balances", demo, "--node", `http://127.0.0.1:${port}`]));
    assert.deepEqual(bal.balances, [{ denom: "uaro", amount: "1000000000000" }]);
    // the devnet's validator is bonded through x/staking; delegate to it from the CLI
    const node = `http://127.0.0.1:${port}`;
    const vals = JSON.parse(ok(["query", "staking", "validators", "--status", "BOND_STATUS_BONDED", "--node", node])).validators;
    assert.equal(vals.length, 1);
    const valoper = vals[0].operatorAddress;
    const sent = JSON.parse(ok(["tx", "staking", "delegate", valoper, "2000000uaro", "--from", "demo", "--home", dir, "--keyring-backend", "test", "--node", node]));
    assert.equal(sent.code, 0, sent.raw_log);
    const dels = JSON.parse(ok(["query", "staking", "delegations", demo, "--node", node])).delegationResponses;
    assert.deepEqual(dels[0].balance, { denom: "uaro", amount: "2000000" });
    const unbond = JSON.parse(ok(["tx", "staking", "unbond", valoper, "500000uaro", "--from", "demo", "--home", dir, "--keyring-backend", "test", "--node", node]));
    assert.equal(unbond.code, 0, unbond.raw_log);
    assert.equal(JSON.parse(ok(["query", "staking", "pool", "--node", node])).pool.notBondedTokens, "500000");
    // rewards from the CLI
    const pending = JSON.parse(ok(["query", "distribution", "rewards", demo, valoper, "--node", node])).rewards;
    assert.ok(BigInt(pending[0].amount) > 0n, "the delegation earns from the next block on");
    const withdrawn = JSON.parse(ok(["tx", "distribution", "withdraw-rewards", valoper, "--from", "demo", "--home", dir, "--keyring-backend", "test", "--node", node]));
    assert.equal(withdrawn.code, 0, withdrawn.raw_log);
    assert.ok(withdrawn.events.some((e: any) => e.type === "withdraw_rewards"));
    const all = JSON.parse(ok(["tx", "distribution", "withdraw-rewards", "--all", "--from", "demo", "--home", dir, "--keyring-backend", "test", "--node", node]));
    assert.equal(all.code, 0, all.raw_log);
    const commission = JSON.parse(ok(["tx", "distribution", "withdraw-commission", "--from", "validator", "--home", dir, "--keyring-backend", "test", "--node", node]));
    assert.equal(commission.code, 0, commission.raw_log);
    assert.ok(BigInt(JSON.parse(ok(["query", "distribution", "community-pool", "--node", node])).pool[0].amount) > 0n);
    const noArgs = arod(["tx", "distribution", "withdraw-rewards", "--from", "demo", "--home", dir, "--keyring-backend", "test", "--node", node]);
    assert.match(noArgs.err, /give a validator \(arovaloper1...\) or --all/);
    const bad = arod(["tx", "staking", "delegate", "arovaloper1nope", "1uaro", "--from", "demo", "--home", dir, "--keyring-backend", "test", "--node", node]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /invalid validator address/);

    // governance from the CLI: a proposal file, a vote, the live tally
    const file = path.join(dir, "proposal.json");
    fs.writeFileSync(file, JSON.stringify({
      messages: [{ "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: govAuthority(), to_address: demo, amount: [{ denom: "uaro", amount: "1" }] }],
      deposit: "10000000uaro", title: "pay the demo account", summary: "from the CLI test",
    }));
    const submitted = JSON.parse(ok(["tx", "gov", "submit-proposal", file, "--from", "demo", "--home", dir, "--keyring-backend", "test", "--node", node]));
    assert.equal(submitted.code, 0, submitted.raw_log);
    const voted = JSON.parse(ok(["tx", "gov", "vote", "1", "yes", "--from", "validator", "--home", dir, "--keyring-backend", "test", "--node", node]));
    assert.equal(voted.code, 0, voted.raw_log);
    assert.equal(JSON.parse(ok(["query", "gov", "tally", "1", "--node", node])).tally.yes, "100001500000", "the self-bond plus demo's 1.5 aro delegation, inherited");
    assert.equal(JSON.parse(ok(["query", "gov", "proposals", "--node", node])).proposals.length, 1);
    const badVote = arod(["tx", "gov", "vote", "1", "maybe", "--from", "validator", "--home", dir, "--keyring-backend", "test", "--node", node]);
    assert.match(badVote.err, /option must be one of yes, abstain, no, no_with_veto/);

    // PeerNodes from the CLI: register with a bond, list, explain (nothing earned yet)
    const registered = JSON.parse(ok(["tx", "peernode", "register", "--peer-id", "12D3KooWGzh5ZmpdxoFvC3PN6pfBjfsp9ohsAGSvA1o2CzyCRbtN", "--region", "europe", "--bond", "100000000uaro",
      "--services", "cdn,hvm", "--multiaddrs", "/ip4/127.0.0.1/tcp/4001", "--from", "demo", "--home", dir, "--keyring-backend", "test", "--node", node]));
    assert.equal(registered.code, 0, registered.raw_log);
    const nodes = JSON.parse(ok(["query", "peernode", "nodes", "--owner", demo, "--node", node])).nodes;
    assert.deepEqual([nodes.length, nodes[0].region, nodes[0].guaranteeTokens], [1, "europe", "100000000"]);
    assert.equal(JSON.parse(ok(["query", "peernode", "nodes", "--status", "active", "--node", node])).nodes.length, 1);
    assert.equal(JSON.parse(ok(["query", "peernode", "nodes", "--status", "underbonded", "--node", node])).nodes.length, 0, "none is under min_bond");
    const badStatus = arod(["query", "peernode", "nodes", "--status", "sleeping", "--node", node]);
    assert.equal(badStatus.code, 1);
    assert.match(badStatus.err, /--status must be one of active, underbonded, deregistered/);
    const unexplained = arod(["query", "settlement", "explain", "1", "0", "--node", node]);
    assert.equal(unexplained.code, 1);
    assert.match(unexplained.err, /earned nothing in epoch 0/);
    const badRegion = arod(["tx", "peernode", "register", "--peer-id", "12D3KooWGzh5ZmpdxoFvC3PN6pfBjfsp9ohsAGSvA1o2CzyCRbtN", "--region", "moon", "--bond", "100000000uaro",
      "--multiaddrs", "/ip4/127.0.0.1/tcp/4002", "--from", "demo", "--home", dir, "--keyring-backend", "test", "--node", node]);
    assert.equal(badRegion.code, 1);
    assert.match(badRegion.err + badRegion.out, /unknown region/);

    const exited = new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
  });
});
