import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { JobStatus, type Job } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import type { Resources } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import type { ChainClient } from "../runtime/chain-client.ts";
import type { WorkerComponents } from "../runtime/components.ts";
import { pad, type AgentDb } from "../runtime/state-db.ts";
import type { Blockstore } from "../../client/content/blockstore.ts";
import { chunkContent } from "../../client/content/chunks.ts";
import { resultCommitment } from "../../protocol/result-commitment.ts";
import { refuseIfTooLarge } from "./admission.ts";
import { wallClockBudgetMs } from "./budget.ts";
import { runJob } from "./sandbox.ts";
import { JobRefused, type JobResult } from "./types.ts";

/** What the executor keeps per job: the salt must survive a restart between commit and reveal. */
interface JobRecord {
  round: number;
  outputCid: string;
  computeUnits: string;
  salt: string;
  committed: boolean;
  revealed: boolean;
  status: JobResult["status"];
}

export interface ContentFetcher {
  /** the bytes of a content (fetched from the network and verified, or from the local store) */
  get(cidOrRoot: string, owner?: string): Promise<Uint8Array>;
}

/**
 * PeerHVM on the node: runs the compute jobs the chain assigns to it in the metered
 * sandbox (inputs and wasm fetched as DTS content, the output stored as DTS content),
 * commits to (output, compute units) in the commit window and reveals in the reveal
 * window. Jobs larger than the node declared are refused.
 */
/** The node it runs for, what it declared (larger jobs are refused), where inputs come from, the market's chunk size. */
export interface ExecutorInit {
  readonly nodeId: bigint;
  readonly declared: Resources;
  readonly content: ContentFetcher;
  readonly chunkSize: number;
  readonly onRun?: (r: JobResult) => void;
}

/** PeerHVM as a worker factory: `jobExecutor(init)(components)`. */
export const jobExecutor = (init: ExecutorInit) => (components: Pick<WorkerComponents, "chain" | "db" | "store" | "log">) => new JobExecutor(components, init);

export class JobExecutor {
  private readonly running = new Set<string>();

  private readonly chain: ChainClient;
  private readonly db: AgentDb;
  private readonly store: Blockstore;
  private readonly log: Logger;
  private readonly nodeId: bigint;
  private readonly declared: Resources;
  private readonly content: ContentFetcher;
  private readonly chunkSize: number;
  private readonly onRun?: (r: JobResult) => void;

  constructor(components: Pick<WorkerComponents, "chain" | "db" | "store" | "log">, init: ExecutorInit) {
    ({ chain: this.chain, db: this.db, store: this.store, log: this.log } = components);
    ({ nodeId: this.nodeId, declared: this.declared, content: this.content, chunkSize: this.chunkSize, onRun: this.onRun } = init);
  }

  async tick(height: bigint): Promise<void> {
    const { jobs } = await this.chain.q.aro.gpow.NodeJobs({ nodeId: this.nodeId });
    for (const job of jobs) {
      const mine = job.executions.find((e) => e.nodeId === this.nodeId);
      if (!mine) continue;
      const key = `${pad(job.id)}/${job.round}`;
      if (job.status !== JobStatus.JOB_STATUS_COMMIT || this.running.has(key)) continue;
      const rec = await this.db.getJson<JobRecord>(this.db.jobs, key);
      if (height <= job.commitDeadline) {
        if (mine.commitment.length > 0) continue;
        if (!rec) this.runInBackground(job, key);
        else if (!rec.committed) await this.commit(job, key, rec);
      } else if (height <= job.revealDeadline && mine.commitment.length > 0 && !mine.revealed && rec) {
        // reveals open once the commit window has closed
        await this.chain.send([{ typeUrl: "/aro.gpow.v1.MsgRevealResult", value: { operator: this.chain.address, nodeId: this.nodeId, jobId: job.id, outputCid: rec.outputCid, computeUnits: BigInt(rec.computeUnits), salt: rec.salt } }]);
        await this.db.putJson(this.db.jobs, key, { ...rec, revealed: true });
        this.log.info({ job: job.id.toString(), output: rec.outputCid, units: rec.computeUnits }, "job result revealed");
      }
    }
  }

  private runInBackground(job: Job, key: string): void {
    if (this.running.has(key)) return;
    this.running.add(key);
    this.execute(job, key)
      .catch((err) => this.log.warn({ job: job.id.toString(), err: (err as Error).message }, "job not run"))
      .finally(() => this.running.delete(key));
  }

  private async execute(job: Job, key: string): Promise<void> {
    // the clock is set from the instruction cap: metering, not the clock, ends a job (budget.ts)
    const timeoutMs = wallClockBudgetMs(job.limits!.maxInstructions);
    const limits = { maxInstructions: job.limits!.maxInstructions, maxMemoryBytes: job.limits!.maxMemoryBytes, maxOutputBytes: job.limits!.maxOutputBytes, timeoutMs };
    const refusal = refuseIfTooLarge(limits, { memoryMb: this.declared.memoryMb, cpuMillicores: this.declared.cpuMillicores });
    if (refusal) throw new Error(`refused: ${refusal}`);
    const [wasm, input] = await Promise.all([this.content.get(job.wasmCid, job.owner), this.content.get(job.inputCid, job.owner)]);
    const result = await runDeterministic(wasm, input, limits);
    this.onRun?.(result);
    // a timeout depends on this machine's speed, not on the job: nothing deterministic to commit
    if (result.status === "timeout") throw new Error(`ran out of wall-clock time (${timeoutMs} ms) after ${result.computeUnits} units`);
    const outputCid = this.storeOutput(result);
    const rec: JobRecord = { round: job.round, outputCid, computeUnits: result.computeUnits.toString(), salt: randomBytes(16).toString("hex"), committed: false, revealed: false, status: result.status };
    await this.db.putJson(this.db.jobs, key, rec);
    this.log.info({ job: job.id.toString(), status: result.status, units: rec.computeUnits, output: outputCid }, "job run");
    await this.commit(job, key, rec);
  }

  /** The output becomes DTS content (its root is the output id); a failed run's id names its status (resultId). */
  private storeOutput(r: JobResult): string {
    if (r.status !== "ok") return resultId(r);
    if (r.output.length === 0) return "empty";
    const { content, chunks } = chunkContent(r.output, this.chunkSize);
    this.store.put(content, chunks);
    return content.root;
  }

  private async commit(job: Job, key: string, rec: JobRecord): Promise<void> {
    await this.chain.send([{ typeUrl: "/aro.gpow.v1.MsgCommitResult", value: { operator: this.chain.address, nodeId: this.nodeId, jobId: job.id, commitment: resultCommitment(rec.outputCid, BigInt(rec.computeUnits), rec.salt) } }]);
    await this.db.putJson(this.db.jobs, key, { ...rec, committed: true });
    this.log.info({ job: job.id.toString() }, "job result committed");
  }
}

/**
 * What honest nodes commit for a run that did not end `ok`: its status, the same on every
 * node (`status:out_of_gas` with units = the cap, `status:memory_limit`, `status:refused`
 * with 0 units ...), so they agree and are paid like any majority result.
 */
export function resultId(r: Pick<JobResult, "status">): string {
  return `status:${r.status}`;
}

/** runJob, with a module the sandbox refuses (deterministically: validation, features, interface) as a result of 0 units. */
export async function runDeterministic(wasm: Uint8Array, input: Uint8Array, limits: Parameters<typeof runJob>[2]): Promise<JobResult> {
  try {
    return await runJob(wasm, input, limits);
  } catch (e) {
    if (!(e instanceof JobRefused)) throw e;
    return { status: "refused", output: new Uint8Array(), computeUnits: 0n, error: e.message };
  }
}
