/** Store keys of aro/watcher. */
const P = "watcher/";
export const pad = (n: bigint) => n.toString().padStart(20, "0");

export const keys = {
  params: P + "params",
  watchers: P + "watchers/",
  watcher: (addr: string) => `${P}watchers/${addr}`,
  delegationsTo: (watcher: string) => `${P}delegations/${watcher}/`,
  delegation: (watcher: string, del: string) => `${P}delegations/${watcher}/${del}`,
  delegationsAll: P + "delegations/",
  byDelegator: (del: string) => `${P}by_delegator/${del}/`,
  byDelegatorEntry: (del: string, watcher: string) => `${P}by_delegator/${del}/${watcher}`,
  unbondingQueue: P + "unbonding/",
  unbonding: (time: bigint, watcher: string, del: string) => `${P}unbonding/${pad(time)}/${watcher}/${del}`,
  snapshot: (epoch: bigint) => `${P}snapshot/${pad(epoch)}`,
  reportsOf: (epoch: bigint, node: bigint) => `${P}reports/${pad(epoch)}/${pad(node)}/`,
  report: (epoch: bigint, node: bigint, watcher: string) => `${P}reports/${pad(epoch)}/${pad(node)}/${watcher}`,
  attested: (epoch: bigint, watcher: string) => `${P}attested/${pad(epoch)}/${watcher}`,
  attestedIn: (epoch: bigint) => `${P}attested/${pad(epoch)}/`,
  /** The first epoch whose snapshot, reports and attestations may still be stored: all before it are pruned. */
  pruneEpoch: P + "prune_epoch",
};

export { WATCHER_STAKE_POOL as STAKE_POOL, WATCHER_REWARD_POOL as REWARD_POOL } from "../../chain/module-accounts.ts";
export const MAX_UNBONDINGS_PER_BLOCK = 300;
