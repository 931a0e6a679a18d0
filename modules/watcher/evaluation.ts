import { Reach, type NodeReport } from "../../proto/gen/aro/watcher/v1/watcher.ts";
import { decFromString } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { median } from "./committee.ts";
import { watcherKeeper as k } from "./keeper.ts";

/**
 * A node's uptime for an epoch is the median of its committee's reports. Each watcher
 * whose report strays — uptime more than max_deviation from that median, or a reach
 * (direct, relayed, unreachable) other than the committee's majority — gets a strike (one
 * per report at most; at max_strikes: slashed and jailed); one that reported the node up
 * while the node's own proofs show it absent is slashed at once. Returns the medians, the
 * report count, the majority's reachability and what watchers of the node's region measured.
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
  /** reports from watchers registered in the node's declared region that reached it (uptime > 0) */
  regionReports: number;
  /** the median latency (ms) of those reports; undefined when there is none */
  regionLatencyMs?: number;
}

const SAID = [Reach.REACH_DIRECT, Reach.REACH_RELAYED, Reach.REACH_UNREACHABLE];
const reachName = (r: Reach) => (r === Reach.REACH_DIRECT ? "direct" : r === Reach.REACH_RELAYED ? "relayed" : r === Reach.REACH_UNREACHABLE ? "unreachable" : "unspecified");

/**
 * The reach more than half of the reports that say how they reached the node agree on;
 * undefined when no report says or no reach has such a majority (a tie, a three-way split).
 */
export function majorityReach(reaches: readonly Reach[]): Reach | undefined {
  const said = reaches.filter((r) => SAID.includes(r));
  return SAID.find((v) => said.filter((r) => r === v).length * 2 > said.length);
}

/**
 * Why a report strays from its committee, or undefined if it does not: its uptime is more
 * than max_deviation from the median, or it says it reached the node otherwise than the
 * committee's majority did (a report that does not say how is never struck for it).
 * One reason at most: a report is one strike however many ways it strays.
 */
export function strayReason(report: NodeReport, medianUptime: number, majority: Reach | undefined, maxDeviationPermille: number): string | undefined {
  if (Math.abs(report.uptimePermille - medianUptime) > maxDeviationPermille) return `uptime ${report.uptimePermille}‰ is more than ${maxDeviationPermille}‰ from the committee median ${medianUptime}‰`;
  if (majority !== undefined && SAID.includes(report.reach) && report.reach !== majority) return `reach ${reachName(report.reach)} disagrees with the committee majority ${reachName(majority)}`;
  return undefined;
}

/**
 * What watchers registered in the node's declared region measured: how many of their
 * reports reached the node (uptime > 0: a report that never got an answer measured no
 * latency) and the median latency of those.
 */
export function regionLatency(reports: ReadonlyArray<{ watcherRegion: string | undefined; report: NodeReport }>, region: string): { reports: number; latencyMs?: number } {
  const local = reports.filter((r) => r.watcherRegion === region && r.report.uptimePermille > 0).map((r) => r.report.latencyMs);
  return { reports: local.length, latencyMs: local.length ? median(local) : undefined };
}

/**
 * Measured reachability: of the reports that say how the watcher reached the node, more
 * than half reached it directly → direct; otherwise (relayed, unreachable, or a tie) not.
 * Undefined when no report says (watchers that predate the field).
 */
export function majorityDirect(reaches: readonly Reach[]): boolean | undefined {
  const said = reaches.filter((r) => r === Reach.REACH_DIRECT || r === Reach.REACH_RELAYED || r === Reach.REACH_UNREACHABLE);
  if (said.length === 0) return undefined;
  return said.filter((r) => r === Reach.REACH_DIRECT).length * 2 > said.length;
}

export function evaluateNode(ctx: Context, epoch: bigint, node: bigint, absentByProofs: boolean, region = ""): Evaluation | undefined {
  const reports = k.reportsFor(ctx.store, epoch, node);
  if (reports.length === 0) return undefined;
  const params = k.getParams(ctx.store);
  const mid = median(reports.map((r) => r.report.uptimePermille));
  const majority = majorityReach(reports.map((r) => r.report.reach));
  const watcherRegions = new Map<string, string | undefined>();
  for (const { watcher, report } of reports) {
    const current = k.get(ctx.store, watcher);
    watcherRegions.set(watcher, current?.region);
    if (!current || current.jailed) continue;
    if (absentByProofs && report.uptimePermille >= params.absentUptimePermille) {
      k.slash(ctx, watcher, decFromString(params.slashFraction), `attested ${report.uptimePermille}‰ uptime for node ${node} whose proofs show it absent in epoch ${epoch}`);
      continue;
    }
    const reason = strayReason(report, mid, majority, params.maxDeviationPermille);
    if (reason === undefined) continue;
    const strikes = current.strikes + 1;
    ctx.events.emit("watcher_strike", {
      watcher, node_id: node.toString(), epoch: epoch.toString(), reported: report.uptimePermille.toString(), median: mid.toString(),
      reach: reachName(report.reach), majority_reach: majority === undefined ? "" : reachName(majority), reason, strikes: strikes.toString(),
    });
    if (strikes >= params.maxStrikes) k.slash(ctx, watcher, decFromString(params.slashFraction), `reports strayed from the committee ${strikes} times`);
    else k.set(ctx.store, { ...current, strikes });
  }
  const chunks = reports.map(({ report: r }) => (r.chunksPassed + r.chunksFailed === 0 ? 1000 : Math.floor((r.chunksPassed * 1000) / (r.chunksPassed + r.chunksFailed))));
  const local = regionLatency(reports.map((r) => ({ watcherRegion: watcherRegions.get(r.watcher), report: r.report })), region);
  return {
    uptimePermille: mid, reports: reports.length, latencyMs: median(reports.map((r) => r.report.latencyMs)), chunkPermille: median(chunks), direct: majorityDirect(reports.map((r) => r.report.reach)),
    regionReports: local.reports, regionLatencyMs: local.latencyMs,
  };
}
