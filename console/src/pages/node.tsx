import { rest } from "../api.ts";
import { Empty, Field, Fields, Mono, Show, ownerHref } from "../components.tsx";
import { explain, mapLimited, recentEpochs } from "../epochs.ts";
import { enumLabel, formatAmount, formatBytes, formatDec, formatPercent, formatPermille } from "../format.ts";
import { useLoad } from "../hooks.ts";
import { ContentsTable } from "./contents.tsx";
import { JobsTable } from "./jobs.tsx";

/** The node's recent epochs, each with settlement's explain of its reward (none: it earned nothing). */
async function loadEpochs(id: string, signal: AbortSignal) {
  const { current, past } = await recentEpochs(signal);
  const rows = await mapLimited(past, 4, async (e) => ({ ...e, explained: await explain(id, e.epoch, signal) }));
  return { current, rows };
}

export function NodePage({ id }: { id: string }) {
  const valid = /^\d{1,19}$/.test(id);
  const node = useLoad(valid ? `node:${id}` : null, (s) => rest(`/aro/peernode/v1/nodes/${id}`, { signal: s }), 15_000);
  const guarantees = useLoad(valid ? `guarantees:${id}` : null, (s) => rest(`/aro/peernode/v1/nodes/${id}/guarantees?pagination.limit=200`, { signal: s }));
  const epochs = useLoad(valid ? `node-epochs:${id}` : null, (s) => loadEpochs(id, s), 30_000);
  const jobs = useLoad(valid ? `node-jobs:${id}` : null, (s) => rest(`/aro/gpow/v1/nodes/${id}/jobs`, { signal: s }));
  const replicas = useLoad(valid ? `node-replicas:${id}` : null, (s) => rest(`/aro/market/v1/nodes/${id}/replicas`, { signal: s }));
  if (!valid) return <div class="notice error" role="alert">“{id}” is not a node id (a number).</div>;
  return (
    <>
      <h2>PeerNode #{id}</h2>
      <Show q={node} what={`node ${id}`}>
        {({ node: n }) => (
          <Fields>
            <Field label="Status">{enumLabel(n.status, "NODE_STATUS_")}</Field>
            <Field label="Region"><span data-testid="node-region">{n.region}</span></Field>
            <Field label="Services">{(n.services ?? []).map((s: string) => enumLabel(s, "SERVICE_").toUpperCase()).join(", ")}</Field>
            <Field label="Owner"><a href={ownerHref(n.owner)}><Mono>{n.owner}</Mono></a></Field>
            <Field label="Operator"><Mono>{n.operator}</Mono></Field>
            <Field label="Peer id"><Mono>{n.peer_id}</Mono></Field>
            <Field label="Endpoints">{(n.endpoints ?? []).join(", ") || "—"}</Field>
            <Field label="Bond (guarantee)">{formatAmount(n.guarantee_tokens)}</Field>
            <Field label="Commission">{formatPercent(n.commission)}{n.pending_commission ? ` (→ ${formatPercent(n.pending_commission)} from epoch ${n.pending_commission_epoch})` : ""}</Field>
            <Field label="NAT">{enumLabel(n.nat_type, "NAT_TYPE_")}</Field>
            <Field label="Resources">
              {n.resources ? `${n.resources.bandwidth_mbps} Mbit/s, ${n.resources.storage_gb} GB storage, ${Number(n.resources.cpu_millicores) / 1000} CPU, ${n.resources.memory_mb} MB memory, ${n.resources.gpus} GPU` : "—"}
            </Field>
            <Field label="Registered at height">{n.registered_height}</Field>
            <Field label="Slashes">{n.slashes}</Field>
            <Field label="Owner's unpaid commission">{formatAmount(n.owner_commission)}</Field>
          </Fields>
        )}
      </Show>
      <h3>Epochs and rewards</h3>
      <Show q={epochs} what="epochs">
        {({ current, rows }) => rows.length === 0 ? <Empty>No past epoch yet (epoch {current} is running).</Empty> : (
          <>
            <p>Epoch {current} is running. A row opens to settlement's explanation of the reward.</p>
            <table class="striped" data-testid="node-epochs">
              <thead><tr><th>Epoch</th><th>Phase</th><th class="num">Uptime</th><th class="num">Score</th><th class="num">Reward</th><th class="num">Commission</th><th class="num">To backers</th></tr></thead>
              <tbody>{rows.map((r) => <EpochRow key={r.epoch} row={r} />)}</tbody>
            </table>
          </>
        )}
      </Show>
      <h3>Guarantees</h3>
      <Show q={guarantees} what="guarantees">
        {({ guarantees: gs }) => (gs ?? []).length === 0 ? <Empty>No guarantee.</Empty> : (
          <table class="striped">
            <thead><tr><th>Backer</th><th class="num">Balance</th></tr></thead>
            <tbody>{gs.map((g: any) => <tr key={g.guarantee?.backer}><td><a href={ownerHref(g.guarantee?.backer)}><Mono>{g.guarantee?.backer}</Mono></a></td><td class="num">{formatAmount(g.balance?.amount, g.balance?.denom)}</td></tr>)}</tbody>
          </table>
        )}
      </Show>
      <h3>Jobs</h3>
      <Show q={jobs} what="jobs">{(j) => <JobsTable jobs={j.jobs ?? []} />}</Show>
      <h3>Replicas (content this node must hold)</h3>
      <Show q={replicas} what="replicas">{(r) => <ContentsTable contents={r.contents ?? []} />}</Show>
    </>
  );
}

function EpochRow({ row }: { row: { epoch: number; phase: string; explained?: any } }) {
  const x = row.explained;
  const r = x?.record;
  const phase = enumLabel(row.phase, "EPOCH_PHASE_");
  if (!r) {
    return <tr><td>{row.epoch}</td><td>{phase}</td><td colSpan={5}><em>no record: the node earned nothing (or the epoch is not scored yet)</em></td></tr>;
  }
  return (
    <>
      <tr>
        <td>{row.epoch}</td><td>{phase}</td><td class="num">{formatPermille(r.uptime_permille)}</td><td class="num">{formatDec(r.score, 2)}</td>
        <td class="num" data-testid="epoch-reward">{formatAmount(r.reward)}</td><td class="num">{formatAmount(r.commission)}</td><td class="num">{formatAmount(r.to_backers)}</td>
      </tr>
      <tr>
        <td colSpan={7}>
          <details>
            <summary>Why: availability {formatAmount(r.availability_reward)} + usage {formatAmount(r.usage_income)}</summary>
            <Fields>
              <Field label="Bond at scoring">{formatAmount(r.bond)} {r.bonded ? "" : "(not bonded: scores 0)"}</Field>
              <Field label="Watchers' reports">{r.reports} (uptime {formatPermille(r.uptime_permille)}, latency {r.latency_ms} ms → ×{formatDec(r.latency_factor)}, chunks {formatPermille(r.chunk_permille)})</Field>
              <Field label="NAT factor">×{formatDec(r.nat_factor)} (declared {formatDec(r.declared_nat_factor)}, measured {formatDec(r.measured_nat_factor) || "—"})</Field>
              <Field label="Region factor">×{formatDec(r.region_factor)} (declared {formatDec(r.declared_region_factor)}, measured {formatDec(r.measured_region_factor)})</Field>
              <Field label="Storage factor">×{formatDec(r.storage_factor)}</Field>
              <Field label="Work">{formatBytes(r.work?.delivered_bytes)} delivered, {formatBytes(r.work?.stored_bytes)}·epochs stored, {r.work?.compute_units ?? 0} compute units</Field>
              <Field label="Epoch pool">{formatAmount(x.settlement?.pool)} (watchers {formatAmount(x.settlement?.watcher_pool)}), total score {formatDec(x.settlement?.total_score, 2)}</Field>
              <Field label="Recomputed reward">{formatAmount(x.recomputed_reward)}</Field>
            </Fields>
            <pre class="formula" data-testid="formula">{x.formula}</pre>
          </details>
        </td>
      </tr>
    </>
  );
}
