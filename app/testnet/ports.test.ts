import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { busyPorts, freeBase, nodePorts, portFree, portsOf } from "./ports.ts";
import { createTestnet } from "./create.ts";

describe("testnet ports: every port a validator binds is checked before a network is made", () => {
  let server: net.Server;
  let base: number;
  before(async () => {
    base = await freeBase(2);
    server = net.createServer();
    await new Promise<void>((r) => server.listen(portsOf(base, 1).grpc, "127.0.0.1", () => r()));
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it("freeBase picks a range below the ephemeral ports whose p2p, RPC, ABCI, REST, gRPC, metrics and console ports are all free", async () => {
    const b = await freeBase(4);
    assert.ok(b >= 20000 && b + 40 < 32768, `base ${b}`);
    assert.deepEqual(await busyPorts(b, 4), []);
  });

  it("nodePorts gives a single node seven distinct free ports below the ephemeral range (one freePort() per role could repeat one)", async () => {
    for (let k = 0; k < 20; k++) {
      const ports = Object.values(await nodePorts());
      assert.equal(new Set(ports).size, 7, `distinct: ${ports.join(", ")}`);
      assert.ok(ports.every((p) => p >= 20000 && p < 32768), ports.join(", "));
      assert.deepEqual(await Promise.all(ports.map(portFree)), Array(7).fill(true));
    }
  });

  it("busyPorts names the port in use and whose it is", async () => {
    assert.deepEqual(await busyPorts(base, 2), [`${base + 14} (gRPC of validator 1)`]);
  });

  it("createTestnet refuses busy ports before writing anything", async () => {
    const dir = path.join(os.tmpdir(), `aro-ports-${process.pid}`);
    await assert.rejects(createTestnet(dir, { validators: 2, basePort: base, timeoutCommit: "300ms" }), /ports in use: \d+ \(gRPC of validator 1\); choose another --base-port/);
    assert.equal(fs.existsSync(dir), false);
  });
});
