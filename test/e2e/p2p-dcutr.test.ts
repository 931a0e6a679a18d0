import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const ns = `aro-dcutr-${process.pid}`;
// public-looking addresses: DCUtR dials only addresses that are not private, so loopback and
// the RFC 5737 test ranges are out; these exist only on the namespace's own loopback
const RELAY_IP = "11.0.0.3";
const CLIENT_IP = "11.0.0.1";

interface Facts {
  natAddrs: string[];
  relayLimit: string;
  firstConnection: { remoteAddr: string; limited: boolean };
  upgraded: { remoteAddr: string; direction: string; limited: boolean };
  clientToNat: Array<{ remoteAddr: string; direction: string; limited: boolean }>;
  natToClient: Array<{ remoteAddr: string; direction: string; limited: boolean }>;
  download: { bytes: number; verified: boolean; chunks: number; dropped: number; ms: number };
  servedBytes: number;
}

const ip = (...args: string[]) => execFileSync("ip", args, { stdio: ["ignore", "pipe", "pipe"] }).toString();

/** Runs the scenario inside the namespace; kills it by pid if it hangs. */
function runScenario(timeoutMs: number): Promise<Facts> {
  return new Promise((resolve, reject) => {
    const child = spawn("ip", ["netns", "exec", ns, process.execPath, "--import", "tsx", path.join(root, "test", "support", "dcutr-scenario.ts"), RELAY_IP, CLIENT_IP], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`scenario exited with ${code ?? signal}\n${err}${out}`));
      const line = out.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(line) as Facts);
      } catch {
        reject(new Error(`scenario printed no facts:\n${out}\n${err}`));
      }
    });
  });
}

describe("DCUtR: a node with no listening address, behind a relay with default limits, gets a direct connection and serves PeerDTS over it (own network namespace)", function () {
  this.timeout(90_000);
  let facts: Facts;

  before(async function () {
    try {
      ip("netns", "add", ns);
    } catch (e) {
      // network namespaces need root (CAP_SYS_ADMIN); say why rather than pass silently
      console.log(`      skipped: cannot create a network namespace: ${(e as { stderr?: Buffer }).stderr?.toString().trim() ?? e}`);
      this.skip();
    }
    ip("netns", "exec", ns, "ip", "link", "set", "lo", "up");
    for (const a of [RELAY_IP, CLIENT_IP]) ip("netns", "exec", ns, "ip", "addr", "add", `${a}/32`, "dev", "lo");
    facts = await runScenario(60_000);
  });
  after(() => {
    try {
      ip("netns", "del", ns);
    } catch {
      // never created
    }
  });

  it("the node announces only its circuit, and the relay holds a reservation with the default 128 KiB limit", () => {
    assert.ok(facts.natAddrs.length > 0);
    for (const a of facts.natAddrs) assert.match(a, new RegExp(`^/ip4/${RELAY_IP.replace(/\./g, "\\.")}/tcp/\\d+/p2p/\\w+/p2p-circuit/p2p/\\w+$`));
    assert.equal(facts.relayLimit, "131072");
  });

  it("the client's first connection runs through the relay and is limited", () => {
    assert.match(facts.firstConnection.remoteAddr, /\/p2p-circuit\//);
    assert.equal(facts.firstConnection.limited, true);
  });

  it("DCUtR replaces it with a direct, unlimited connection that the node dialled to the client's public address", () => {
    assert.doesNotMatch(facts.upgraded.remoteAddr, /p2p-circuit/);
    assert.equal(facts.upgraded.direction, "inbound");
    assert.equal(facts.upgraded.limited, false);
    // the relayed connection is gone on both sides; the node's side is the dial to the client's listen address
    assert.ok(facts.clientToNat.length > 0 && facts.clientToNat.every((c) => !c.remoteAddr.includes("p2p-circuit")), JSON.stringify(facts.clientToNat));
    assert.ok(facts.natToClient.some((c) => c.direction === "outbound" && c.remoteAddr.startsWith(`/ip4/${CLIENT_IP}/tcp/`)), JSON.stringify(facts.natToClient));
  });

  it("~1 MiB of PeerDTS content (refused on the limited relay connection) downloads over the direct connection, every chunk verified", () => {
    assert.equal(facts.download.verified, true);
    assert.equal(facts.download.bytes, 1024 * 1024 + 777);
    assert.equal(facts.download.chunks, 17);
    assert.equal(facts.download.dropped, 0);
    assert.ok(facts.servedBytes >= facts.download.bytes);
  });
});
