import { ClaimStatus, GenesisState, JobStatus } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { sdkErrors } from "../../chain/errors.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { changeLoad } from "./routing.ts";
import { gpowKeeper as k } from "./keeper.ts";
import { defaultGpowParams, validateGpowParams } from "./params.ts";

export const defaultGpowGenesis = (): unknown => GenesisState.toJSON({ params: defaultGpowParams, claims: [], jobs: [], nextJobId: 1n, grantUsages: [] });

export function initGpowGenesis(ctx: Context, raw: unknown): void {
  let g: GenesisState;
  try {
    g = GenesisState.fromJSON(raw ?? {});
  } catch (err) {
    throw sdkErrors.invalidRequest.wrap(`gpow genesis: ${(err as Error).message}`);
  }
  const params = g.params ?? defaultGpowParams;
  validateGpowParams(params);
  k.setParams(ctx.store, params);
  for (const c of g.claims) k.setClaim(ctx.store, c);
  for (const j of g.jobs) {
    k.setJob(ctx.store, j);
    if (j.status === JobStatus.JOB_STATUS_COMMIT) {
      k.addJobDeadline(ctx.store, j.revealDeadline, j.id);
      changeLoad(ctx.store, j.executions.map((e) => e.nodeId), j.limits!, 1n);
    }
  }
  k.jobIds.set(ctx.store, g.nextJobId > 0n ? g.nextJobId : 1n);
  for (const u of g.grantUsages) {
    if (!/^[0-9a-f]{64}$/.test(u.grantId) || u.chargedBytes > u.capBytes) throw sdkErrors.invalidRequest.wrap(`gpow genesis: grant usage ${JSON.stringify(u.grantId.slice(0, 80))} is malformed or charged above its cap`);
    k.setGrantUsage(ctx.store, u);
  }
  // claims already resolved stay so; resolution resumes from the oldest unresolved epoch
  const open = g.claims.filter((c) => c.status === ClaimStatus.CLAIM_STATUS_PENDING || c.status === ClaimStatus.CLAIM_STATUS_CHALLENGED).map((c) => c.epoch);
  const last = g.claims.reduce((m, c) => (c.epoch + 1n > m ? c.epoch + 1n : m), 0n);
  k.resolveEpoch.set(ctx.store, open.length ? open.reduce((a, b) => (a < b ? a : b)) : last);
}

export function exportGpowGenesis(state: KVReader): unknown {
  return GenesisState.toJSON({ params: k.getParams(state), claims: k.allClaims(state), jobs: k.allJobs(state), nextJobId: k.jobIds.peek(state), grantUsages: k.allGrantUsages(state) });
}
