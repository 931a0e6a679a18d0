import { Deposit, Params, Proposal, Vote } from "cosmjs-types/cosmos/gov/v1/gov";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { KeySet, keys, Map, paramsItem, Sequence, values } from "../../chain/store/collections.ts";
import { defaultGovParams } from "./params.ts";

/** The data model of x/gov. Times are seconds and ids 20 padded digits, so the queues sort by them. */
export const govStore = {
  params: paramsItem("gov/params", Params, defaultGovParams),
  /** the next proposal id (gov's own counter, from the genesis' starting_proposal_id) */
  nextId: new Sequence("gov/next_id", 1n),
  proposals: new Map("gov/proposals/", keys.uint, values.proto(Proposal)),
  /** by (proposal id, depositor) */
  deposits: new Map("gov/deposits/", keys.pair(keys.uint, keys.string), values.proto(Deposit)),
  /** by (proposal id, voter) */
  votes: new Map("gov/votes/", keys.pair(keys.uint, keys.string), values.proto(Vote)),
  /** (deposit end time, proposal id) of proposals in their deposit period */
  inactiveQueue: new KeySet("gov/inactive/", keys.pair(keys.uint, keys.uint)),
  /** (voting end time, proposal id) of proposals in their voting period */
  activeQueue: new KeySet("gov/active/", keys.pair(keys.uint, keys.uint)),
};
const st = govStore;
/** A queue's range of entries due at `now` (time at or before it). */
export const dueBy = (now: bigint) => ({ before: keys.uint.encode(now + 1n) });
const under = (id: bigint) => ({ prefix: `${keys.uint.encode(id)}/` });

export const govKeeper = {
  getParams(state: KVReader): Params {
    return st.params.get(state);
  },
  setParams(store: KVStore, p: Params): void {
    st.params.set(store, p);
  },
  nextProposalId(store: KVStore): bigint {
    return st.nextId.next(store);
  },
  getProposal(state: KVReader, id: bigint): Proposal | undefined {
    return st.proposals.get(state, id);
  },
  setProposal(store: KVStore, p: Proposal): void {
    st.proposals.set(store, p.id, p);
  },
  allProposals(state: KVReader): Proposal[] {
    return st.proposals.values(state);
  },
  getDeposit(state: KVReader, id: bigint, who: string): Deposit | undefined {
    return st.deposits.get(state, [id, who]);
  },
  setDeposit(store: KVStore, d: Deposit): void {
    st.deposits.set(store, [d.proposalId, d.depositor], d);
  },
  deposits(state: KVReader, id: bigint): Deposit[] {
    return st.deposits.values(state, under(id));
  },
  getVote(state: KVReader, id: bigint, who: string): Vote | undefined {
    return st.votes.get(state, [id, who]);
  },
  setVote(store: KVStore, v: Vote): void {
    st.votes.set(store, [v.proposalId, v.voter], v);
  },
  votes(state: KVReader, id: bigint): Vote[] {
    return st.votes.values(state, under(id));
  },
};
