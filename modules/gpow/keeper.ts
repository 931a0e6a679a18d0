import { Claim, Job, Params } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import { seededUint } from "../../chain/seed.ts";
import { storedCounter } from "../../chain/store/counter.ts";
import { epochs } from "../epochs/epochs.ts";
import { keys } from "./keys.ts";
import { peernodeKeeper } from "../peernode/keeper.ts";
import { defaultGpowParams } from "./params.ts";

const EMPTY = new Uint8Array();

/** State access of aro/gpow, and the windows around each epoch. */
export const gpowKeeper = {
  getParams(state: KVReader): Params {
    const raw = state.get(keys.params);
    return raw ? Params.decode(raw) : defaultGpowParams;
  },
  setParams(store: KVStore, p: Params): void {
    store.set(keys.params, Params.encode(p).finish());
  },

  /** Heights of epoch e's claim window (end(e), claimEnd] and proof window [claimEnd + 1, proofEnd]. */
  windows(state: KVReader, epoch: bigint): { epochEnd: bigint; claimEnd: bigint; proofEnd: bigint } {
    const p = this.getParams(state);
    const epochEnd = epochs.end(state, epoch);
    return { epochEnd, claimEnd: epochEnd + p.claimWindow, proofEnd: epochEnd + p.claimWindow + p.proofWindow };
  },

  getClaim(state: KVReader, epoch: bigint, node: bigint): Claim | undefined {
    const raw = state.get(keys.claim(epoch, node));
    return raw ? Claim.decode(raw) : undefined;
  },
  setClaim(store: KVStore, c: Claim): void {
    store.set(keys.claim(c.epoch, c.nodeId), Claim.encode(c).finish());
  },
  allClaims(state: KVReader): Claim[] {
    return state.iterate(keys.claimsAll).map(([, raw]) => Claim.decode(raw));
  },
  /** Up to `limit` claims of an epoch with node id >= from. */
  claimsFrom(state: KVReader, epoch: bigint, from: bigint, limit: number): Claim[] {
    return state.iterate(keys.claimsOf(epoch), undefined, { from: keys.claim(epoch, from), limit }).map(([, raw]) => Claim.decode(raw));
  },

  setSeed(store: KVStore, key: string, hash: Uint8Array): void {
    store.set(key, hash);
  },
  epochSeed: (state: KVReader, epoch: bigint): Uint8Array | undefined => state.get(keys.epochSeed(epoch)),
  proofSeed: (state: KVReader, epoch: bigint): Uint8Array | undefined => state.get(keys.proofSeed(epoch)),

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

  jobIds: storedCounter(keys.nextJobId, 1n),
  /** Next epoch whose claims are to be resolved, and the node id to resume from. */
  resolveEpoch: storedCounter(keys.resolveEpoch, 0n),
  resolveCursor: storedCounter(keys.resolveCursor, 0n),

  storageProven: (state: KVReader, epoch: bigint, node: bigint, content: bigint): boolean => state.get(keys.storageProof(epoch, node, content)) !== undefined,
  recordStorageProof(store: KVStore, epoch: bigint, node: bigint, content: bigint): void {
    store.set(keys.storageProof(epoch, node, content), EMPTY);
  },

  getJob(state: KVReader, id: bigint): Job | undefined {
    const raw = state.get(keys.job(id));
    return raw ? Job.decode(raw) : undefined;
  },
  setJob(store: KVStore, j: Job): void {
    store.set(keys.job(j.id), Job.encode(j).finish());
    for (const e of j.executions) store.set(keys.nodeJob(e.nodeId, j.id), EMPTY);
  },
  allJobs(state: KVReader): Job[] {
    return state.iterate(keys.jobs).map(([, raw]) => Job.decode(raw));
  },
  jobsOf(state: KVReader, node: bigint): Job[] {
    const prefix = keys.nodeJobs(node);
    return state.iterate(prefix).map(([k]) => this.getJob(state, BigInt(k.slice(prefix.length)))!).filter(Boolean);
  },
};
