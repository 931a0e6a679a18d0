import type { Proposal, TallyResult } from "cosmjs-types/cosmos/gov/v1/gov";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { toValoper } from "../../chain/address.ts";
import { decFromString, decFromWire, DEC_ONE } from "../../chain/dec.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { govKeeper } from "./keeper.ts";
import { sharesOf, stakingKeeper, tokensOf } from "./expected.ts";

export interface Tally {
  readonly result: TallyResult;
  readonly passes: boolean;
  readonly burnDeposits: boolean;
  readonly reason: string;
}

/**
 * The SDK's tally: stake-weighted by bonded tokens; a delegator who votes overrides
 * its validator's vote for its own stake, others inherit their validator's vote.
 * All amounts are tokens scaled by 10^18.
 */
export function tally(state: KVReader, proposal: Proposal): Tally {
  const params = govKeeper.getParams(state);
  const results = new Map<number, bigint>([[1, 0n], [2, 0n], [3, 0n], [4, 0n]]);
  let total = 0n;
  const validators = new Map(stakingKeeper.allValidators(state).filter((v) => v.status === BondStatus.BOND_STATUS_BONDED)
    .map((v) => [v.operatorAddress, { v, deducted: 0n, options: undefined as undefined | Array<{ option: number; weight: bigint }> }]));
  const add = (power: bigint, options: Array<{ option: number; weight: bigint }>) => {
    for (const o of options) results.set(o.option, results.get(o.option)! + (power * o.weight) / DEC_ONE);
    total += power;
  };
  for (const vote of govKeeper.votes(state, proposal.id)) {
    const options = vote.options.map((o) => ({ option: o.option, weight: decFromString(o.weight) }));
    const own = validators.get(toValoper(vote.voter));
    if (own) own.options = options;
    for (const d of stakingKeeper.delegationsOf(state, vote.voter)) {
      const val = validators.get(d.validatorAddress);
      if (!val || sharesOf(val.v) === 0n) continue;
      const shares = decFromWire(d.shares);
      val.deducted += shares;
      add((shares * tokensOf(val.v) * DEC_ONE) / sharesOf(val.v), options);
    }
  }
  for (const val of validators.values()) {
    if (!val.options || sharesOf(val.v) === 0n) continue;
    add(((sharesOf(val.v) - val.deducted) * tokensOf(val.v) * DEC_ONE) / sharesOf(val.v), val.options);
  }
  const [yes, abstain, no, veto] = [1, 2, 3, 4].map((o) => results.get(o)!);
  const result: TallyResult = { yesCount: (yes / DEC_ONE).toString(), abstainCount: (abstain / DEC_ONE).toString(), noCount: (no / DEC_ONE).toString(), noWithVetoCount: (veto / DEC_ONE).toString() };
  const bonded = [...validators.values()].reduce((s, x) => s + tokensOf(x.v), 0n);
  if (bonded === 0n) return { result, passes: false, burnDeposits: false, reason: "no bonded stake" };
  if (total < decFromString(params.quorum) * bonded) return { result, passes: false, burnDeposits: params.burnVoteQuorum, reason: "quorum not reached" };
  if (total - abstain === 0n) return { result, passes: false, burnDeposits: false, reason: "every vote abstained" };
  if (veto * DEC_ONE > decFromString(params.vetoThreshold) * total) return { result, passes: false, burnDeposits: params.burnVoteVeto, reason: "vetoed" };
  if (yes * DEC_ONE > decFromString(params.threshold) * (total - abstain)) return { result, passes: true, burnDeposits: false, reason: "" };
  return { result, passes: false, burnDeposits: false, reason: "threshold not reached" };
}
