import { Params } from "cosmjs-types/cosmos/gov/v1/gov";
import { BASE_DENOM, parseAmount, validateDenom } from "../../chain/coins.ts";
import { decFromString, decToString, DEC_ONE } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";
import { parseDurationSeconds } from "../../chain/duration.ts";

const dec = (s: string) => decToString(decFromString(s));

export const defaultGovParams: Params = Params.fromPartial({
  minDeposit: [{ denom: BASE_DENOM, amount: "10000000" }],
  maxDepositPeriod: { seconds: 172_800n, nanos: 0 },
  votingPeriod: { seconds: 172_800n, nanos: 0 },
  quorum: dec("0.334"),
  threshold: dec("0.5"),
  vetoThreshold: dec("0.334"),
  minInitialDepositRatio: dec("0"),
  proposalCancelRatio: dec("0.5"),
  proposalCancelDest: "",
  expeditedVotingPeriod: { seconds: 86_400n, nanos: 0 },
  expeditedThreshold: dec("0.667"),
  expeditedMinDeposit: [{ denom: BASE_DENOM, amount: "50000000" }],
  burnVoteQuorum: false,
  burnProposalDepositPrevote: false,
  burnVoteVeto: true,
  minDepositRatio: dec("0.01"),
});

export function validateGovParams(p: Params): void {
  if (p.minDeposit.length === 0) throw sdkErrors.invalidRequest.wrap("min_deposit must not be empty");
  for (const c of p.minDeposit) (validateDenom(c.denom), parseAmount(c.amount));
  if (!p.maxDepositPeriod || p.maxDepositPeriod.seconds <= 0n) throw sdkErrors.invalidRequest.wrap("max_deposit_period must be positive");
  if (!p.votingPeriod || p.votingPeriod.seconds <= 0n) throw sdkErrors.invalidRequest.wrap("voting_period must be positive");
  for (const [name, v] of [["quorum", p.quorum], ["threshold", p.threshold], ["veto_threshold", p.vetoThreshold], ["min_initial_deposit_ratio", p.minInitialDepositRatio]] as const) {
    const d = decFromString(v, name);
    if (d < 0n || d > DEC_ONE) throw sdkErrors.invalidRequest.wrap(`${name} must be between 0 and 1`);
  }
  if (decFromString(p.threshold) === 0n) throw sdkErrors.invalidRequest.wrap("threshold must be positive");
}

const secs = (s: unknown, d: bigint) => (s === undefined ? d : parseDurationSeconds(s));

export function govParamsFromJson(j: Record<string, any> | undefined): Params {
  if (!j) return defaultGovParams;
  const d = defaultGovParams;
  const p = Params.fromPartial({
    ...d,
    minDeposit: j.min_deposit ?? d.minDeposit,
    maxDepositPeriod: { seconds: secs(j.max_deposit_period, d.maxDepositPeriod!.seconds), nanos: 0 },
    votingPeriod: { seconds: secs(j.voting_period, d.votingPeriod!.seconds), nanos: 0 },
    quorum: j.quorum ? dec(j.quorum) : d.quorum,
    threshold: j.threshold ? dec(j.threshold) : d.threshold,
    vetoThreshold: j.veto_threshold ? dec(j.veto_threshold) : d.vetoThreshold,
    minInitialDepositRatio: j.min_initial_deposit_ratio ? dec(j.min_initial_deposit_ratio) : d.minInitialDepositRatio,
    burnVoteQuorum: j.burn_vote_quorum ?? d.burnVoteQuorum,
    burnProposalDepositPrevote: j.burn_proposal_deposit_prevote ?? d.burnProposalDepositPrevote,
    burnVoteVeto: j.burn_vote_veto ?? d.burnVoteVeto,
  });
  validateGovParams(p);
  return p;
}

export function govParamsToJson(p: Params): Record<string, unknown> {
  return {
    min_deposit: p.minDeposit, max_deposit_period: `${p.maxDepositPeriod?.seconds ?? 0n}s`, voting_period: `${p.votingPeriod?.seconds ?? 0n}s`,
    quorum: p.quorum, threshold: p.threshold, veto_threshold: p.vetoThreshold, min_initial_deposit_ratio: p.minInitialDepositRatio,
    burn_vote_quorum: p.burnVoteQuorum, burn_proposal_deposit_prevote: p.burnProposalDepositPrevote, burn_vote_veto: p.burnVoteVeto,
  };
}
