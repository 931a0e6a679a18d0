import assert from "node:assert/strict";
import { GasPrice, QueryClient, SigningStargateClient, coin } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { aroRegistry, setupAroExtension } from "../../client/index.ts";
import { NatType, NodeStatus, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { eventually } from "../support/eventually.ts";
import { LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";

const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const peerId = (n: number) => "12D3KooW" + Array.from({ length: 44 }, (_, i) => B58[(n * 7 + i * 13) % 58]).join("");
const FEE = { amount: [coin(10000, "uaro")], gas: "400000" };

describe("e2e: aro/peernode — nodes with guarantee bonds, through CosmJS and the Aro client package", function () {
  let node: LocalNode;
  let alice: Funded; // node owner
  let bob: Funded; // backer
  let aliceClient: SigningStargateClient;
  let bobClient: SigningStargateClient;
  let comet: Comet38Client;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupAroExtension>>>;
  const balance = async (a: string) => BigInt((await aliceClient.getBalance(a, "uaro")).amount);

  const register = (over: Record<string, unknown> = {}, n = 1) => aliceClient.signAndBroadcast(alice.address, [{
    typeUrl: "/aro.peernode.v1.MsgRegisterNode",
    value: {
      owner: alice.address, operator: alice.address, peerId: peerId(n), multiaddrs: ["/ip4/127.0.0.1/tcp/4001"], endpoints: ["http://127.0.0.1:8080"],
      region: "europe", resources: { bandwidthMbps: 1000n, storageGb: 500n, cpuMillicores: 4000n, memoryMb: 8192n, gpus: 0 },
      natType: NatType.NAT_TYPE_PUBLIC, services: [Service.SERVICE_CDN, Service.SERVICE_HVM], commission: "0.1", bond: coin("5000000", "uaro"), ...over,
    },
  }], FEE);

  before(async () => {
    alice = await newAccount();
    bob = await newAccount();
    node = await LocalNode.create({
      funded: [{ address: alice.address, coins: "100000000000uaro" }, { address: bob.address, coins: "100000000000uaro" }],
      editGenesis: (g) => Object.assign(g.app_state.peernode.params, { minBond: "1000000", unbondingTime: "4" }),
    });
    await node.start();
    const opts = { registry: aroRegistry(), gasPrice: GasPrice.fromString("0.025uaro"), broadcastPollIntervalMs: 300 };
    aliceClient = await SigningStargateClient.connectWithSigner(node.rpc, alice.wallet, opts);
    bobClient = await SigningStargateClient.connectWithSigner(node.rpc, bob.wallet, opts);
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupAroExtension);
  });
  after(async () => {
    aliceClient?.disconnect();
    bobClient?.disconnect();
    comet?.disconnect();
    await node?.cleanup();
  });

  it("registers a node with its bond; queries find it by id, owner, region and service", async () => {
    const before = await balance(alice.address);
    const r = await register();
    assert.equal(r.code, 0, r.rawLog);
    const id = MsgRegisterNodeResponse.decode(r.msgResponses[0].value).nodeId;
    assert.equal(id, 1n);
    assert.equal(await balance(alice.address), before - 5_000_000n - 10_000n, "the bond left the owner's account");
    const n = (await q.aro.peernode.Node({ nodeId: 1n })).node!;
    assert.equal(n.owner, alice.address);
    assert.equal(n.guaranteeTokens, "5000000");
    assert.equal(n.status, NodeStatus.NODE_STATUS_ACTIVE);
    assert.equal(n.commission, "0.100000000000000000");
    const byRegion = await q.aro.peernode.Nodes({ owner: "", region: "europe", service: Service.SERVICE_HVM, status: 0 });
    assert.deepEqual(byRegion.nodes.map((x) => x.id), [1n]);
    assert.equal((await q.aro.peernode.Nodes({ owner: "", region: "asia", service: 0, status: 0 })).nodes.length, 0);
    assert.equal((await q.aro.peernode.Nodes({ owner: alice.address, region: "", service: Service.SERVICE_AIDN, status: 0 })).nodes.length, 0);
  });

  it("a backer adds guarantee and takes it back after the unbonding time", async () => {
    const add = await bobClient.signAndBroadcast(bob.address, [{ typeUrl: "/aro.peernode.v1.MsgAddGuarantee", value: { backer: bob.address, nodeId: 1n, amount: coin("3000000", "uaro") } }], FEE);
    assert.equal(add.code, 0, add.rawLog);
    const gs = (await q.aro.peernode.Guarantees({ nodeId: 1n })).guarantees;
    assert.deepEqual(gs.map((g) => [g.guarantee!.backer, g.balance!.amount]).sort(), [[alice.address, "5000000"], [bob.address, "3000000"]].sort());
    const before = await balance(bob.address);
    const rm = await bobClient.signAndBroadcast(bob.address, [{ typeUrl: "/aro.peernode.v1.MsgRemoveGuarantee", value: { backer: bob.address, nodeId: 1n, amount: coin("3000000", "uaro") } }], FEE);
    assert.equal(rm.code, 0, rm.rawLog);
    const mine = await q.aro.peernode.BackerGuarantees({ backer: bob.address });
    assert.deepEqual([mine.guarantees.length, mine.unbondings[0]?.amount], [0, "3000000"]);
    await eventually(async () => assert.equal(await balance(bob.address), before - 10_000n + 3_000_000n), 20_000, 300);
    assert.equal((await q.aro.peernode.Node({ nodeId: 1n })).node!.guaranteeTokens, "5000000");
  });

  it("refuses bad input with peernode codes and changes nothing", async () => {
    const before = await balance(alice.address);
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ region: "atlantis" }, 4, /unknown region/],
      [{ bond: coin("999999", "uaro") }, 5, /bond below the minimum/],
      [{ commission: "0.9" }, 11, /commission above the maximum/],
      [{ peerId: peerId(1) }, 13, /uses/],
    ];
    for (const [over, code, log] of cases) {
      const r = await register(over, 2);
      assert.equal(r.code, code, r.rawLog);
      assert.match(r.rawLog ?? "", log);
    }
    await assert.rejects(register({ peerId: "not-a-peer-id" }, 2), /not a libp2p peer id/);
    const notOwner = await bobClient.signAndBroadcast(bob.address, [{ typeUrl: "/aro.peernode.v1.MsgUpdateNode", value: { owner: bob.address, nodeId: 1n, region: "asia" } }], FEE);
    assert.equal(notOwner.code, 3, notOwner.rawLog);
    const tooMuch = await bobClient.signAndBroadcast(bob.address, [{ typeUrl: "/aro.peernode.v1.MsgRemoveGuarantee", value: { backer: bob.address, nodeId: 1n, amount: coin("1", "uaro") } }], FEE);
    assert.equal(tooMuch.code, 9, tooMuch.rawLog);
    const params = (await q.aro.peernode.Params({})).params!;
    const notGov = await aliceClient.signAndBroadcast(alice.address, [{ typeUrl: "/aro.peernode.v1.MsgUpdateParams", value: { authority: alice.address, params: { ...params, minBond: "1" } } }], FEE);
    assert.match(notGov.rawLog ?? "", /invalid authority/, "parameters change only by governance");
    assert.equal((await q.aro.peernode.Params({})).params!.minBond, "1000000");
    assert.equal(await balance(alice.address), before - 5n * 10_000n, "only fees were taken");
    assert.equal((await q.aro.peernode.Nodes({ owner: alice.address, region: "", service: 0, status: 0 })).nodes.length, 1);
  });

  it("the owner updates and deregisters the node; its bond comes back after unbonding", async () => {
    const up = await aliceClient.signAndBroadcast(alice.address, [{ typeUrl: "/aro.peernode.v1.MsgUpdateNode", value: { owner: alice.address, nodeId: 1n, region: "asia", commission: "0.11" } }], FEE);
    assert.equal(up.code, 0, up.rawLog);
    const n = (await q.aro.peernode.Node({ nodeId: 1n })).node!;
    // a commission change is announced: in force from the next epoch (at most max_commission_change_rate per epoch)
    assert.deepEqual([n.region, n.commission, n.pendingCommission], ["asia", "0.100000000000000000", "0.110000000000000000"]);
    const before = await balance(alice.address);
    const d = await aliceClient.signAndBroadcast(alice.address, [{ typeUrl: "/aro.peernode.v1.MsgDeregisterNode", value: { owner: alice.address, nodeId: 1n } }], FEE);
    assert.equal(d.code, 0, d.rawLog);
    assert.equal((await q.aro.peernode.Node({ nodeId: 1n })).node!.status, NodeStatus.NODE_STATUS_DEREGISTERED);
    assert.equal((await q.aro.peernode.Nodes({ owner: "", region: "asia", service: 0, status: NodeStatus.NODE_STATUS_ACTIVE })).nodes.length, 0);
    await eventually(async () => assert.equal(await balance(alice.address), before - 10_000n + 5_000_000n), 20_000, 300);
  });
});
