import { Claim, GrantUsage, Job, Params } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import { seededUint } from "../../chain/seed.ts";
import { epochs } from "../epochs/epochs.ts";
import { pad } from "./keys.ts";
import { gpowStore } from "./store.ts";
import { peernodeKeeper } from "./expected.ts";

const s = gpowStore;

/** State access of aro/gpow, and the windows around each epoch. */
export const gpowKeeper = {
  getParams(state: KVReader): Params {
    return s.params.get(state);
  },
  setParams(store: KVStore, p: Params): void {
    s.params.set(store, p);
  },

  /** Heights of epoch e's claim window (end(e), claimEnd] and proof window [claimEnd + 1, proofEnd]. */
  windows(state: KVReader, epoch: bigint): { epochEnd: bigint; claimEnd: bigint; proofEnd: bigint } {
    const p = this.getParams(state);
    const epochEnd = epochs.end(state, epoch);
    return { epochEnd, claimEnd: epochEnd + p.claimWindow, proofEnd: epochEnd + p.claimWindow + p.proofWindow };
  },

  getClaim(state: KVReader, epoch: bigint, node: bigint): Claim | undefined {
    return s.claims.get(state, [epoch, node]);
  },
  setClaim(store: KVStore, c: Claim): void {
    s.claims.set(store, [c.epoch, c.nodeId], c);
  },
  allClaims(state: KVReader): Claim[] {
    return s.claims.values(state);
  },
  /** Up to `limit` claims of an epoch with node id >= from. */
  claimsFrom(state: KVReader, epoch: bigint, from: bigint, limit: number): Claim[] {
    return s.claims.values(state, { prefix: `${pad(epoch)}/`, from: [epoch, from], limit });
  },

  setEpochSeed: (store: KVStore, epoch: bigint, hash: Uint8Array): void => s.epochSeeds.set(store, epoch, hash),
  setProofSeed: (store: KVStore, epoch: bigint, hash: Uint8Array): void => s.proofSeeds.set(store, epoch, hash),
  epochSeed: (state: KVReader, epoch: bigint): Uint8Array | undefined => s.epochSeeds.get(state, epoch),
  proofSeed: (state: KVReader, epoch: bigint): Uint8Array | undefined => s.proofSeeds.get(state, epoch),

  /**
   * Whether a claim must be proven: always above the byte threshold, else with the governed
   * probability. The bond it is judged on is the one recorded in the claim when it was made
   * (a bond raised or lowered after the claim, e.g. once the proof seed is known, changes
   * nothing); claims from before that snapshot existed read the live bond.
   */
  needsProof(state: KVReader, c: Claim, seed: Uint8Array): boolean {
    const p = this.getParams(state);
    if (c.totalBytes >= p.alwaysProveBytes) return true;
    const prob = decFromString(p.proveProbability);
    // a sampled claim's void costs worth × (1-p)/p: if the bond cannot cover that, always prove
    const worth = c.clientTotals.reduce((sum, t) => sum + BigInt(t.held || "0"), 0n);
    const bond = BigInt(c.bond || peernodeKeeper.getNode(state, c.nodeId)?.guaranteeTokens || "0");
    if (prob === 0n || (worth * (DEC_ONE - prob)) / prob > bond) return true;
    const draw = seededUint(seed, "prove", c.nodeId.toString()) % DEC_ONE;
    return draw < prob;
  },
  /** Byte offsets whose leaves the node must open (distinct draws from the proof seed). */
  proofOffsets(state: KVReader, c: Claim, seed: Uint8Array): bigint[] {
    const n = this.getParams(state).proofsPerClaim;
    const out = new Set<bigint>();
    for (let i = 0; i < n; i++) out.add(seededUint(seed, "offset", c.nodeId.toString(), i.toString()) % c.totalBytes);
    return [...out];
  },

  jobIds: s.nextJobId,
  /** Next epoch whose claims are to be resolved, and the node id to resume from. */
  resolveEpoch: s.resolveEpoch,
  resolveCursor: s.resolveCursor,

  storageProven: (state: KVReader, epoch: bigint, node: bigint, content: bigint): boolean => s.storageProofs.has(state, [epoch, node, content]),
  recordStorageProof(store: KVStore, epoch: bigint, node: bigint, content: bigint): void {
    s.storageProofs.add(store, [epoch, node, content]);
  },

  getJob(state: KVReader, id: bigint): Job | undefined {
    return s.jobs.get(state, id);
  },
  setJob(store: KVStore, j: Job): void {
    s.jobs.set(store, j.id, j);
    for (const e of j.executions) s.nodeJobs.add(store, [e.nodeId, j.id]);
  },
  allJobs(state: KVReader): Job[] {
    return s.jobs.values(state);
  },
  jobsOf(state: KVReader, node: bigint): Job[] {
    return s.nodeJobs.keys(state, { prefix: `${pad(node)}/` }).map(([, id]) => this.getJob(state, id)!).filter(Boolean);
  },
  /** Marks a job in COMMIT to be resolved once its reveal deadline has passed. */
  addJobDeadline(store: KVStore, height: bigint, id: bigint): void {
    s.jobDeadlines.add(store, [height, id]);
  },
  /** Up to `limit` (deadline, job id) whose deadline is before `height`, in deadline order. */
  jobDeadlinesBefore(state: KVReader, height: bigint, limit: number): Array<[bigint, bigint]> {
    return s.jobDeadlines.keys(state, { before: pad(height), limit });
  },
  removeJobDeadline(store: KVStore, height: bigint, id: bigint): void {
    s.jobDeadlines.remove(store, [height, id]);
  },

  getGrantUsage(state: KVReader, grantId: string): GrantUsage | undefined {
    return s.grantUsage.get(state, grantId);
  },
  /** Stores a grant's usage, indexed by its expiry epoch (which never changes for a grant id). */
  setGrantUsage(store: KVStore, u: GrantUsage): void {
    s.grantUsage.set(store, u.grantId, u);
    s.grantExpiries.add(store, [u.expiresEpoch, u.grantId]);
  },
  deleteGrantUsage(store: KVStore, expiresEpoch: bigint, grantId: string): void {
    s.grantUsage.delete(store, grantId);
    s.grantExpiries.remove(store, [expiresEpoch, grantId]);
  },
  allGrantUsages(state: KVReader): GrantUsage[] {
    return s.grantUsage.values(state);
  },
  /** Up to `limit` (expires epoch, grant id) with an expiry at or before `epoch`, oldest first. */
  grantsExpiringBy(state: KVReader, epoch: bigint, limit: number): Array<[bigint, string]> {
    return s.grantExpiries.keys(state, { before: pad(epoch + 1n), limit });
  },
};
