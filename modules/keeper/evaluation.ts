import { Reach } from "../../proto/gen/aro/keeper/v1/keeper.ts";
import { decFromString } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { median } from "./committee.ts";
import { keeperKeeper as k } from "./keeper.ts";

/**
 * A node's uptime for an epoch is the median of its committee's reports. Each keeper
 * whose report strays more than max_deviation from that median gets a strike (at
 * max_strikes: slashed and jailed); one that reported the node up while the node's own
 * proofs show it absent is slashed at once. Returns the medians, the report count and the
 * majority's reachability.
 */
export interface Evaluation {
  uptimePermille: number;
  reports: number;
  /** the committee's median latency (ms) */
  latencyMs: number;
  /** the committee's median share of probed chunks that verified (permille; 1000 when none was probed) */
  chunkPermille: number;
  /** the committee's majority on how the node can be reached (undefined: no report said) */
  direct?: boolean;
}

/**
 * Measured reachability: of the reports that say how the keeper reached the node, more
 * than half reached it directly → direct; otherwise (relayed, unreachable, or a tie) not.
 * Undefined when no report says (keepers that predate the field).
 */
export function majorityDirect(reaches: readonly Reach[]): boolean | undefined {
  const said = reaches.filter((r) => r === Reach.REACH_DIRECT || r === Reach.REACH_RELAYED || r === Reach.REACH_UNREACHABLE);
  if (said.length === 0) return undefined;
  return said.filter((r) => r === Reach.REACH_DIRECT).length * 2 > said.length;
}

export function evaluateNode(ctx: Context, epoch: bigint, node: bigint, absentByProofs: boolean): Evaluation | undefined {
  const reports = k.reportsFor(ctx.store, epoch, node);
  if (reports.length === 0) return undefined;
  const params = k.getParams(ctx.store);
  const mid = median(reports.map((r) => r.report.uptimePermille));
  for (const { keeper, report } of reports) {
    const current = k.get(ctx.store, keeper);
    if (!current || current.jailed) continue;
    if (absentByProofs && report.uptimePermille >= params.absentUptimePermille) {
      k.slash(ctx, keeper, decFromString(params.slashFraction), `attested ${report.uptimePermille}‰ uptime for node ${node} whose proofs show it absent in epoch ${epoch}`);
      continue;
    }
    const deviation = Math.abs(report.uptimePermille - mid);
    if (deviation <= params.maxDeviationPermille) continue;
    const strikes = current.strikes + 1;
    ctx.events.emit("keeper_strike", { keeper, node_id: node.toString(), epoch: epoch.toString(), reported: report.uptimePermille.toString(), median: mid.toString(), strikes: strikes.toString() });
    if (strikes >= params.maxStrikes) k.slash(ctx, keeper, decFromString(params.slashFraction), `reports strayed from the committee median ${strikes} times`);
    else k.set(ctx.store, { ...current, strikes });
  }
  const chunks = reports.map(({ report: r }) => (r.chunksPassed + r.chunksFailed === 0 ? 1000 : Math.floor((r.chunksPassed * 1000) / (r.chunksPassed + r.chunksFailed))));
  return { uptimePermille: mid, reports: reports.length, latencyMs: median(reports.map((r) => r.report.latencyMs)), chunkPermille: median(chunks), direct: majorityDirect(reports.map((r) => r.report.reach)) };
}
