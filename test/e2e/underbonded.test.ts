import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { QueryClient, SigningStargateClient, coin, type DeliverTxResponse } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { aroRegistry, setupAroExtension } from "../../client/index.ts";
import { JobStatus } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { MsgSubmitJobResponse } from "../../proto/gen/aro/gpow/v1/tx.ts";
import { MsgPublishContentResponse } from "../../proto/gen/aro/market/v1/tx.ts";
import { NatType, NodeStatus, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { resultCommitment } from "../../protocol/result-commitment.ts";
import { eventually } from "../support/eventually.ts";
import { LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";

const FEE = { amount: [coin(100000, "uaro")], gas: "4000000" };
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const peerId = (n: number) => "12D3KooW" + Array.from({ length: 44 }, (_, i) => B58[(n * 13 + i * 5) % 58]).join("");
const MIN_BOND = 1_000_000n;

/**
 * Issue #11, attack E: after slashes a node's guarantee was below min_bond, yet it stayed
 * ACTIVE, kept being assigned replicas and jobs, and was paid.
 */
describe("e2e: a guarantee below min_bond guarantees nothing — UNDERBONDED nodes are drawn for nothing until topped up", function () {
  let node: LocalNode;
  let alice: Funded; // owns node U, bonded just above min_bond
  let bob: Funded; // owns and runs V and W
  let carol: Funded; // a customer: jobs and content
  const clients: Record<string, SigningStargateClient> = {};
  let comet: Comet38Client;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupAroExtension>>>;
  const ids = { U: 0n, V: 0n, W: 0n };

  const ok = (r: DeliverTxResponse) => (assert.equal(r.code, 0, r.rawLog), r);
  const height = async () => BigInt((await comet.status()).syncInfo.latestBlockHeight);
  const waitHeight = (h: bigint) => eventually(async () => assert.ok((await height()) >= h, `height ${h}`), 60_000, 100);
  const send = async (who: Funded, msgs: Array<{ typeUrl: string; value: unknown }>) => clients[who.address].signAndBroadcast(who.address, msgs, FEE);
  const nodeOf = async (nodeId: bigint) => (await q.aro.peernode.Node({ nodeId })).node!;
  const listed = async (status: NodeStatus) => (await q.aro.peernode.Nodes({ owner: "", region: "", service: 0, status })).nodes.map((n) => n.id).sort();
  const submitJob = (redundancy: number) => ({
    typeUrl: "/aro.gpow.v1.MsgSubmitJob",
    value: {
      owner: carol.address, wasmCid: "bafywasm", inputCid: "bafyinput", redundancy,
      limits: { maxInstructions: 1_000_000n, maxMemoryBytes: 1n << 24n, maxOutputBytes: 1024n }, maxPayment: coin("1000000", "uaro"),
    },
  });
  /** bob's nodes commit and reveal the same result; anyone else assigned stays silent. */
  async function runByBob(jobId: bigint, nodes: bigint[]) {
    const mine = nodes.filter((n) => n === ids.V || n === ids.W);
    ok(await send(bob, mine.map((n) => ({ typeUrl: "/aro.gpow.v1.MsgCommitResult", value: { operator: bob.address, nodeId: n, jobId, commitment: resultCommitment("bafy-out", 4000n, `salt${n}`) } }))));
    const j = (await q.aro.gpow.Job({ jobId })).job!;
    await waitHeight(j.commitDeadline + 1n);
    ok(await send(bob, mine.map((n) => ({ typeUrl: "/aro.gpow.v1.MsgRevealResult", value: { operator: bob.address, nodeId: n, jobId, outputCid: "bafy-out", computeUnits: 4000n, salt: `salt${n}` } }))));
    return eventually(async () => {
      const done = (await q.aro.gpow.Job({ jobId })).job!;
      assert.equal(done.status, JobStatus.JOB_STATUS_DONE);
      return done;
    }, 60_000, 200);
  }

  before(async () => {
    [alice, bob, carol] = [await newAccount(), await newAccount(), await newAccount()];
    node = await LocalNode.create({
      funded: [alice, bob, carol].map((a) => ({ address: a.address, coins: "100000000000uaro" })),
      editGenesis: (g) => {
        // one missing result costs half the guarantee
        Object.assign(g.app_state.gpow.params, { commitWindow: "8", revealWindow: "8", computeSlashFraction: "0.5" });
        Object.assign(g.app_state.peernode.params, { minBond: MIN_BOND.toString() });
      },
    });
    await node.start();
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupAroExtension);
    for (const a of [alice, bob, carol]) clients[a.address] = await SigningStargateClient.connectWithSigner(node.rpc, a.wallet, { registry: aroRegistry(), broadcastPollIntervalMs: 150 });
    const reg = (n: number, owner: string, bond: bigint) => ({
      typeUrl: "/aro.peernode.v1.MsgRegisterNode",
      value: {
        owner, operator: owner, peerId: peerId(n), multiaddrs: [`/ip4/127.0.0.1/tcp/${4000 + n}`], endpoints: [], region: "europe",
        resources: { bandwidthMbps: 100n, storageGb: 10n, cpuMillicores: 1000n, memoryMb: 1024n, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC,
        services: [Service.SERVICE_CDN, Service.SERVICE_HVM], commission: "0.1", bond: coin(bond.toString(), "uaro"),
      },
    });
    const idsOf = (r: DeliverTxResponse) => ok(r).msgResponses.map((m) => MsgRegisterNodeResponse.decode(m.value).nodeId);
    [ids.U] = idsOf(await send(alice, [reg(1, alice.address, (MIN_BOND * 3n) / 2n)]));
    [ids.V, ids.W] = idsOf(await send(bob, [reg(2, bob.address, 20n * MIN_BOND), reg(3, bob.address, 20n * MIN_BOND)]));
    ok(await send(carol, [{ typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: carol.address, amount: coin("1000000000", "uaro") } }]));
  });
  after(async () => {
    for (const c of Object.values(clients)) c.disconnect();
    comet?.disconnect();
    await node?.cleanup();
  });

  it("a node slashed under min_bond (a result committed and withheld) becomes UNDERBONDED, and the node queries say so", async () => {
    const r = ok(await send(carol, [submitJob(3)]));
    const { jobId, nodes } = MsgSubmitJobResponse.decode(r.msgResponses[0].value);
    assert.deepEqual([...nodes].sort(), [ids.U, ids.V, ids.W]);
    // U commits a result and then withholds it (a node that never committed is not slashed): half its 1.5 x min_bond
    ok(await send(alice, [{ typeUrl: "/aro.gpow.v1.MsgCommitResult", value: { operator: alice.address, nodeId: ids.U, jobId, commitment: resultCommitment("bafy-out", 4000n, "saltU") } }]));
    await runByBob(jobId, nodes);
    const u = await nodeOf(ids.U);
    assert.equal(BigInt(u.guaranteeTokens), (MIN_BOND * 3n) / 4n);
    assert.equal(u.status, NodeStatus.NODE_STATUS_UNDERBONDED);
    assert.deepEqual(await listed(NodeStatus.NODE_STATUS_UNDERBONDED), [ids.U]);
    assert.deepEqual(await listed(NodeStatus.NODE_STATUS_ACTIVE), [ids.V, ids.W]);
  });

  it("an UNDERBONDED node is drawn for nothing: jobs and replicas go to the bonded nodes only", async () => {
    const three = await send(carol, [submitJob(3)]);
    assert.equal(three.code, 6, `a job for three nodes finds only two bonded ones: ${three.rawLog}`);
    const r = ok(await send(carol, [submitJob(2)]));
    const { jobId, nodes } = MsgSubmitJobResponse.decode(r.msgResponses[0].value);
    assert.deepEqual([...nodes].sort(), [ids.V, ids.W]);
    const root = randomBytes(32).toString("hex");
    const p = ok(await send(carol, [{ typeUrl: "/aro.market.v1.MsgPublishContent", value: { owner: carol.address, root, size: 4096n, replication: 3, regions: ["europe"], epochs: 10n } }]));
    assert.deepEqual([...MsgPublishContentResponse.decode(p.msgResponses[0].value).replicas].sort(), [ids.V, ids.W], "no replica on the underbonded node");
    // the owner cannot take its bond out of the node either: it must top up or deregister
    const out = await send(alice, [{ typeUrl: "/aro.peernode.v1.MsgRemoveGuarantee", value: { backer: alice.address, nodeId: ids.U, amount: coin("1", "uaro") } }]);
    assert.equal(out.code, 5, out.rawLog);
    await runByBob(jobId, nodes);
  });

  it("topped up with add-guarantee to min_bond it is ACTIVE again and drawn again", async () => {
    ok(await send(carol, [{ typeUrl: "/aro.peernode.v1.MsgAddGuarantee", value: { backer: carol.address, nodeId: ids.U, amount: coin("200000", "uaro") } }]));
    assert.equal((await nodeOf(ids.U)).status, NodeStatus.NODE_STATUS_UNDERBONDED, "a backer's 0.2 x min_bond is not enough");
    ok(await send(alice, [{ typeUrl: "/aro.peernode.v1.MsgAddGuarantee", value: { backer: alice.address, nodeId: ids.U, amount: coin("100000", "uaro") } }]));
    const u = await nodeOf(ids.U);
    assert.equal(BigInt(u.guaranteeTokens), MIN_BOND + 50_000n);
    assert.equal(u.status, NodeStatus.NODE_STATUS_ACTIVE);
    assert.deepEqual(await listed(NodeStatus.NODE_STATUS_UNDERBONDED), []);
    const r = ok(await send(carol, [submitJob(3)]));
    assert.deepEqual([...MsgSubmitJobResponse.decode(r.msgResponses[0].value).nodes].sort(), [ids.U, ids.V, ids.W]);
  });
});
