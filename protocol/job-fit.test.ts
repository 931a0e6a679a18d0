import assert from "node:assert/strict";
import { GenesisState, NatType, Service } from "../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../proto/gen/aro/peernode/v1/tx.ts";
import { addressFromBytes } from "../chain/address.ts";
import type { Context } from "../chain/module.ts";
import { scratchContext } from "../chain/scratch-context.ts";
import { sha256 } from "../chain/seed.ts";
import { bankKeeper } from "../modules/bank/keeper.ts";
import { jobFits, jobMisfit } from "./job-fit.ts";
import { initPeernodeGenesis } from "../modules/peernode/genesis.ts";
import { peernodeKeeper as k } from "../modules/peernode/keeper.ts";
import { peernodeMsgs } from "../modules/peernode/msgs/index.ts";
import { defaultPeernodeParams } from "../modules/peernode/params.ts";

const MIB = 1n << 20n;
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const peerId = (n: number) => "12D3KooW" + Array.from(sha256(`fit${n}`).slice(0, 22), (b) => B58[b % 58] + B58[(b >> 2) % 58]).join("");
const alice = addressFromBytes(sha256("alice").slice(0, 20));
const route = peernodeMsgs.find((r) => r.typeUrl === "/aro.peernode.v1.MsgRegisterNode")!;

function chain(): Context {
  const ctx = scratchContext({ get: () => undefined, iterate: () => [] }, 1n);
  initPeernodeGenesis(ctx, GenesisState.toJSON({ params: { ...defaultPeernodeParams, minBond: "1000000" }, nodes: [], guarantees: [], unbondings: [], nextNodeId: 1n, commissionHistory: [] }));
  bankKeeper.setBalance(ctx.store, alice, "uaro", 10n ** 15n);
  bankKeeper.setSupply(ctx.store, "uaro", 10n ** 15n);
  return ctx;
}
const register = (ctx: Context, n: number, memoryMb: bigint, cpuMillicores = 1000n) => MsgRegisterNodeResponse.decode(route.handle(ctx, {
  owner: alice, operator: alice, peerId: peerId(n), multiaddrs: [`/ip4/127.0.0.1/tcp/${4000 + n}`], endpoints: [], region: "europe",
  resources: { bandwidthMbps: 100n, storageGb: 1n, cpuMillicores, memoryMb, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC,
  services: [Service.SERVICE_HVM], commission: "0", bond: { denom: "uaro", amount: "2000000" }, maxCommissionRate: "", maxCommissionChangeRate: "",
}).value).nodeId;

describe("gpow: a job is drawn only among nodes whose declared resources fit its limits", () => {
  it("jobFits: memory limit plus output within the declared MiB, on at least one core", () => {
    const limits = { maxMemoryBytes: 64n * MIB - 1024n, maxOutputBytes: 1024n };
    assert.equal(jobFits(limits, { memoryMb: 64n, cpuMillicores: 1000n }), true);
    assert.match(jobMisfit({ ...limits, maxOutputBytes: 1025n }, { memoryMb: 64n, cpuMillicores: 1000n })!, /node declares 64 MiB/);
    assert.match(jobMisfit(limits, { memoryMb: 64n, cpuMillicores: 999n })!, /millicores/);
    assert.equal(jobFits(limits, undefined), false, "a node declaring nothing fits nothing");
    assert.equal(jobFits({ maxMemoryBytes: 1n << 40n, maxOutputBytes: 0n }, { memoryMb: 1n << 20n, cpuMillicores: 1000n }), true, "1 TiB on a 1 TiB node");
  });

  it("pickNodes with a fit predicate draws only fitting nodes, and none when none fit, within its bounded tries", () => {
    const ctx = chain();
    const small = Array.from({ length: 6 }, (_, i) => register(ctx, i, 1024n));
    const bigs = [register(ctx, 10, 2n << 20n), register(ctx, 11, 2n << 20n)];
    const tib = { maxMemoryBytes: 1n << 40n, maxOutputBytes: 1024n };
    const fits = (n: { resources?: { memoryMb: bigint; cpuMillicores: bigint } }) => jobFits(tib, n.resources);
    for (let i = 0; i < 20; i++) {
      const picked = k.pickNodes(ctx.store, Service.SERVICE_HVM, [], 2, sha256(`job${i}`), new Set(), undefined, fits);
      assert.deepEqual([...picked].sort(), [...bigs].sort(), `draw ${i}: ${picked.join(",")}`);
    }
    const none = k.pickNodes(ctx.store, Service.SERVICE_HVM, [], 2, sha256("x"), new Set(bigs), undefined, fits);
    assert.deepEqual(none, []);
    assert.equal(k.pickNodes(ctx.store, Service.SERVICE_HVM, [], 2, sha256("y")).length, 2, "without a predicate any node is drawn");
    assert.ok(small.length === 6);
  });
});
