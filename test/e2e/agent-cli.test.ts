import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { agentBin } from "../../app/testnet/agents.ts";

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [agentBin, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe("e2e: the aro-agent CLI (init, keys, status, help, bad input)", function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-agent-cli-"));
  const home = path.join(dir, "home");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("--help lists every command", () => {
    const r = run("--help");
    assert.equal(r.code, 0);
    for (const c of ["init", "start", "status", "keys", "client"]) assert.match(r.out, new RegExp(`\\b${c}\\b`));
    assert.match(run("start", "--help").out, /--fault/);
  });

  it("init writes a commented config, an operator key and a libp2p identity; keys shows them", () => {
    const r = run("init", "--home", home, "--keyring-backend", "test", "--region", "asia", "--p2p-port", "0", "--ws-port", "0");
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out);
    assert.match(out.operator, /^aro1/);
    assert.match(out.peerId, /^12D3KooW/);
    assert.equal(out.mnemonic.split(" ").length, 24);
    const config = fs.readFileSync(path.join(home, "config.toml"), "utf8");
    assert.match(config, /region = "asia"/);
    assert.ok(config.split("\n").filter((l) => l.startsWith("#")).length > 20, "settings are explained");
    const keys = JSON.parse(run("keys", "--home", home).out);
    assert.equal(keys.operator, out.operator);
    assert.equal(keys.peerId, out.peerId);
    assert.match(run("init", "--home", home, "--keyring-backend", "test").err, /already initialised/);
  });

  it("clear errors: bad ports, no agent running, no chain to reach", () => {
    const bad = run("init", "--home", path.join(dir, "other"), "--dts-port", "99999");
    assert.equal(bad.code, 1);
    assert.match(bad.err, /--dts-port must be a port number/);
    const status = run("status", "--home", home);
    assert.equal(status.code, 1);
    assert.match(status.err, /no agent answers at http:\/\/127\.0\.0\.1:9100/);
    const start = run("start", "--home", home, "--chain-rpc", "http://127.0.0.1:1");
    assert.equal(start.code, 1);
    assert.match(start.err, /cannot reach the chain at http:\/\/127\.0\.0\.1:1/);
  });
});
