import type { Params as GpowParams } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import type { Watcher, Params as WatcherParams } from "../../proto/gen/aro/watcher/v1/watcher.ts";
import type { Prices } from "../../proto/gen/aro/market/v1/market.ts";
import type { Node } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { authKeeper as auth } from "../auth/keeper.ts";
import { bankKeeper as bank } from "../bank/keeper.ts";
import { mintKeeper as mint } from "../mint/keeper.ts";
import { stakingKeeper as staking } from "../staking/keeper.ts";

/**
 * What settlement needs from the modules whose work it scores and pays (the SDK's
 * expected_keepers.go). Each of them registers its part as `hooks: { settlement: { <name>: … } }`,
 * so settlement imports none of them and they may all build on settlement.
 */

/** gpow's proofs: its windows, which epochs have every claim resolved, and storage challenges. */
export interface GpowForSettlement {
  params(state: KVReader): Pick<GpowParams, "claimWindow" | "proofWindow" | "storageSlashFraction">;
  /** Every epoch before this one has all its claims resolved. */
  claimsResolvedThrough(ctx: Context): bigint;
  /** The replicas a node was challenged to prove in an epoch. */
  challengedReplicas(state: KVReader, epoch: bigint, node: bigint): ReadonlyArray<{ readonly id: bigint }>;
  storageProven(state: KVReader, epoch: bigint, node: bigint, content: bigint): boolean;
  /** Whether the node sent a delivery claim for the epoch. */
  hasClaim(state: KVReader, epoch: bigint, node: bigint): boolean;
}

/** A node's evaluation by its watcher committee for an epoch (watcher's evaluation.ts). */
export interface NodeEvaluation {
  readonly uptimePermille: number;
  readonly reports: number;
  readonly latencyMs: number;
  readonly chunkPermille: number;
  readonly direct?: boolean;
  readonly regionReports: number;
  readonly regionLatencyMs?: number;
}

/** watcher's attestations: its window, a node's evaluation, and who attested (to be paid). */
export interface WatcherForSettlement {
  params(state: KVReader): Pick<WatcherParams, "attestWindow">;
  /** Evaluates (and strikes or slashes the watchers of) a node's committee; undefined when nobody reported. */
  evaluateNode(ctx: Context, epoch: bigint, node: bigint, absentByProofs: boolean, region: string): NodeEvaluation | undefined;
  attestedIn(state: KVReader, epoch: bigint): Array<{ watcher: string; reports: bigint }>;
  get(state: KVReader, watcher: string): Pick<Watcher, "jailed" | "tokens"> | undefined;
  /** A reward already moved into watcher's reward account. */
  creditReward(ctx: Context, watcher: string, amount: bigint): void;
}

/** market's prices (what a node's work is worth). */
export interface MarketForSettlement {
  prices(state: KVReader): Prices;
}

/** peernode's nodes: which there are, their bonds, slashing and the rewards they are paid. */
export interface PeernodeForSettlement {
  /** Nodes by id from `from`, at most `limit`. */
  nodesFrom(state: KVReader, from: bigint, limit: number): Node[];
  mustNode(state: KVReader, id: bigint): Node;
  isBonded(state: KVReader, n: Node): boolean;
  unbondingsOfNode(state: KVReader, id: bigint): ReadonlyArray<{ readonly created: bigint; readonly amount: bigint }>;
  slash(ctx: Context, id: bigint, fraction: bigint, reason: string, infraction: { height?: bigint }): bigint;
  /** A reward already moved into peernode's reward account, split into commission and backers' share. */
  creditReward(ctx: Context, id: bigint, amount: bigint, epoch: bigint): { commission: bigint; toBackers: bigint };
}

export interface SettlementSources {
  readonly gpow: GpowForSettlement;
  readonly watcher: WatcherForSettlement;
  readonly market: MarketForSettlement;
  readonly peernode: PeernodeForSettlement;
}

const PARTS = ["gpow", "watcher", "market", "peernode"] as const;

/** The app's sources, from the `settlement` hooks its modules register; a chain without one of them cannot settle. */
export function settlementSources(ctx: Context): SettlementSources {
  const parts: Partial<Record<keyof SettlementSources, unknown>> = {};
  for (const h of ctx.hooks.get<Partial<SettlementSources>>("settlement")) Object.assign(parts, h);
  for (const p of PARTS) if (!parts[p]) throw new Error(`no module offers settlement its ${p} part (the ${p} module is missing)`);
  return parts as SettlementSources;
}

/**
 * What settlement needs from the modules below it (the SDK's expected_keepers.go): the only file of
 * settlement that imports another module, and of each keeper only the methods named here.
 */
export const authKeeper: Pick<typeof auth, "getOrCreateModuleAccount"> = auth;
export const bankKeeper: Pick<typeof bank, "burnFromModule" | "getBalance" | "sendCoins"> = bank;
export const mintKeeper: Pick<typeof mint, "getMinter" | "getParams"> = mint;
export const stakingKeeper: Pick<typeof staking, "getParams"> = staking;
export { blockProvision } from "../mint/minter.ts";
