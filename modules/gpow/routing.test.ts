import assert from "node:assert/strict";
import { GenesisState, NatType, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { NodeEpochRecord } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import { addressFromBytes } from "../../chain/address.ts";
import type { Context } from "../../chain/module.ts";
import { scratchContext } from "../../chain/scratch-context.ts";
import { sha256 } from "../../chain/seed.ts";
import { bankKeeper } from "../bank/keeper.ts";
import { jobFits } from "../../protocol/job-fit.ts";
import { keys as gpowKeys } from "./keys.ts";
import { changeLoad, freeSlots, getLoad, routingRank } from "./routing.ts";
import { initPeernodeGenesis } from "../peernode/genesis.ts";
import { peernodeKeeper as k } from "../peernode/keeper.ts";
import { peernodeMsgs } from "../peernode/msgs/index.ts";
import { defaultPeernodeParams } from "../peernode/params.ts";
import { keys as settlementKeys } from "../settlement/keys.ts";

const MIB = 1n << 20n;
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const peerId = (n: number) => "12D3KooW" + Array.from(sha256(`route${n}`).slice(0, 22), (b) => B58[b % 58] + B58[(b >> 2) % 58]).join("");
const alice = addressFromBytes(sha256("alice").slice(0, 20));
const route = peernodeMsgs.find((r) => r.typeUrl === "/aro.peernode.v1.MsgRegisterNode")!;
const LIMITS = { maxInstructions: 1_000_000n, maxMemoryBytes: 256n * MIB - 1024n, maxOutputBytes: 1024n }; // 256 MiB a job
const SEEDS = 400;

function chain(): Context {
  const ctx = scratchContext({ get: () => undefined, iterate: () => [] }, 1n);
  initPeernodeGenesis(ctx, GenesisState.toJSON({ params: { ...defaultPeernodeParams, minBond: "1000000" }, nodes: [], guarantees: [], unbondings: [], nextNodeId: 1n, commissionHistory: [] }));
  bankKeeper.setBalance(ctx.store, alice, "uaro", 10n ** 15n);
  bankKeeper.setSupply(ctx.store, "uaro", 10n ** 15n);
  return ctx;
}
let next = 0;
const register = (ctx: Context, o: { region?: string; cores?: bigint; memoryMb?: bigint } = {}) => MsgRegisterNodeResponse.decode(route.handle(ctx, {
  owner: alice, operator: alice, peerId: peerId(++next), multiaddrs: [`/ip4/127.0.0.1/tcp/${4000 + next}`], endpoints: [], region: o.region ?? "europe",
  resources: { bandwidthMbps: 100n, storageGb: 1n, cpuMillicores: (o.cores ?? 4n) * 1000n, memoryMb: o.memoryMb ?? 4096n, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC,
  services: [Service.SERVICE_HVM], commission: "0", bond: { denom: "uaro", amount: "2000000" }, maxCommissionRate: "", maxCommissionChangeRate: "",
}).value).nodeId;

/** Watchers measured these uptimes in epoch 0, and epoch 0 is settled. */
function settleUptimes(ctx: Context, uptimes: Map<bigint, number>): void {
  ctx.store.set(settlementKeys.nextToSettle, new TextEncoder().encode("1"));
  for (const [node, uptimePermille] of uptimes) ctx.store.set(settlementKeys.record(0n, node), NodeEpochRecord.encode(NodeEpochRecord.fromPartial({ nodeId: node, epoch: 0n, uptimePermille })).finish());
}

/** What compute.ts assign() does for a job's round. */
const assign = (ctx: Context, redundancy: number, seed: string, regions: string[] = []) =>
  k.pickNodes(ctx.store, Service.SERVICE_HVM, regions, redundancy, sha256(seed), new Set(), undefined, (n) => jobFits(LIMITS, n.resources), routingRank(ctx.store, LIMITS, regions));

function tally(ctx: Context, redundancy: number, regions: string[] = []): Map<bigint, number> {
  const counts = new Map<bigint, number>();
  for (let i = 0; i < SEEDS; i++) for (const id of assign(ctx, redundancy, `job${i}`, regions)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}
const sum = (m: Map<bigint, number>, ids: bigint[]) => ids.reduce((s, id) => s + (m.get(id) ?? 0), 0);

describe("gpow compute routing: jobs prefer nodes with spare capacity, measured uptime and the asked region, by a seeded draw", () => {
  it("nodes measured at full uptime get far more jobs than a uniform draw would give them, yet jobs still spread", () => {
    const ctx = chain();
    const good = [register(ctx), register(ctx)];
    const poor = Array.from({ length: 6 }, () => register(ctx));
    settleUptimes(ctx, new Map([...good.map((id) => [id, 1000] as const), ...poor.map((id) => [id, 200] as const)]));
    const counts = tally(ctx, 1);
    // uniform: 2 of 8 nodes, 25%; the best of 4 candidates: 1 - C(6,4)/C(8,4) = 79%
    const share = sum(counts, good) / SEEDS;
    assert.ok(share > 0.6, `the two 1000-permille nodes got ${share * 100}% of the jobs (uniform: 25%)`);
    for (const id of good) assert.ok((counts.get(id) ?? 0) < SEEDS * 0.6, `node ${id} is not given every job: ${counts.get(id)}`);
    assert.ok(sum(counts, poor) > 0, "the others still get jobs");
    assert.ok(poor.filter((id) => (counts.get(id) ?? 0) > 0).length >= 4, "spread over most of the others too");
  });

  it("nodes with more spare capacity are preferred, and a node whose cores and memory are taken by running jobs is not chosen while others have room (and with no room anywhere, jobs still go out)", () => {
    const ctx = chain();
    const roomy = [register(ctx, { cores: 8n, memoryMb: 8192n }), register(ctx, { cores: 8n, memoryMb: 8192n })];
    const tight = Array.from({ length: 6 }, () => register(ctx, { cores: 1n, memoryMb: 1024n }));
    settleUptimes(ctx, new Map([...roomy, ...tight].map((id) => [id, 900] as const)));
    const share = sum(tally(ctx, 1), roomy) / SEEDS;
    assert.ok(share > 0.6, `the 8-core nodes got ${share * 100}% of the jobs (uniform: 25%)`);

    // every tight node but one is busy with a job: only the free one of them is drawn
    const [free, ...busy] = tight;
    changeLoad(ctx.store, busy, LIMITS, 1n);
    for (const id of busy) assert.equal(freeSlots(k.mustNode(ctx.store, id), getLoad(ctx.store, id), LIMITS), 0n);
    const counts = tally(ctx, 2);
    for (const id of busy) assert.equal(counts.get(id) ?? 0, 0, `busy node ${id} was chosen while others had room`);
    assert.ok((counts.get(free) ?? 0) > 0, "the tight node with room still gets jobs");
    // memory counts as well as cores: a roomy node whose memory is taken by one big job
    changeLoad(ctx.store, [roomy[0]], { maxMemoryBytes: 8192n * MIB - 1024n, maxOutputBytes: 1024n }, 1n);
    assert.equal(tally(ctx, 2).get(roomy[0]) ?? 0, 0, "no memory left: not chosen");
    // the job resolves: its node has room again, and the load record is gone when nothing runs
    changeLoad(ctx.store, [roomy[0]], { maxMemoryBytes: 8192n * MIB - 1024n, maxOutputBytes: 1024n }, -1n);
    changeLoad(ctx.store, busy, LIMITS, -1n);
    for (const id of [roomy[0], ...busy]) assert.equal(ctx.store.get(gpowKeys.load(id)), undefined);
    assert.ok((tally(ctx, 2).get(roomy[0]) ?? 0) > 0);
    // every node busy: jobs are still assigned (they fit the declared resources)
    const quiet = chain();
    const nodes = Array.from({ length: 3 }, () => register(quiet, { cores: 1n, memoryMb: 1024n }));
    changeLoad(quiet.store, nodes, LIMITS, 1n);
    assert.equal(assign(quiet, 2, "busy").length, 2);
  });

  it("a job asking a region gets nodes there when there are some, and nodes elsewhere only for the slots the region cannot fill", () => {
    const ctx = chain();
    const europe = Array.from({ length: 6 }, () => register(ctx));
    const asia = [register(ctx, { region: "asia" }), register(ctx, { region: "asia" })];
    for (let i = 0; i < 100; i++) assert.deepEqual(assign(ctx, 2, `asia${i}`, ["asia"]).sort(), [...asia].sort(), `draw ${i}`);
    for (let i = 0; i < 50; i++) {
      const three = assign(ctx, 3, `asia3-${i}`, ["asia"]);
      assert.equal(three.length, 3);
      assert.equal(three.filter((id) => asia.includes(id)).length, 2, `draw ${i}: both asian nodes, one other`);
    }
    // asked nowhere in particular: the region does not matter
    const share = sum(tally(ctx, 1), asia) / SEEDS;
    assert.ok(share < 0.45, `without a region the asian nodes got ${share * 100}%`);
    assert.ok(europe.length === 6);
  });
});
