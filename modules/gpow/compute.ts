import { JobStatus, type Execution, type Job } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import type { MsgCommitResult, MsgRevealResult, MsgSubmitJob } from "../../proto/gen/aro/gpow/v1/tx.ts";
import { Service, type Node } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { jobFits } from "../../protocol/job-fit.ts";
import { parseAmount } from "../../chain/coins.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { resultCommitment } from "../../protocol/result-commitment.ts";
import { sha256 } from "../../chain/seed.ts";
import { epochs } from "../epochs/epochs.ts";
import { SETTLEMENT_POOL } from "../../chain/module-accounts.ts";
import { workSink, bankKeeper, marketKeeper, marketErrors, JOB_REDUNDANCY_FLOOR, peernodeKeeper, validateRegion } from "./expected.ts";
import { gpowErrors } from "./errors.ts";
import { gpowKeeper as k } from "./keeper.ts";
import { changeLoad, routingRank } from "./routing.ts";
import { creditedUnits, unitCap } from "../../protocol/compute-units.ts";

/** Most regions a job may ask for. */
export const MAX_JOB_REGIONS = 8;

/**
 * Draws `redundancy` bonded HVM nodes for a job round, excluding nodes of earlier rounds,
 * every node the job's owner owns or operates (it cannot check its own job) and, unless
 * `anyFit`, every node whose declared resources do not fit the job's limits (job-fit.ts).
 * Among the fitting nodes, compute routing (routing.ts) prefers, per slot, the best of a
 * few seeded candidates: spare capacity, then the job's regions, then measured uptime.
 */
function assign(ctx: Context, job: Job, exclude: Set<bigint>, anyFit = false): bigint[] {
  const seed = sha256(ctx.block.seed ?? new Uint8Array(32), "job", job.id.toString(), job.round.toString());
  if (anyFit) return peernodeKeeper.pickNodes(ctx.store, Service.SERVICE_HVM, job.regions, job.redundancy, seed, exclude, job.owner);
  const fits = (n: Node) => jobFits(job.limits!, n.resources);
  return peernodeKeeper.pickNodes(ctx.store, Service.SERVICE_HVM, job.regions, job.redundancy, seed, exclude, job.owner, fits, routingRank(ctx.store, job.limits!, job.regions));
}

function schedule(ctx: Context, job: Job, nodes: bigint[]): Job {
  const p = k.getParams(ctx.store);
  const commitDeadline = ctx.block.height + p.commitWindow;
  const revealDeadline = commitDeadline + p.revealWindow;
  k.addJobDeadline(ctx.store, revealDeadline, job.id);
  // the nodes run it until it is resolved: routing counts it against their spare capacity
  changeLoad(ctx.store, nodes, job.limits!, 1n);
  return {
    ...job, status: JobStatus.JOB_STATUS_COMMIT, commitDeadline, revealDeadline,
    executions: nodes.map((nodeId) => ({ nodeId, commitment: new Uint8Array(), outputCid: "", computeUnits: 0n, revealed: false })),
  };
}

export function submitJob(ctx: Context, m: MsgSubmitJob): Job {
  const params = marketKeeper.getParams(ctx.store);
  if (!m.limits || m.limits.maxInstructions === 0n || m.limits.maxMemoryBytes === 0n) throw gpowErrors.invalidJob.wrap("limits need max_instructions and max_memory_bytes");
  const maxInstructions = k.getParams(ctx.store).maxJobInstructions;
  if (m.limits.maxInstructions > maxInstructions) {
    throw gpowErrors.jobTooLarge.wrap(`max_instructions ${m.limits.maxInstructions} > max_job_instructions ${maxInstructions}: an honest node could not run it within the commit window`);
  }
  if (m.regions.length > MAX_JOB_REGIONS || new Set(m.regions).size !== m.regions.length) throw gpowErrors.invalidJob.wrap(`regions: at most ${MAX_JOB_REGIONS}, distinct`);
  for (const r of m.regions) validateRegion(r, peernodeKeeper.getParams(ctx.store));
  const minRedundancy = Math.max(params.minJobRedundancy, JOB_REDUNDANCY_FLOOR);
  if (m.redundancy < minRedundancy || m.redundancy > params.maxJobRedundancy) throw gpowErrors.invalidJob.wrap(`redundancy must be ${minRedundancy}..${params.maxJobRedundancy}`);
  if (!m.wasmCid || !m.inputCid || m.wasmCid.length > 128 || m.inputCid.length > 128) throw gpowErrors.invalidJob.wrap("wasm_cid and input_cid are content ids (at most 128 characters)");
  if (!m.maxPayment || m.maxPayment.denom !== marketKeeper.denom(ctx.store)) throw gpowErrors.invalidJob.wrap(`max_payment must be in ${marketKeeper.denom(ctx.store)}`);
  const maxPayment = parseAmount(m.maxPayment.amount, "max_payment");
  const id = k.jobIds.next(ctx.store);
  const job: Job = {
    id, owner: m.owner, wasmCid: m.wasmCid, inputCid: m.inputCid, limits: m.limits, redundancy: m.redundancy, maxPayment: maxPayment.toString(),
    status: JobStatus.JOB_STATUS_COMMIT, round: 0, executions: [], commitDeadline: 0n, revealDeadline: 0n, outputCid: "", computeUnits: 0n, epoch: 0n, paid: "0", creditedUnits: 0n,
    regions: m.regions,
  };
  const nodes = assign(ctx, job, new Set());
  if (nodes.length < m.redundancy) {
    // told apart for the submitter: its limits are the problem (gpow/21), or the network is
    if (assign(ctx, job, new Set(), true).length >= m.redundancy) {
      throw gpowErrors.noFittingNodes.wrap(`${nodes.length} bonded HVM nodes declare resources for max_memory_bytes ${m.limits.maxMemoryBytes} + max_output_bytes ${m.limits.maxOutputBytes} on one core, the job needs ${m.redundancy}`);
    }
    throw marketErrors.noNodes.wrap(`${nodes.length} bonded HVM nodes not the owner's available, the job needs ${m.redundancy}`);
  }
  marketKeeper.hold(ctx, m.owner, maxPayment);
  const scheduled = schedule(ctx, job, nodes);
  k.setJob(ctx.store, scheduled);
  ctx.events.emit("job_submitted", { job_id: id.toString(), owner: m.owner, nodes: nodes.join(","), commit_deadline: scheduled.commitDeadline.toString(), reveal_deadline: scheduled.revealDeadline.toString() });
  return scheduled;
}

function execution(job: Job, node: bigint): Execution {
  const e = job.executions.find((x) => x.nodeId === node);
  if (!e) throw gpowErrors.notAssigned.wrap(`node ${node} is not running job ${job.id} (round ${job.round})`);
  return e;
}

function mustJob(ctx: Context, id: bigint): Job {
  const job = k.getJob(ctx.store, id);
  if (!job) throw gpowErrors.jobNotFound.wrap(`job ${id}`);
  return job;
}

export function commitResult(ctx: Context, m: MsgCommitResult): void {
  peernodeKeeper.requireOperator(ctx.store, m.nodeId, m.operator);
  const job = mustJob(ctx, m.jobId);
  if (job.status !== JobStatus.JOB_STATUS_COMMIT || ctx.block.height > job.commitDeadline) throw gpowErrors.outsideWindow.wrap(`commits for job ${job.id} closed at height ${job.commitDeadline}`);
  if (m.commitment.length !== 32) throw gpowErrors.invalidJob.wrap("commitment must be 32 bytes");
  const e = execution(job, m.nodeId);
  if (e.commitment.length) throw gpowErrors.alreadyDone.wrap("already committed");
  k.setJob(ctx.store, { ...job, executions: job.executions.map((x) => (x.nodeId === m.nodeId ? { ...x, commitment: m.commitment } : x)) });
  ctx.events.emit("job_commit", { job_id: job.id.toString(), node_id: m.nodeId.toString() });
}

export function revealResult(ctx: Context, m: MsgRevealResult): void {
  peernodeKeeper.requireOperator(ctx.store, m.nodeId, m.operator);
  const job = mustJob(ctx, m.jobId);
  if (job.status !== JobStatus.JOB_STATUS_COMMIT || ctx.block.height <= job.commitDeadline || ctx.block.height > job.revealDeadline) {
    throw gpowErrors.outsideWindow.wrap(`reveals for job ${job.id} are accepted at heights ${job.commitDeadline + 1n}..${job.revealDeadline}`);
  }
  const e = execution(job, m.nodeId);
  if (e.revealed) throw gpowErrors.alreadyDone.wrap("already revealed");
  // the meter stops a job at its limit: more units than that were never run
  const cap = unitCap(job.limits!.maxInstructions);
  if (m.computeUnits > cap) throw gpowErrors.unitsOverLimit.wrap(`${m.computeUnits} > max_instructions ${cap} of job ${job.id}`);
  if (!e.commitment.length || Buffer.compare(Buffer.from(resultCommitment(m.outputCid, m.computeUnits, m.salt)), Buffer.from(e.commitment)) !== 0) {
    throw gpowErrors.badCommitment.wrap(`node ${m.nodeId} job ${job.id}`);
  }
  k.setJob(ctx.store, { ...job, executions: job.executions.map((x) => (x.nodeId === m.nodeId ? { ...x, outputCid: m.outputCid, computeUnits: m.computeUnits, revealed: true } : x)) });
  ctx.events.emit("job_reveal", { job_id: job.id.toString(), node_id: m.nodeId.toString(), output_cid: m.outputCid, compute_units: m.computeUnits.toString() });
}

/**
 * After the reveal deadline: the result more than half the nodes revealed wins (a job that
 * ran out of gas or memory has one too: workers/hvm ends it deterministically); the owner
 * pays for its compute units and its nodes are credited them as work, at most what the
 * payment covers; nodes that revealed something else or nothing are slashed. No majority:
 * only nodes that committed and then withheld their result are slashed (nobody is slashed
 * for a job nobody ran), and the job runs again on other fitting nodes; with no round or
 * node left it fails and its owner pays job_failure_fee (burned), the rest returned.
 */
function resolveJob(ctx: Context, job: Job): void {
  // this round is over: its nodes are no longer running the job
  changeLoad(ctx.store, job.executions.map((e) => e.nodeId), job.limits!, -1n);
  const groups = new Map<string, Execution[]>();
  for (const e of job.executions.filter((x) => x.revealed)) {
    const key = `${e.outputCid}:${e.computeUnits}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const majority = [...groups.values()].find((g) => g.length * 2 > job.executions.length);
  const fraction = decFromString(k.getParams(ctx.store).computeSlashFraction);
  if (!majority) {
    // nobody can be told apart from a liar; a node that committed to a result and hid it is
    // slashed, one that never committed (nobody could run the job) is not
    for (const e of job.executions.filter((x) => !x.revealed && x.commitment.length > 0)) peernodeKeeper.slash(ctx, e.nodeId, fraction, `result withheld for job ${job.id}`, { height: roundStart(ctx, job) });
    const tried = new Set(job.executions.map((e) => e.nodeId));
    const next = { ...job, round: job.round + 1 };
    const nodes = next.round < k.getParams(ctx.store).maxJobRounds ? assign(ctx, next, tried) : [];
    if (nodes.length === job.redundancy) {
      k.setJob(ctx.store, schedule(ctx, next, nodes));
      ctx.events.emit("job_rerun", { job_id: job.id.toString(), round: next.round.toString(), nodes: nodes.join(",") });
      return;
    }
    const fee = failureFee(ctx, job);
    k.setJob(ctx.store, { ...job, status: JobStatus.JOB_STATUS_FAILED, paid: fee.toString() });
    ctx.events.emit("job_failed", { job_id: job.id.toString(), round: job.round.toString(), failure_fee: fee.toString() });
    return;
  }
  const { outputCid, computeUnits } = majority[0];
  const epoch = epochs.of(ctx.store, ctx.block.height);
  const winners = new Set(majority.map((e) => e.nodeId));
  // a winner below min_bond earns nothing, so the owner is not charged for it
  const paidNodes = [...winners].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).filter((id) => peernodeKeeper.isBonded(ctx.store, peernodeKeeper.mustNode(ctx.store, id)));
  const n = BigInt(paidNodes.length);
  const price = decFromString(marketKeeper.getParams(ctx.store).prices!.perComputeUnit);
  const cost = (computeUnits * n * price + DEC_ONE - 1n) / DEC_ONE;
  const held = BigInt(job.maxPayment);
  const paid = cost < held ? cost : held;
  const credited = n === 0n ? 0n : creditedUnits(computeUnits, unitCap(job.limits!.maxInstructions), paid, price, n);
  for (const e of job.executions) {
    // a node that never committed may simply not have been given the input (its owner can
    // withhold it): it is not paid, but not slashed; one that committed and then hid or
    // changed its result is
    if (winners.has(e.nodeId) || e.commitment.length === 0) continue;
    peernodeKeeper.slash(ctx, e.nodeId, fraction, e.revealed ? `wrong result for job ${job.id}` : `result withheld for job ${job.id}`, { height: roundStart(ctx, job) });
  }
  marketKeeper.release(ctx, job.owner, held, paid, SETTLEMENT_POOL, `compute job ${job.id}`);
  // the payment is the winners' compute income, split evenly (the first ones get the remainder's uaro)
  paidNodes.forEach((id, i) => {
    const share = paid / n + (BigInt(i) < paid % n ? 1n : 0n);
    workSink(ctx).addWork(ctx, epoch, id, { computeUnits: credited });
    workSink(ctx).addUsage(ctx, epoch, id, "compute", share);
  });
  k.setJob(ctx.store, { ...job, status: JobStatus.JOB_STATUS_DONE, outputCid, computeUnits, epoch, paid: paid.toString(), creditedUnits: credited });
  ctx.events.emit("job_done", {
    job_id: job.id.toString(), output_cid: outputCid, compute_units: computeUnits.toString(), credited_units: credited.toString(), paid: paid.toString(), nodes: [...winners].join(","),
  });
}

/** A failed job's owner pays job_failure_fee (at most what it held), burned; the rest of the hold returns. */
function failureFee(ctx: Context, job: Job): bigint {
  const held = BigInt(job.maxPayment);
  const asked = BigInt(k.getParams(ctx.store).jobFailureFee || "0");
  const fee = asked < held ? asked : held;
  marketKeeper.release(ctx, job.owner, held, fee, SETTLEMENT_POOL, `job ${job.id} failed: failure fee`);
  if (fee > 0n) bankKeeper.burnFromModule(ctx, SETTLEMENT_POOL, [{ denom: marketKeeper.denom(ctx.store), amount: fee }]);
  return fee;
}

/** End of block: jobs whose reveal deadline has passed, at most max_resolutions_per_block. */
export function resolveJobs(ctx: Context): void {
  const limit = k.getParams(ctx.store).maxResolutionsPerBlock;
  for (const [deadline, id] of k.jobDeadlinesBefore(ctx.store, ctx.block.height, limit)) {
    k.removeJobDeadline(ctx.store, deadline, id);
    const job = k.getJob(ctx.store, id);
    if (job && job.status === JobStatus.JOB_STATUS_COMMIT && job.revealDeadline < ctx.block.height) resolveJob(ctx, job);
  }
}

/** Height the job's current round was assigned at: a penalty for it reaches guarantee that left since. */
function roundStart(ctx: Context, job: Job): bigint {
  const start = job.commitDeadline - k.getParams(ctx.store).commitWindow;
  return start > 0n ? start : 0n;
}
