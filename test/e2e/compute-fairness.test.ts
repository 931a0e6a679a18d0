import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { QueryClient, SigningStargateClient, coin, type DeliverTxResponse } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { aroRegistry, setupAroExtension } from "../../client/index.ts";
import { JobStatus } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { MsgSubmitJobResponse } from "../../proto/gen/aro/gpow/v1/tx.ts";
import { NatType, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { DEC_ONE, decFromString } from "../../chain/dec.ts";
import { resultCommitment } from "../../protocol/result-commitment.ts";
import { compileWat } from "../../workers/hvm/index.ts";
import { resultId, runDeterministic } from "../../workers/hvm/executor.ts";
import { eventually } from "../support/eventually.ts";
import { LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";

const FEE = { amount: [coin(100000, "uaro")], gas: "4000000" };
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const peerId = (n: number) => "12D3KooW" + Array.from({ length: 44 }, (_, i) => B58[(n * 13 + i * 5) % 58]).join("");
const BOND = 10_000_000n;
const TIB = 1n << 40n;
const EPOCH = 20n;

/**
 * Issue #12 (1 of 2 of its compute part): an honest node is never slashed because of
 * someone else. Jobs go only to nodes whose declared resources fit; a job that exhausts
 * its limits ends with an agreed, paid result; a job nobody ran slashes nobody and costs
 * its submitter the failure fee; commission changes are limited and announced an epoch ahead.
 */
describe("e2e: compute jobs never punish honest nodes for others' acts; commission changes are announced", function () {
  let node: LocalNode;
  let customer: Funded;
  let operator: Funded; // owns and runs every node
  let customerClient: SigningStargateClient;
  let operatorClient: SigningStargateClient;
  let comet: Comet38Client;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupAroExtension>>>;
  const small: bigint[] = []; // 1 GiB declared
  const big: bigint[] = []; // 2 TiB declared
  let cdnNode: bigint;

  const ok = (r: DeliverTxResponse) => (assert.equal(r.code, 0, r.rawLog), r);
  const height = async () => BigInt((await comet.status()).syncInfo.latestBlockHeight);
  const waitHeight = (h: bigint) => eventually(async () => assert.ok((await height()) >= h, `height ${h}`), 120_000, 100);
  const job = async (jobId: bigint) => (await q.aro.gpow.Job({ jobId })).job!;
  const escrow = async () => (await q.aro.market.Escrow({ owner: customer.address })).escrow!;
  const bonds = async () => Promise.all([...small, ...big].map(async (n) => BigInt((await q.aro.peernode.Node({ nodeId: n })).node!.guaranteeTokens)));
  const submitJob = (over: Partial<{ maxInstructions: bigint; maxMemoryBytes: bigint; maxPayment: string; regions: string[] }> = {}) => ({
    typeUrl: "/aro.gpow.v1.MsgSubmitJob",
    value: {
      owner: customer.address, wasmCid: "bafywasm", inputCid: "bafyinput", redundancy: 2,
      limits: { maxInstructions: over.maxInstructions ?? 1_000_000n, maxMemoryBytes: over.maxMemoryBytes ?? 1n << 24n, maxOutputBytes: 1024n }, maxPayment: coin(over.maxPayment ?? "1000000", "uaro"),
      regions: over.regions ?? [],
    },
  });
  const jobsOf = (r: DeliverTxResponse) => r.msgResponses.map((m) => MsgSubmitJobResponse.decode(m.value));
  const resolved = (jobId: bigint) => eventually(async () => {
    const j = await job(jobId);
    assert.ok(j.status === JobStatus.JOB_STATUS_DONE || j.status === JobStatus.JOB_STATUS_FAILED, `job ${jobId} is ${JobStatus[j.status]} (round ${j.round})`);
    return j;
  }, 180_000, 250);
  const reg = (n: number, memoryMb: bigint, services = [Service.SERVICE_HVM], extra: Record<string, unknown> = {}) => ({
    typeUrl: "/aro.peernode.v1.MsgRegisterNode",
    value: {
      owner: operator.address, operator: operator.address, peerId: peerId(n), multiaddrs: [`/ip4/127.0.0.1/tcp/${5000 + n}`], endpoints: [], region: "europe",
      resources: { bandwidthMbps: 100n, storageGb: 10n, cpuMillicores: 1000n, memoryMb, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC,
      services, commission: "0.1", bond: coin(BOND.toString(), "uaro"), ...extra,
    },
  });
  const ids = (r: DeliverTxResponse) => ok(r).msgResponses.map((m) => MsgRegisterNodeResponse.decode(m.value).nodeId);

  before(async () => {
    customer = await newAccount();
    operator = await newAccount();
    node = await LocalNode.create({
      funded: [customer, operator].map((a) => ({ address: a.address, coins: "100000000000uaro" })),
      editGenesis: (g) => {
        Object.assign(g.app_state.gpow.params, { commitWindow: "5", revealWindow: "5" });
        Object.assign(g.app_state.peernode.params, { minBond: "1000000" });
        Object.assign(g.app_state.settlement.params, { epochLength: EPOCH.toString() });
      },
    });
    await node.start();
    const opts = { registry: aroRegistry(), broadcastPollIntervalMs: 150 };
    customerClient = await SigningStargateClient.connectWithSigner(node.rpc, customer.wallet, opts);
    operatorClient = await SigningStargateClient.connectWithSigner(node.rpc, operator.wallet, opts);
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupAroExtension);
    small.push(...ids(await operatorClient.signAndBroadcast(operator.address, [reg(1, 1024n), reg(2, 1024n)], FEE)));
    ok(await customerClient.signAndBroadcast(customer.address, [{ typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: customer.address, amount: coin("1000000000", "uaro") } }], FEE));
  });
  after(async () => {
    customerClient?.disconnect();
    operatorClient?.disconnect();
    comet?.disconnect();
    await node?.cleanup();
  });

  it("a job needing 1 TiB of memory is refused (gpow/21) while no node declares that much, and holds nothing", async () => {
    const before = await escrow();
    const r = await customerClient.signAndBroadcast(customer.address, [submitJob({ maxMemoryBytes: TIB })], FEE);
    assert.equal(r.code, 21, r.rawLog);
    assert.match(r.rawLog ?? "", /declare resources/);
    assert.deepEqual([(await escrow()).held, (await escrow()).balance], [before.held, before.balance], "no escrow held for a refused job");
  });

  it("once two nodes declare 2 TiB, 1 TiB jobs land only on them (the 1 GiB nodes are never drawn)", async () => {
    big.push(...ids(await operatorClient.signAndBroadcast(operator.address, [reg(3, 2_097_152n), reg(4, 2_097_152n)], FEE)));
    const r = ok(await customerClient.signAndBroadcast(customer.address, Array.from({ length: 6 }, () => submitJob({ maxMemoryBytes: TIB })), FEE));
    for (const j of jobsOf(r)) assert.deepEqual([...j.nodes].sort(), [...big].sort(), `job ${j.jobId} drew ${j.nodes.join(",")}`);
    // nobody runs them (no 1 TiB machine here): they fail with no rerun left and slash nobody
    const before = await bonds();
    for (const j of jobsOf(r)) assert.equal((await resolved(j.jobId)).status, JobStatus.JOB_STATUS_FAILED);
    assert.deepEqual(await bonds(), before, "no node lost bond over jobs it was never able to run");
  });

  it("a job that runs out of gas ends DONE with the deterministic result honest nodes commit, paid for its cap, nobody slashed", async () => {
    const cap = 3_000_000n;
    const wasm = await compileWat(await readFile(new URL("../../workers/hvm/jobs/time-bomb.wat", import.meta.url), "utf8"), "time-bomb.wat");
    // what every honest agent gets for this job: the metered sandbox, not the clock, ends it
    const runs = await Promise.all([0, 1].map(() => runDeterministic(wasm, new Uint8Array(), { maxInstructions: cap, maxMemoryBytes: 1n << 24n, maxOutputBytes: 1024n, timeoutMs: 120_000 })));
    for (const run of runs) assert.deepEqual([run.status, run.computeUnits, resultId(run)], ["out_of_gas", cap, "status:out_of_gas"]);
    const [{ jobId, nodes }] = jobsOf(ok(await customerClient.signAndBroadcast(customer.address, [submitJob({ maxInstructions: cap })], FEE)));
    const before = await bonds();
    const salt = (n: bigint) => `salt-${jobId}-${n}`;
    ok(await operatorClient.signAndBroadcast(operator.address, nodes.map((nodeId, i) => ({
      typeUrl: "/aro.gpow.v1.MsgCommitResult", value: { operator: operator.address, nodeId, jobId, commitment: resultCommitment(resultId(runs[i]), runs[i].computeUnits, salt(nodeId)) },
    })), FEE));
    await waitHeight((await job(jobId)).commitDeadline + 1n);
    ok(await operatorClient.signAndBroadcast(operator.address, nodes.map((nodeId, i) => ({
      typeUrl: "/aro.gpow.v1.MsgRevealResult", value: { operator: operator.address, nodeId, jobId, outputCid: resultId(runs[i]), computeUnits: runs[i].computeUnits, salt: salt(nodeId) },
    })), FEE));
    const j = await resolved(jobId);
    const price = decFromString((await q.aro.market.Params({})).params!.prices!.perComputeUnit);
    assert.equal(j.status, JobStatus.JOB_STATUS_DONE);
    assert.deepEqual([j.outputCid, j.computeUnits, j.creditedUnits], ["status:out_of_gas", cap, cap]);
    assert.equal(BigInt(j.paid), (cap * 2n * price + DEC_ONE - 1n) / DEC_ONE, "the owner pays for the units the cap allowed, on both nodes");
    assert.deepEqual(await bonds(), before, "nobody slashed");
  });

  it("a job nobody reveals for fails after its reruns: nobody is slashed and the submitter pays job_failure_fee (burned)", async () => {
    const fee = BigInt((await q.aro.gpow.Params({})).params!.jobFailureFee);
    assert.equal(fee, 1000n, "job_failure_fee defaults to 1000 uaro");
    const before = await escrow();
    const bondsBefore = await bonds();
    const [{ jobId }] = jobsOf(ok(await customerClient.signAndBroadcast(customer.address, [submitJob()], FEE)));
    const j = await resolved(jobId);
    assert.equal(j.status, JobStatus.JOB_STATUS_FAILED);
    assert.ok(j.round >= 1, "it was run again on other nodes first");
    assert.equal(BigInt(j.paid), fee);
    const after = await escrow();
    assert.deepEqual([BigInt(after.held), BigInt(after.balance)], [BigInt(before.held), BigInt(before.balance) - fee], "the hold came back less the fee");
    assert.deepEqual(await bonds(), bondsBefore, "no node was slashed for a job nobody ran");
  });

  it("commission: a jump beyond max_commission_change_rate is refused (peernode/16), two changes in an epoch are refused (peernode/15), and a change is in force only from the next epoch", async () => {
    const tooHigh = await operatorClient.signAndBroadcast(operator.address, [reg(9, 1024n, [Service.SERVICE_CDN], { maxCommissionRate: "0.9" })], FEE);
    assert.equal(tooHigh.code, 11, tooHigh.rawLog);
    [cdnNode] = ids(await operatorClient.signAndBroadcast(operator.address, [reg(10, 1024n, [Service.SERVICE_CDN], { maxCommissionRate: "0.2" })], FEE));
    let n = (await q.aro.peernode.Node({ nodeId: cdnNode })).node!;
    assert.deepEqual([n.commission, n.maxCommissionRate, n.maxCommissionChangeRate], ["0.100000000000000000", "0.200000000000000000", "0.010000000000000000"]);
    const update = (commission: string) => ({ typeUrl: "/aro.peernode.v1.MsgUpdateNode", value: { owner: operator.address, nodeId: cdnNode, commission } });
    const jump = await operatorClient.signAndBroadcast(operator.address, [update("0.15")], FEE);
    assert.equal(jump.code, 16, jump.rawLog);
    const overCeiling = await operatorClient.signAndBroadcast(operator.address, [update("0.5")], FEE);
    assert.equal(overCeiling.code, 11, overCeiling.rawLog);
    const twice = await operatorClient.signAndBroadcast(operator.address, [update("0.11"), update("0.12")], FEE);
    assert.equal(twice.code, 15, twice.rawLog);
    const r = ok(await operatorClient.signAndBroadcast(operator.address, [update("0.11")], FEE));
    const epoch = (BigInt(r.height) - 1n) / EPOCH;
    n = (await q.aro.peernode.Node({ nodeId: cdnNode })).node!;
    assert.deepEqual([n.commission, n.pendingCommission, n.pendingCommissionEpoch], ["0.100000000000000000", "0.110000000000000000", epoch + 1n], "announced, in force from the next epoch");
    await waitHeight((epoch + 1n) * EPOCH + 1n);
    ok(await operatorClient.signAndBroadcast(operator.address, [update("0.12")], FEE));
    n = (await q.aro.peernode.Node({ nodeId: cdnNode })).node!;
    assert.deepEqual([n.commission, n.pendingCommission], ["0.110000000000000000", "0.120000000000000000"], "0.11 is in force now, 0.12 from the epoch after");
  });

  it("a job asking more than max_job_instructions (default 2 x 10^8: what the slowest honest node runs in half the commit window) is refused (gpow/22) and holds nothing", async () => {
    const max = (await q.aro.gpow.Params({})).params!.maxJobInstructions;
    assert.equal(max, 200_000_000n);
    const before = await escrow();
    const r = await customerClient.signAndBroadcast(customer.address, [submitJob({ maxInstructions: max + 1n })], FEE);
    assert.equal(r.code, 22, r.rawLog);
    assert.match(r.rawLog ?? "", /max_job_instructions/);
    assert.deepEqual([(await escrow()).held, (await escrow()).balance], [before.held, before.balance], "no escrow held for a refused job");
    ok(await customerClient.signAndBroadcast(customer.address, [submitJob({ maxInstructions: max })], FEE));
  });

  it("jobs asking a region land on nodes in that region while they have room, then on nodes with room elsewhere; an unknown region is refused", async () => {
    // two asian nodes of 4 cores each: room for 4 jobs each
    const resources = { bandwidthMbps: 100n, storageGb: 10n, cpuMillicores: 4000n, memoryMb: 1024n, gpus: 0 };
    const asia = ids(await operatorClient.signAndBroadcast(operator.address, [20, 21].map((n) => reg(n, 1024n, [Service.SERVICE_HVM], { region: "asia", resources })), FEE));
    const r = ok(await customerClient.signAndBroadcast(customer.address, Array.from({ length: 5 }, () => submitJob({ regions: ["asia"] })), FEE));
    const jobs = jobsOf(r);
    for (const j of jobs.slice(0, 4)) {
      assert.deepEqual([...j.nodes].sort(), [...asia].sort(), `job ${j.jobId} drew ${j.nodes.join(",")}`);
      assert.deepEqual((await job(j.jobId)).regions, ["asia"], "the job keeps its regions for reruns");
    }
    assert.deepEqual(jobs[4].nodes.filter((n) => asia.includes(n)), [], `the asian nodes are full (4 jobs on 4 cores): job ${jobs[4].jobId} drew ${jobs[4].nodes.join(",")}`);
    const bad = await customerClient.signAndBroadcast(customer.address, [submitJob({ regions: ["atlantis"] })], FEE);
    assert.notEqual(bad.code, 0, bad.rawLog);
  });
});
