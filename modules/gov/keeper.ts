import { Deposit, Params, Proposal, Vote } from "cosmjs-types/cosmos/gov/v1/gov";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { defaultGovParams } from "./params.ts";

const P = "gov/";
const pad = (n: bigint) => n.toString().padStart(20, "0");
export const govKeys = {
  proposals: P + "proposals/",
  proposal: (id: bigint) => `${P}proposals/${pad(id)}`,
  deposits: (id: bigint) => `${P}deposits/${pad(id)}/`,
  deposit: (id: bigint, who: string) => `${P}deposits/${pad(id)}/${who}`,
  votes: (id: bigint) => `${P}votes/${pad(id)}/`,
  vote: (id: bigint, who: string) => `${P}votes/${pad(id)}/${who}`,
  inactiveQueue: P + "inactive/",
  activeQueue: P + "active/",
  queueEntry: (queue: string, time: bigint, id: bigint) => `${queue}${pad(time)}/${pad(id)}`,
  dueBefore: (queue: string, now: bigint) => queue + pad(now + 1n),
};

export const govKeeper = {
  getParams(state: KVReader): Params {
    const raw = state.get(P + "params");
    return raw ? Params.decode(raw) : defaultGovParams;
  },
  setParams(store: KVStore, p: Params): void {
    store.set(P + "params", Params.encode(p).finish());
  },
  nextProposalId(store: KVStore): bigint {
    const raw = store.get(P + "next_id");
    const id = raw ? BigInt(new TextDecoder().decode(raw)) : 1n;
    store.set(P + "next_id", new TextEncoder().encode((id + 1n).toString()));
    return id;
  },
  getProposal(state: KVReader, id: bigint): Proposal | undefined {
    const raw = state.get(govKeys.proposal(id));
    return raw ? Proposal.decode(raw) : undefined;
  },
  setProposal(store: KVStore, p: Proposal): void {
    store.set(govKeys.proposal(p.id), Proposal.encode(p).finish());
  },
  allProposals(state: KVReader): Proposal[] {
    return state.iterate(govKeys.proposals).map(([, raw]) => Proposal.decode(raw));
  },
  getDeposit(state: KVReader, id: bigint, who: string): Deposit | undefined {
    const raw = state.get(govKeys.deposit(id, who));
    return raw ? Deposit.decode(raw) : undefined;
  },
  setDeposit(store: KVStore, d: Deposit): void {
    store.set(govKeys.deposit(d.proposalId, d.depositor), Deposit.encode(d).finish());
  },
  deposits(state: KVReader, id: bigint): Deposit[] {
    return state.iterate(govKeys.deposits(id)).map(([, raw]) => Deposit.decode(raw));
  },
  getVote(state: KVReader, id: bigint, who: string): Vote | undefined {
    const raw = state.get(govKeys.vote(id, who));
    return raw ? Vote.decode(raw) : undefined;
  },
  setVote(store: KVStore, v: Vote): void {
    store.set(govKeys.vote(v.proposalId, v.voter), Vote.encode(v).finish());
  },
  votes(state: KVReader, id: bigint): Vote[] {
    return state.iterate(govKeys.votes(id)).map(([, raw]) => Vote.decode(raw));
  },
};
