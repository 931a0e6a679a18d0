import { ProposalStatus } from "cosmjs-types/cosmos/gov/v1/gov";
import { toAppError } from "../../chain/errors.ts";
import { EventManager } from "../../chain/events.ts";
import type { Context, MsgRoute } from "../../chain/module.ts";
import { CacheKV } from "../../chain/store/cache.ts";
import { dueBy, govKeeper, govStore } from "./keeper.ts";
import { decodeProposalMessages } from "./msgs/submit-proposal.ts";
import { settleDeposits } from "./proposals.ts";
import { tally } from "./tally.ts";

/** Proposals handled per block at most (the rest wait a block), so block time stays flat. */
const MAX_PROPOSALS_PER_BLOCK = 100;

/**
 * End block: proposals whose deposit period ended without reaching min_deposit are
 * dropped (deposits refunded or burned by params); proposals whose voting ended are
 * tallied, and a passing one runs its messages with the gov account as signer, all
 * or nothing.
 */
export function govEndBlock(ctx: Context, routes: ReadonlyMap<string, MsgRoute>): void {
  const now = ctx.block.timeSeconds;
  const params = govKeeper.getParams(ctx.store);
  let budget = MAX_PROPOSALS_PER_BLOCK;
  for (const key of govStore.inactiveQueue.keys(ctx.store, dueBy(now))) {
    if (budget-- <= 0) return;
    govStore.inactiveQueue.remove(ctx.store, key);
    const [, id] = key;
    const p = govKeeper.getProposal(ctx.store, id);
    if (!p || p.status !== ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD) continue;
    settleDeposits(ctx, id, params.burnProposalDepositPrevote);
    govStore.proposals.delete(ctx.store, id);
    ctx.events.emit("inactive_proposal", { proposal_id: id.toString(), proposal_result: "proposal_dropped" });
  }
  for (const key of govStore.activeQueue.keys(ctx.store, dueBy(now))) {
    if (budget-- <= 0) return;
    govStore.activeQueue.remove(ctx.store, key);
    const [, id] = key;
    const p = govKeeper.getProposal(ctx.store, id);
    if (!p || p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) continue;
    const t = tally(ctx.store, p);
    settleDeposits(ctx, id, t.burnDeposits);
    let status = t.passes ? ProposalStatus.PROPOSAL_STATUS_PASSED : ProposalStatus.PROPOSAL_STATUS_REJECTED;
    let failedReason = t.passes ? "" : t.reason;
    if (t.passes) {
      const branch = new CacheKV(ctx.store);
      const events = new EventManager();
      try {
        for (const m of decodeProposalMessages(routes, p.messages)) m.route.handle({ ...ctx, store: branch, events }, m.msg);
        branch.flush();
        ctx.events.appendFrom(events);
      } catch (err) {
        status = ProposalStatus.PROPOSAL_STATUS_FAILED;
        failedReason = toAppError(err).message;
      }
    }
    for (const v of govKeeper.votes(ctx.store, id)) govStore.votes.delete(ctx.store, [id, v.voter]);
    govKeeper.setProposal(ctx.store, { ...p, status, finalTallyResult: t.result, failedReason });
    ctx.events.emit("active_proposal", { proposal_id: id.toString(), proposal_result: ProposalStatus[status].replace("PROPOSAL_STATUS_", "proposal_").toLowerCase(), reason: failedReason });
  }
}
