import { ProposalStatus, type Proposal } from "cosmjs-types/cosmos/gov/v1/gov";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { formatCoins, sumAmounts, toAmounts, toWireCoins } from "../../chain/coins.ts";
import type { Context } from "../../chain/module.ts";
import { GOV_MODULE } from "../../chain/module-accounts.ts";
import { govAuthority } from "../../chain/params-route.ts";
import { govErrors } from "./errors.ts";
import { govKeeper, govStore } from "./keeper.ts";
import { bankKeeper, authKeeper } from "./expected.ts";

const covers = (have: readonly Coin[], need: readonly Coin[]) =>
  need.every((n) => BigInt(have.find((h) => h.denom === n.denom)?.amount ?? "0") >= BigInt(n.amount));

/** Adds a deposit; a proposal whose deposits reach min_deposit enters its voting period. */
export function addDeposit(ctx: Context, id: bigint, depositor: string, coins: readonly Coin[]): void {
  const p = govKeeper.getProposal(ctx.store, id);
  if (!p) throw govErrors.unknownProposal.wrap(`proposal ${id} does not exist`);
  if (p.status !== ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) {
    throw govErrors.inactiveProposal.wrap(`proposal ${id} no longer takes deposits`);
  }
  const amounts = toAmounts(coins);
  authKeeper.getOrCreateModuleAccount(ctx.store, GOV_MODULE, ["burner"]);
  bankKeeper.sendFromAccountToModule(ctx, depositor, GOV_MODULE, amounts);
  const prev = govKeeper.getDeposit(ctx.store, id, depositor);
  govKeeper.setDeposit(ctx.store, { proposalId: id, depositor, amount: toWireCoins(sumAmounts([toAmounts(prev?.amount ?? [], { allowEmpty: true }), amounts])) });
  const totalDeposit = toWireCoins(sumAmounts([toAmounts(p.totalDeposit, { allowEmpty: true }), amounts]));
  let next: Proposal = { ...p, totalDeposit };
  const params = govKeeper.getParams(ctx.store);
  if (p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && covers(totalDeposit, params.minDeposit)) {
    govStore.inactiveQueue.remove(ctx.store, [p.depositEndTime!.seconds, id]);
    const end = ctx.block.timeSeconds + params.votingPeriod!.seconds;
    next = { ...next, status: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD, votingStartTime: { seconds: ctx.block.timeSeconds, nanos: 0 }, votingEndTime: { seconds: end, nanos: 0 } };
    govStore.activeQueue.add(ctx.store, [end, id]);
    ctx.events.emit("proposal_deposit", { voting_period_start: id.toString() });
  }
  govKeeper.setProposal(ctx.store, next);
  ctx.events.emit("proposal_deposit", { amount: formatCoins(amounts), proposal_id: id.toString(), depositor });
}

/** Pays deposits back (or burns them) and forgets them. */
export function settleDeposits(ctx: Context, id: bigint, burn: boolean): void {
  for (const d of govKeeper.deposits(ctx.store, id)) {
    const amounts = toAmounts(d.amount, { allowEmpty: true });
    if (amounts.length) {
      if (burn) bankKeeper.burnFromModule(ctx, GOV_MODULE, amounts);
      else bankKeeper.sendCoins(ctx, govAuthority(), d.depositor, amounts);
    }
    govStore.deposits.delete(ctx.store, [id, d.depositor]);
  }
}
