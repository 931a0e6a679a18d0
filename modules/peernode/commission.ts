import type { Node, Params } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { decFromString, decToString } from "../../chain/dec.ts";
import { peernodeErrors } from "./errors.ts";

/**
 * Commission changes as the SDK limits validators': each node has a ceiling and a most it
 * may move per change, both fixed at registration (within the params' max_commission and
 * max_commission_change); a change is announced at most once per epoch and is in force from
 * the next epoch on, so backers always see a change an epoch before it applies.
 */

/** The commission in force during `epoch` (18 decimals, as text). */
export function effectiveCommission(n: Node, epoch: bigint): string {
  return n.pendingCommission && epoch >= n.pendingCommissionEpoch ? n.pendingCommission : n.commission;
}

const rateOr = (own: string, fallback: string) => decFromString(own || fallback);

/** The node's ceiling and per-change limit (nodes registered before these existed: the params'). */
export function commissionLimits(n: Node, p: Params): { maxRate: bigint; maxChange: bigint } {
  const maxChange = rateOr(n.maxCommissionChangeRate, p.maxCommissionChange);
  const governed = decFromString(p.maxCommissionChange);
  return { maxRate: rateOr(n.maxCommissionRate, p.maxCommission), maxChange: maxChange < governed ? maxChange : governed };
}

/** Registration: the node's own ceiling and change rate, each at most what the params allow. */
export function registrationLimits(maxRateText: string, maxChangeText: string, commission: bigint, p: Params): { maxCommissionRate: string; maxCommissionChangeRate: string } {
  const parse = (text: string, fallback: string, name: string) => {
    try {
      return decFromString(text || fallback, name);
    } catch (err) {
      throw peernodeErrors.invalidDescription.wrap((err as Error).message);
    }
  };
  const maxRate = parse(maxRateText, p.maxCommission, "max_commission_rate");
  const maxChange = parse(maxChangeText, p.maxCommissionChange, "max_commission_change_rate");
  if (maxRate > decFromString(p.maxCommission)) throw peernodeErrors.commissionTooHigh.wrap(`max_commission_rate ${decToString(maxRate)} > ${p.maxCommission}`);
  if (maxChange === 0n || maxChange > decFromString(p.maxCommissionChange)) {
    throw peernodeErrors.commissionChangeTooLarge.wrap(`max_commission_change_rate must be above 0 and at most ${p.maxCommissionChange}`);
  }
  if (commission > maxRate) throw peernodeErrors.commissionTooHigh.wrap(`commission ${decToString(commission)} > max_commission_rate ${decToString(maxRate)}`);
  return { maxCommissionRate: decToString(maxRate), maxCommissionChangeRate: decToString(maxChange) };
}

/**
 * Announces `next` in `epoch`: refused if a change was already announced this epoch
 * (peernode/15), if it moves further than the node's change rate (peernode/16) or above its
 * ceiling (peernode/11). Returns the node with the change pending from epoch + 1.
 */
export function announceCommission(n: Node, next: bigint, epoch: bigint, p: Params): Node {
  if (n.pendingCommission && n.pendingCommissionEpoch === epoch + 1n) {
    throw peernodeErrors.commissionChangedThisEpoch.wrap(`node ${n.id} announced ${n.pendingCommission} in epoch ${epoch}, in force from ${epoch + 1n}; the next change may be announced in epoch ${epoch + 1n}`);
  }
  const current = effectiveCommission(n, epoch);
  const { maxRate, maxChange } = commissionLimits(n, p);
  if (next > maxRate) throw peernodeErrors.commissionTooHigh.wrap(`${decToString(next)} > max_commission_rate ${decToString(maxRate)}`);
  const cur = decFromString(current);
  const delta = next > cur ? next - cur : cur - next;
  if (delta > maxChange) throw peernodeErrors.commissionChangeTooLarge.wrap(`from ${current} to ${decToString(next)} moves ${decToString(delta)}, at most ${decToString(maxChange)} per epoch`);
  return { ...n, commission: current, pendingCommission: decToString(next), pendingCommissionEpoch: epoch + 1n };
}
