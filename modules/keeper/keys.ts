/** Store keys of aro/keeper. */
const P = "keeper/";
export const pad = (n: bigint) => n.toString().padStart(20, "0");

export const keys = {
  params: P + "params",
  keepers: P + "keepers/",
  keeper: (addr: string) => `${P}keepers/${addr}`,
  delegationsTo: (keeper: string) => `${P}delegations/${keeper}/`,
  delegation: (keeper: string, del: string) => `${P}delegations/${keeper}/${del}`,
  delegationsAll: P + "delegations/",
  byDelegator: (del: string) => `${P}by_delegator/${del}/`,
  byDelegatorEntry: (del: string, keeper: string) => `${P}by_delegator/${del}/${keeper}`,
  unbondingQueue: P + "unbonding/",
  unbonding: (time: bigint, keeper: string, del: string) => `${P}unbonding/${pad(time)}/${keeper}/${del}`,
  snapshot: (epoch: bigint) => `${P}snapshot/${pad(epoch)}`,
  reportsOf: (epoch: bigint, node: bigint) => `${P}reports/${pad(epoch)}/${pad(node)}/`,
  report: (epoch: bigint, node: bigint, keeper: string) => `${P}reports/${pad(epoch)}/${pad(node)}/${keeper}`,
  attested: (epoch: bigint, keeper: string) => `${P}attested/${pad(epoch)}/${keeper}`,
  attestedIn: (epoch: bigint) => `${P}attested/${pad(epoch)}/`,
};

export { KEEPER_STAKE_POOL as STAKE_POOL, KEEPER_REWARD_POOL as REWARD_POOL } from "../../chain/module-accounts.ts";
export const MAX_UNBONDINGS_PER_BLOCK = 300;
