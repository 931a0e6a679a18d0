/** Store keys of aro/peernode. Ids and times are zero-padded so keys sort by them. */
const P = "peernode/";
export const pad = (n: bigint) => n.toString().padStart(20, "0");
/** Largest uint64: commission history keys count down from it so an ascending scan finds the newest entry first. */
export const MAX_EPOCH = (1n << 64n) - 1n;

export const keys = {
  params: P + "params",
  nextId: P + "next_id",
  nodes: P + "nodes/",
  node: (id: bigint) => `${P}nodes/${pad(id)}`,
  byOwner: (owner: string) => `${P}by_owner/${owner}/`,
  byOwnerEntry: (owner: string, id: bigint) => `${P}by_owner/${owner}/${pad(id)}`,
  byPeerId: (peerId: string) => `${P}by_peer/${peerId}`,
  guarantees: (id: bigint) => `${P}guarantees/${pad(id)}/`,
  guarantee: (id: bigint, backer: string) => `${P}guarantees/${pad(id)}/${backer}`,
  guaranteesAll: P + "guarantees/",
  byBacker: (backer: string) => `${P}by_backer/${backer}/`,
  byBackerEntry: (backer: string, id: bigint) => `${P}by_backer/${backer}/${pad(id)}`,
  unbondingQueue: P + "unbonding/",
  unbonding: (time: bigint, id: bigint, backer: string) => `${P}unbonding/${pad(time)}/${pad(id)}/${backer}`,
  unbondingByBacker: (backer: string) => `${P}unbonding_by_backer/${backer}/`,
  unbondingByBackerEntry: (backer: string, time: bigint, id: bigint) => `${P}unbonding_by_backer/${backer}/${pad(time)}/${pad(id)}`,
  /** A node's unbonding entries (value: the height the guarantee left at), for penalties that land after it left. */
  unbondingByNode: (id: bigint) => `${P}unbonding_by_node/${pad(id)}/`,
  unbondingByNodeEntry: (id: bigint, time: bigint, backer: string) => `${P}unbonding_by_node/${pad(id)}/${pad(time)}/${backer}`,
  /** Commission history, newest first: the rate in force from an epoch (keyed by 2^64-1 - epoch). */
  commissionHistory: (id: bigint) => `${P}commission_history/${pad(id)}/`,
  commissionFrom: (id: bigint, epoch: bigint) => `${P}commission_history/${pad(id)}/${pad(MAX_EPOCH - epoch)}`,
  /** Dense index of active nodes per (service, region) for O(1) seeded picks; region "*" = any. */
  indexCount: (set: string) => `${P}index_count/${set}`,
  indexCountAll: P + "index_count/",
  indexAt: (set: string, i: bigint) => `${P}index_at/${set}/${pad(i)}`,
  indexPos: (set: string, id: bigint) => `${P}index_pos/${set}/${pad(id)}`,
};

/** Guarantees (bonds and backing) wait here; rewards waiting for withdrawal in the other. */
export { PEERNODE_BOND_POOL as BOND_POOL, PEERNODE_REWARD_POOL as REWARD_POOL } from "../../chain/module-accounts.ts";
export const MAX_UNBONDINGS_PER_BLOCK = 300;
/** Unbonding entries one backer may have open behind one node (the SDK's max_entries), so a slash reads a bounded list. */
export const MAX_UNBONDING_ENTRIES = 7;
