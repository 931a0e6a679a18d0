import assert from "node:assert/strict";
import { QueryClient, SigningStargateClient, coin, type DeliverTxResponse } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { aroRegistry, setupAroExtension } from "../../client/index.ts";
import { JobStatus, type Job } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { MsgSubmitJobResponse } from "../../proto/gen/aro/gpow/v1/tx.ts";
import { NatType, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { DEC_ONE, decFromString } from "../../chain/dec.ts";
import { resultCommitment } from "../../protocol/result-commitment.ts";
import { eventually } from "../support/eventually.ts";
import { LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";

const FEE = { amount: [coin(100000, "uaro")], gas: "4000000" };
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const peerId = (n: number) => "12D3KooW" + Array.from({ length: 44 }, (_, i) => B58[(n * 11 + i * 7) % 58]).join("");
const BOND = 10_000_000n;

/**
 * Issue #11, attack C: a job with redundancy 1 landed on the attacker's own node, which
 * revealed 10^15 compute units; all were credited as work while the job paid 1 uaro.
 */
describe("e2e: compute jobs cannot be gamed — redundancy ≥ 2, never on the owner's nodes, units capped by the limit and by the payment", function () {
  let node: LocalNode;
  let attacker: Funded; // submits jobs and owns or operates some HVM nodes
  let other: Funded; // owns and operates the nodes the attacker does not control
  let attackerClient: SigningStargateClient;
  let otherClient: SigningStargateClient;
  let comet: Comet38Client;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupAroExtension>>>;
  const attackers = new Set<bigint>(); // owned or operated by the attacker
  const honest = new Set<bigint>();

  const ok = (r: DeliverTxResponse) => (assert.equal(r.code, 0, r.rawLog), r);
  const height = async () => BigInt((await comet.status()).syncInfo.latestBlockHeight);
  const waitHeight = (h: bigint) => eventually(async () => assert.ok((await height()) >= h, `height ${h}`), 60_000, 100);
  const job = async (jobId: bigint) => (await q.aro.gpow.Job({ jobId })).job!;
  const held = async () => BigInt((await q.aro.market.Escrow({ owner: attacker.address })).escrow!.held);
  const submitJob = (over: Partial<{ redundancy: number; maxInstructions: bigint; maxPayment: string }> = {}) => ({
    typeUrl: "/aro.gpow.v1.MsgSubmitJob",
    value: {
      owner: attacker.address, wasmCid: "bafywasm", inputCid: "bafyinput", redundancy: over.redundancy ?? 2,
      limits: { maxInstructions: over.maxInstructions ?? 1_000_000n, maxMemoryBytes: 1n << 24n, maxOutputBytes: 1024n }, maxPayment: coin(over.maxPayment ?? "1000000", "uaro"),
    },
  });
  const jobsOf = (r: DeliverTxResponse) => r.msgResponses.map((m) => MsgSubmitJobResponse.decode(m.value));
  /** Each node's operator commits `units` for its executions, then reveals them: returns the reveal txs. */
  async function run(jobs: Array<{ jobId: bigint; nodes: bigint[] }>, units: (jobId: bigint) => bigint): Promise<DeliverTxResponse[]> {
    const execs = jobs.flatMap((j) => j.nodes.map((n) => ({ jobId: j.jobId, nodeId: n, units: units(j.jobId), salt: `salt-${j.jobId}-${n}` })));
    const operators = new Map(await Promise.all(execs.map(async (e) => [e.nodeId, (await q.aro.peernode.Node({ nodeId: e.nodeId })).node!.operator] as const)));
    const byOperator = (msg: (e: (typeof execs)[number], operator: string) => { typeUrl: string; value: unknown }) => Promise.all([attacker, other].map(async (a) => {
      const mine = execs.filter((e) => operators.get(e.nodeId) === a.address);
      return mine.length ? [await (a === attacker ? attackerClient : otherClient).signAndBroadcast(a.address, mine.map((e) => msg(e, a.address)), FEE)] : [];
    })).then((r) => r.flat());
    for (const r of await byOperator((e, operator) => ({ typeUrl: "/aro.gpow.v1.MsgCommitResult", value: { operator, nodeId: e.nodeId, jobId: e.jobId, commitment: resultCommitment(`bafy-out-${e.jobId}`, e.units, e.salt) } }))) ok(r);
    const deadlines = await Promise.all(jobs.map((j) => job(j.jobId)));
    await waitHeight(deadlines.reduce((m, j) => (j.commitDeadline > m ? j.commitDeadline : m), 0n) + 1n);
    return byOperator((e, operator) => ({ typeUrl: "/aro.gpow.v1.MsgRevealResult", value: { operator, nodeId: e.nodeId, jobId: e.jobId, outputCid: `bafy-out-${e.jobId}`, computeUnits: e.units, salt: e.salt } }));
  }
  /** Waits until the job is resolved (done or failed: reruns need nodes it never had). */
  const resolved = (jobId: bigint) => eventually(async () => {
    const j = await job(jobId);
    assert.ok(j.status === JobStatus.JOB_STATUS_DONE || j.status === JobStatus.JOB_STATUS_FAILED, `job ${jobId} is ${JobStatus[j.status]}`);
    return j;
  }, 60_000, 200);

  before(async () => {
    attacker = await newAccount();
    other = await newAccount();
    node = await LocalNode.create({
      funded: [attacker, other].map((a) => ({ address: a.address, coins: "100000000000uaro" })),
      editGenesis: (g) => {
        // the credited-units case asks 10^12 instructions: governed above the default cap here
        Object.assign(g.app_state.gpow.params, { commitWindow: "8", revealWindow: "8", maxJobInstructions: (10n ** 12n).toString() });
        Object.assign(g.app_state.peernode.params, { minBond: "1000000" });
      },
    });
    await node.start();
    const opts = { registry: aroRegistry(), broadcastPollIntervalMs: 150 };
    attackerClient = await SigningStargateClient.connectWithSigner(node.rpc, attacker.wallet, opts);
    otherClient = await SigningStargateClient.connectWithSigner(node.rpc, other.wallet, opts);
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupAroExtension);

    const reg = (n: number, owner: string, operator: string) => ({
      typeUrl: "/aro.peernode.v1.MsgRegisterNode",
      value: {
        owner, operator, peerId: peerId(n), multiaddrs: [`/ip4/127.0.0.1/tcp/${4000 + n}`], endpoints: [], region: "europe",
        resources: { bandwidthMbps: 100n, storageGb: 10n, cpuMillicores: 1000n, memoryMb: 1024n, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC,
        services: [Service.SERVICE_HVM], commission: "0.1", bond: coin(BOND.toString(), "uaro"),
      },
    });
    const ids = (r: DeliverTxResponse) => ok(r).msgResponses.map((m) => MsgRegisterNodeResponse.decode(m.value).nodeId);
    // the attacker owns four nodes (one run by the other account's key) and operates a fifth
    for (const id of ids(await attackerClient.signAndBroadcast(attacker.address, [reg(1, attacker.address, attacker.address), reg(2, attacker.address, attacker.address), reg(3, attacker.address, attacker.address), reg(4, attacker.address, other.address)], FEE))) attackers.add(id);
    const [operated, ...rest] = ids(await otherClient.signAndBroadcast(other.address, [reg(5, other.address, attacker.address), reg(6, other.address, other.address), reg(7, other.address, other.address), reg(8, other.address, other.address)], FEE));
    attackers.add(operated);
    for (const id of rest) honest.add(id);
    ok(await attackerClient.signAndBroadcast(attacker.address, [{ typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: attacker.address, amount: coin("1000000000", "uaro") } }], FEE));
  });
  after(async () => {
    attackerClient?.disconnect();
    otherClient?.disconnect();
    comet?.disconnect();
    await node?.cleanup();
  });

  it("min_job_redundancy is a market parameter (2 by default): a job for one node is refused (gpow/18) and holds nothing", async () => {
    assert.equal((await q.aro.market.Params({})).params!.minJobRedundancy, 2);
    const before = await held();
    const r = await attackerClient.signAndBroadcast(attacker.address, [submitJob({ redundancy: 1 })], FEE);
    assert.equal(r.code, 18, r.rawLog);
    assert.match(r.rawLog ?? "", /redundancy must be 2\.\.7/);
    assert.equal(await held(), before, "no escrow held for a refused job");
  });

  it("a job owner's own nodes are never drawn: twelve jobs land only on nodes it neither owns nor operates", async () => {
    const r = ok(await attackerClient.signAndBroadcast(attacker.address, Array.from({ length: 12 }, () => submitJob()), FEE));
    const jobs = jobsOf(r);
    assert.equal(jobs.length, 12);
    for (const j of jobs) {
      assert.equal(j.nodes.length, 2);
      assert.ok(j.nodes.every((n) => honest.has(n)), `job ${j.jobId} drew ${j.nodes.join(",")}; the attacker's nodes are ${[...attackers].join(",")}`);
    }
    // every honest node takes part, so the draw is still spread over the others
    assert.equal(new Set(jobs.flatMap((j) => j.nodes)).size, honest.size);
  });

  it("a reveal above the job's max_instructions is refused (gpow/20): the job credits nothing, its owner pays only the failure fee and those nodes are slashed", async () => {
    const r = ok(await attackerClient.signAndBroadcast(attacker.address, [submitJob({ maxInstructions: 1_000_000n })], FEE));
    const [{ jobId, nodes }] = jobsOf(r);
    for (const reveal of await run([{ jobId, nodes }], () => 10n ** 15n)) {
      assert.equal(reveal.code, 20, reveal.rawLog);
      assert.match(reveal.rawLog ?? "", /above the job's instruction limit/);
    }
    const bonds = async () => Promise.all(nodes.map(async (n) => BigInt((await q.aro.peernode.Node({ nodeId: n })).node!.guaranteeTokens)));
    const before = await bonds();
    const j = await resolved(jobId);
    assert.equal(j.status, JobStatus.JOB_STATUS_FAILED, "no result was revealed, and no third node is left to run it");
    // the owner pays only the failure fee; nothing is credited
    assert.deepEqual([j.paid, j.computeUnits, j.creditedUnits], [(await q.aro.gpow.Params({})).params!.jobFailureFee, 0n, 0n]);
    const after = await bonds();
    after.forEach((b, i) => assert.ok(b < before[i], `node ${nodes[i]} was slashed for the result it committed to and withheld`));
  });

  it("credited units never exceed what the job paid: 10^9 units agreed on a job that held 1 uaro are credited 500,000 per node; a job paid in full is credited all its units", async () => {
    const price = decFromString((await q.aro.market.Params({})).params!.prices!.perComputeUnit);
    const r = ok(await attackerClient.signAndBroadcast(attacker.address, [
      submitJob({ maxInstructions: 10n ** 12n, maxPayment: "1" }),
      submitJob({ maxInstructions: 1_000_000n, maxPayment: "1000000" }),
    ], FEE));
    const [cheap, honestJob] = jobsOf(r);
    const units = (id: bigint) => (id === cheap.jobId ? 10n ** 9n : 4000n);
    for (const r of await run([cheap, honestJob], units)) ok(r);
    const [c, h]: Job[] = [await resolved(cheap.jobId), await resolved(honestJob.jobId)];
    assert.equal(c.status, JobStatus.JOB_STATUS_DONE);
    assert.deepEqual([c.computeUnits, c.paid], [10n ** 9n, "1"], "the agreed units are recorded, the payment stops at what was held");
    assert.equal(c.creditedUnits, 500_000n, "1 uaro / (0.000001 uaro per unit x 2 nodes)");
    assert.ok(c.creditedUnits * price * 2n <= BigInt(c.paid) * DEC_ONE, "credited work is worth no more than what was paid");
    assert.equal(h.status, JobStatus.JOB_STATUS_DONE);
    assert.deepEqual([h.computeUnits, h.creditedUnits, h.paid], [4000n, 4000n, "1"], "2 x 4000 units x 0.000001 uaro, rounded up: paid in full");
  });
});
