import assert from "node:assert/strict";
import { GenesisState, NatType, NodeStatus, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { addressFromBytes } from "../../chain/address.ts";
import { DEC_ONE } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { scratchContext } from "../../chain/scratch-context.ts";
import { sha256 } from "../../chain/seed.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { bankKeeper } from "../bank/keeper.ts";
import { moduleAddress } from "../auth/keeper.ts";
import { exportPeernodeGenesis, initPeernodeGenesis, peernodeInvariants } from "./genesis.ts";
import { peernodeKeeper as k } from "./keeper.ts";
import { BOND_POOL, keys } from "./keys.ts";
import { peernodeMsgs } from "./msgs/index.ts";
import { defaultPeernodeParams } from "./params.ts";

const MIN_BOND = 1_000_000n;
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const peerId = (n: number) => "12D3KooW" + Array.from(sha256(`peer${n}`).slice(0, 22), (b) => B58[b % 58] + B58[(b >> 2) % 58]).join("");
const account = (name: string) => addressFromBytes(sha256(name).slice(0, 20));
const [alice, bob, carol] = ["alice", "bob", "carol"].map(account);
const route = (name: string) => peernodeMsgs.find((r) => r.typeUrl === `/aro.peernode.v1.${name}`)!;
const send = (ctx: Context, name: string, msg: Record<string, unknown>) => route(name).handle(ctx, msg);

function chain(): Context {
  const ctx = scratchContext({ get: () => undefined, iterate: () => [] }, 1n);
  initPeernodeGenesis(ctx, GenesisState.toJSON({ params: { ...defaultPeernodeParams, minBond: MIN_BOND.toString() }, nodes: [], guarantees: [], unbondings: [], nextNodeId: 1n, commissionHistory: [] }));
  for (const a of [alice, bob, carol]) bankKeeper.setBalance(ctx.store, a, "uaro", 10n ** 15n);
  bankKeeper.setSupply(ctx.store, "uaro", 3n * 10n ** 15n);
  return ctx;
}

function register(ctx: Context, owner: string, n: number, bond = 2n * MIN_BOND, operator = owner): bigint {
  const r = send(ctx, "MsgRegisterNode", {
    owner, operator, peerId: peerId(n), multiaddrs: [`/ip4/127.0.0.1/tcp/${4000 + n}`], endpoints: [], region: "europe",
    resources: { bandwidthMbps: 100n, storageGb: 1n, cpuMillicores: 1000n, memoryMb: 1024n, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC,
    services: [Service.SERVICE_CDN, Service.SERVICE_HVM], commission: "0", bond: { denom: "uaro", amount: bond.toString() },
  });
  return MsgRegisterNodeResponse.decode(r.value).nodeId;
}

const status = (s: KVReader, id: bigint) => k.mustNode(s, id).status;
const inIndex = (s: KVReader, id: bigint) => s.get(keys.indexPos(`${Service.SERVICE_HVM}/*`, id)) !== undefined;
const pickAll = (s: KVReader, who?: string) => new Set(Array.from({ length: 40 }, (_, i) => k.pickNodes(s, Service.SERVICE_HVM, [], 1, sha256(`seed${i}`), new Set(), who)).flat());
const half = DEC_ONE / 2n;

describe("peernode: a guarantee below min_bond guarantees nothing (NODE_STATUS_UNDERBONDED)", () => {
  it("a slash that leaves the guarantee under min_bond: UNDERBONDED, out of the assignment indexes, never picked, claims refused (peernode/14); add-guarantee back to min_bond: ACTIVE", () => {
    const ctx = chain();
    const a = register(ctx, alice, 1, (MIN_BOND * 3n) / 2n);
    const b = register(ctx, bob, 2);
    k.slash(ctx, a, half / 2n, "test"); // 1.5 -> 1.125 x min_bond: still bonded
    assert.equal(status(ctx.store, a), NodeStatus.NODE_STATUS_ACTIVE);
    k.slash(ctx, a, half, "test"); // -> 0.5625 x min_bond
    const n = k.mustNode(ctx.store, a);
    assert.equal(n.status, NodeStatus.NODE_STATUS_UNDERBONDED);
    assert.ok(BigInt(n.guaranteeTokens) < MIN_BOND);
    assert.ok(ctx.events.events.some((e) => e.type === "node_underbonded"), "an event says so");
    assert.equal(inIndex(ctx.store, a), false, "left the assignment index");
    assert.deepEqual([...pickAll(ctx.store)], [b], "only the bonded node is ever drawn");
    assert.equal(k.isBonded(ctx.store, n), false);
    assert.throws(() => k.requireBonded(ctx.store, a), (e: Error & { code?: number; codespace?: string }) => e.codespace === "peernode" && e.code === 14 && /min_bond/.test(e.message));
    assert.equal(k.requireBonded(ctx.store, b).id, b);
    assert.equal(k.requireOperator(ctx.store, a, alice).id, a, "its operator still answers for work it was given");
    assert.equal(k.nodeByPeerId(ctx.store, peerId(1)), a, "its peer id stays taken");
    assert.throws(() => register(ctx, carol, 1), /peer id/);
    // the owner may not take its bond out further (deregistering is the way out)
    assert.throws(() => send(ctx, "MsgRemoveGuarantee", { backer: alice, nodeId: a, amount: { denom: "uaro", amount: "1" } }), /bond below the minimum/);
    assert.deepEqual(peernodeInvariants(ctx.store), []);

    send(ctx, "MsgAddGuarantee", { backer: carol, nodeId: a, amount: { denom: "uaro", amount: "100000" } });
    assert.equal(status(ctx.store, a), NodeStatus.NODE_STATUS_UNDERBONDED, "a top-up that stays under min_bond is not enough");
    send(ctx, "MsgAddGuarantee", { backer: alice, nodeId: a, amount: { denom: "uaro", amount: MIN_BOND.toString() } });
    assert.equal(status(ctx.store, a), NodeStatus.NODE_STATUS_ACTIVE);
    assert.ok(ctx.events.events.some((e) => e.type === "node_bonded"));
    assert.equal(inIndex(ctx.store, a), true);
    assert.deepEqual([...pickAll(ctx.store)].sort(), [a, b], "drawn again");
    assert.equal(k.isBonded(ctx.store, k.mustNode(ctx.store, a)), true);
    assert.deepEqual(peernodeInvariants(ctx.store), []);
  });

  it("a backer taking its guarantee out under min_bond makes the node UNDERBONDED; the owner can still update and deregister it", () => {
    const ctx = chain();
    const a = register(ctx, alice, 1, MIN_BOND);
    send(ctx, "MsgAddGuarantee", { backer: bob, nodeId: a, amount: { denom: "uaro", amount: MIN_BOND.toString() } });
    k.slash(ctx, a, half, "test"); // 2 -> 1 x min_bond: owner's own half is under it, the node is not
    assert.equal(status(ctx.store, a), NodeStatus.NODE_STATUS_ACTIVE);
    send(ctx, "MsgRemoveGuarantee", { backer: bob, nodeId: a, amount: { denom: "uaro", amount: "1" } });
    assert.equal(status(ctx.store, a), NodeStatus.NODE_STATUS_UNDERBONDED);
    send(ctx, "MsgUpdateNode", { owner: alice, nodeId: a, operator: "", peerId: "", multiaddrs: [], endpoints: [], region: "asia", natType: 0, services: [], commission: "" });
    assert.equal(k.mustNode(ctx.store, a).region, "asia");
    assert.equal(inIndex(ctx.store, a), false, "an update does not put it back in the indexes");
    assert.deepEqual(peernodeInvariants(ctx.store), []);
    send(ctx, "MsgDeregisterNode", { owner: alice, nodeId: a });
    assert.equal(status(ctx.store, a), NodeStatus.NODE_STATUS_DEREGISTERED);
    assert.equal(k.nodeByPeerId(ctx.store, peerId(1)), undefined, "the peer id is free again");
    assert.deepEqual(peernodeInvariants(ctx.store), []);
  });

  it("a min_bond raised by governance applies at once: nodes under it are neither bonded nor drawn", () => {
    const ctx = chain();
    const a = register(ctx, alice, 1, MIN_BOND);
    const b = register(ctx, bob, 2, 3n * MIN_BOND);
    k.setParams(ctx.store, { ...k.getParams(ctx.store), minBond: (2n * MIN_BOND).toString() });
    assert.equal(k.isBonded(ctx.store, k.mustNode(ctx.store, a)), false);
    assert.deepEqual([...pickAll(ctx.store)], [b]);
  });

  it("genesis: a registered node under min_bond is imported UNDERBONDED and outside the indexes; a stale index entry breaks the invariants", () => {
    const base = chain();
    const a = register(base, alice, 1, MIN_BOND);
    // exported while ACTIVE, imported where min_bond is higher
    const g = GenesisState.fromJSON(exportPeernodeGenesis(base.store));
    assert.equal(g.nodes[0].status, NodeStatus.NODE_STATUS_ACTIVE);
    const ctx = scratchContext({ get: () => undefined, iterate: () => [] }, 1n);
    bankKeeper.setBalance(ctx.store, moduleAddress(BOND_POOL), "uaro", MIN_BOND);
    initPeernodeGenesis(ctx, GenesisState.toJSON({ ...g, params: { ...g.params!, minBond: (2n * MIN_BOND).toString() } }));
    assert.equal(status(ctx.store, a), NodeStatus.NODE_STATUS_UNDERBONDED);
    assert.equal(inIndex(ctx.store, a), false);
    assert.equal(k.nodeByPeerId(ctx.store, peerId(1)), a);
    assert.deepEqual(peernodeInvariants(ctx.store), []);
    k.indexAdd(ctx.store, `${Service.SERVICE_HVM}/*`, a);
    assert.deepEqual(peernodeInvariants(ctx.store), [`peernode/index: ${Service.SERVICE_HVM}/* counts 1 nodes, 0 ACTIVE nodes belong in it`]);
  });
});

describe("peernode: pickNodes never draws a node of the account it is told to avoid", () => {
  it("skips every node owned or operated by the job owner, keeps the draw bounded, and still fills the job from the others", () => {
    const ctx = chain();
    const own = Array.from({ length: 30 }, (_, i) => register(ctx, alice, 10 + i));
    const operated = Array.from({ length: 10 }, (_, i) => register(ctx, bob, 50 + i, 2n * MIN_BOND, alice));
    const others = Array.from({ length: 10 }, (_, i) => register(ctx, carol, 70 + i));
    const mine = new Set([...own, ...operated]);
    let reads = 0;
    const counted: KVReader = { get: (key) => (reads++, ctx.store.get(key)), iterate: (...a) => ctx.store.iterate(...a) };
    for (let i = 0; i < 50; i++) {
      reads = 0;
      const picked = k.pickNodes(counted, Service.SERVICE_HVM, [], 3, sha256(`job${i}`), new Set(), alice);
      assert.ok(picked.every((id) => !mine.has(id)), `job ${i} drew ${picked} (the owner's: ${[...mine]})`);
      assert.equal(new Set(picked).size, picked.length);
      // count x 4 slots x 2 sets x 8 tries, each an index entry and its node, plus counts and params
      assert.ok(reads <= 1 + 3 * 4 * 2 * (1 + 8 * 2), `${reads} reads`);
    }
    const drawn = pickAll(ctx.store, alice);
    assert.ok([...drawn].every((id) => others.includes(id)));
    assert.ok(drawn.size >= 5, "the others are all in the draw");
    assert.ok([...pickAll(ctx.store)].some((id) => mine.has(id)), "without an account to avoid they are drawn");
  });
});
