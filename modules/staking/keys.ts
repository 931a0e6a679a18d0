/** Store keys of x/staking. Times are seconds, heights are block heights, both zero-padded so keys sort by them. */
const P = "staking/";
const pad = (n: bigint) => n.toString().padStart(20, "0");

export const keys = {
  params: P + "params",
  validators: P + "validators/",
  validator: (val: string) => `${P}validators/${val}`,
  byConsAddress: (consHex: string) => `${P}by_cons/${consHex}`,
  delegationsOf: (del: string) => `${P}delegations/${del}/`,
  delegation: (del: string, val: string) => `${P}delegations/${del}/${val}`,
  delegationsAll: P + "delegations/",
  delegationsByVal: (val: string) => `${P}delegations_by_val/${val}/`,
  delegationByVal: (val: string, del: string) => `${P}delegations_by_val/${val}/${del}`,
  unbondingsOf: (del: string) => `${P}unbonding/${del}/`,
  unbonding: (del: string, val: string) => `${P}unbonding/${del}/${val}`,
  unbondingsAll: P + "unbonding/",
  unbondingsByVal: (val: string) => `${P}unbonding_by_val/${val}/`,
  unbondingByVal: (val: string, del: string) => `${P}unbonding_by_val/${val}/${del}`,
  unbondingQueue: P + "unbonding_queue/",
  unbondingQueueEntry: (time: bigint, del: string, val: string) => `${P}unbonding_queue/${pad(time)}/${del}/${val}`,
  redelegationsOf: (del: string) => `${P}redelegations/${del}/`,
  redelegation: (del: string, src: string, dst: string) => `${P}redelegations/${del}/${src}/${dst}`,
  redelegationsAll: P + "redelegations/",
  redelegationsBySrc: (src: string) => `${P}redelegations_by_src/${src}/`,
  redelegationBySrc: (src: string, del: string, dst: string) => `${P}redelegations_by_src/${src}/${del}/${dst}`,
  redelegationQueue: P + "redelegation_queue/",
  redelegationQueueEntry: (time: bigint, del: string, src: string, dst: string) => `${P}redelegation_queue/${pad(time)}/${del}/${src}/${dst}`,
  validatorQueue: P + "validator_queue/",
  validatorQueueEntry: (time: bigint, val: string) => `${P}validator_queue/${pad(time)}/${val}`,
  lastPowers: P + "last_power/",
  lastPower: (val: string) => `${P}last_power/${val}`,
  historical: (height: bigint) => `${P}historical/${pad(height)}`,
  /** Upper bound of the queue keys due at `now` (for a range scan). */
  dueBefore: (queue: string, now: bigint) => queue + pad(now + 1n),
  /** The time part of a queue key, to stop at the first entry not yet due. */
  queueTime: (key: string, prefix: string) => BigInt(key.slice(prefix.length, prefix.length + 20)),
};

export { BONDED_POOL, NOT_BONDED_POOL } from "../../chain/module-accounts.ts";
/** Tokens per unit of CometBFT voting power (the SDK's DefaultPowerReduction). */
export const POWER_REDUCTION = 1_000_000n;
/** Queue entries completed per block at most, so block time stays flat however many mature at once. */
export const MAX_MATURED_PER_BLOCK = 300;
