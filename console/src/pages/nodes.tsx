import { useState } from "preact/hooks";
import { query, rest } from "../api.ts";
import { Empty, Show, nodeHref, ownerHref } from "../components.tsx";
import { explain, isSettled, mapLimited, recentEpochs } from "../epochs.ts";
import { enumLabel, formatAmount, formatPercent, formatPermille, shortAddress } from "../format.ts";
import { useLoad } from "../hooks.ts";

const SERVICES = ["SERVICE_CDN", "SERVICE_AIDN", "SERVICE_HVM"];
const STATUSES = ["NODE_STATUS_ACTIVE", "NODE_STATUS_UNDERBONDED", "NODE_STATUS_DEREGISTERED"];
const PAGE = 100;

interface Filters {
  region: string;
  service: string;
  status: string;
  owner: string;
}

/** Nodes matching the filters, a page at a time (the chain filters; the page only shows). */
async function loadNodes(f: Filters, pages: number, signal: AbortSignal) {
  const nodes: any[] = [];
  let key: string | undefined;
  for (let i = 0; i < pages; i++) {
    const r = await rest(`/aro/peernode/v1/nodes${query({ ...f, "pagination.limit": PAGE, "pagination.key": key })}`, { signal });
    nodes.push(...(r.nodes ?? []));
    key = r.pagination?.next_key ?? undefined;
    if (!key) break;
  }
  return { nodes, more: Boolean(key) };
}

/** Each listed node's uptime in the newest settled epoch (from settlement's records). */
async function loadUptimes(ids: string[], signal: AbortSignal) {
  const settled = (await recentEpochs(signal, 4)).past.find(isSettled);
  if (!settled) return { epoch: undefined, uptime: new Map<string, number>() };
  const records = await mapLimited(ids, 6, (id) => explain(id, settled.epoch, signal));
  return { epoch: settled.epoch, uptime: new Map(ids.flatMap((id, i) => (records[i] ? [[id, records[i].record.uptime_permille as number]] : []))) };
}

export function NodesPage() {
  const [f, setF] = useState<Filters>({ region: "", service: "", status: "", owner: "" });
  const [pages, setPages] = useState(1);
  const params = useLoad("peernode-params", (s) => rest("/aro/peernode/v1/params", { signal: s }));
  const list = useLoad(`nodes:${JSON.stringify(f)}:${pages}`, (s) => loadNodes(f, pages, s), 15_000);
  const ids = list.data?.nodes.map((n: any) => String(n.id)) ?? [];
  const uptimes = useLoad(list.data ? `uptime:${ids.join(",")}` : null, (s) => loadUptimes(ids, s));
  const set = (k: keyof Filters) => (e: Event) => {
    setPages(1);
    setF({ ...f, [k]: (e.target as HTMLInputElement).value.trim() });
  };
  const regions: string[] = params.data?.params?.regions ?? [];
  return (
    <>
      <h2>PeerNodes</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>Region
          <select value={f.region} onChange={set("region")} data-testid="filter-region">
            <option value="">any</option>
            {regions.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <label>Service
          <select value={f.service} onChange={set("service")} data-testid="filter-service">
            <option value="">any</option>
            {SERVICES.map((s) => <option key={s} value={s}>{enumLabel(s, "SERVICE_").toUpperCase()}</option>)}
          </select>
        </label>
        <label>Status
          <select value={f.status} onChange={set("status")}>
            <option value="">any</option>
            {STATUSES.map((s) => <option key={s} value={s}>{enumLabel(s, "NODE_STATUS_")}</option>)}
          </select>
        </label>
        <label>Owner
          <input placeholder="aro1…" value={f.owner} onChange={set("owner")} />
        </label>
      </form>
      <Show q={list} what="PeerNodes">
        {({ nodes, more }) => nodes.length === 0 ? <Empty>No PeerNode matches.</Empty> : (
          <>
            <Summary nodes={nodes} />
            <figure>
              <table class="striped" data-testid="nodes">
                <thead>
                  <tr>
                    <th>Node</th><th>Region</th><th>Services</th><th>Status</th><th class="num">Bond</th><th class="num">Commission</th>
                    <th class="num" title={uptimes.data?.epoch !== undefined ? `epoch ${uptimes.data.epoch}` : undefined}>Uptime</th><th>NAT</th><th>Owner</th>
                  </tr>
                </thead>
                <tbody>
                  {nodes.map((n: any) => (
                    <tr key={n.id}>
                      <td><a href={nodeHref(n.id)}>#{n.id}</a></td>
                      <td>{n.region}</td>
                      <td>{(n.services ?? []).map((s: string) => enumLabel(s, "SERVICE_").toUpperCase()).join(", ")}</td>
                      <td>{enumLabel(n.status, "NODE_STATUS_")}</td>
                      <td class="num">{formatAmount(n.guarantee_tokens)}</td>
                      <td class="num">{formatPercent(n.commission)}</td>
                      <td class="num">{uptimes.data ? formatPermille(uptimes.data.uptime.get(String(n.id))) : "…"}</td>
                      <td>{enumLabel(n.nat_type, "NAT_TYPE_")}</td>
                      <td><a href={ownerHref(n.owner)} title={n.owner}>{shortAddress(n.owner)}</a></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </figure>
            {more && <button class="outline" onClick={() => setPages(pages + 1)}>Load more</button>}
            {uptimes.data && <small>Uptime: what the node's watchers measured in epoch {uptimes.data.epoch ?? "—"}, the newest settled one (— : no record).</small>}
          </>
        )}
      </Show>
    </>
  );
}

function Summary({ nodes }: { nodes: any[] }) {
  const count = (key: (n: any) => string[]) => {
    const m = new Map<string, number>();
    for (const n of nodes) for (const k of key(n)) m.set(k, (m.get(k) ?? 0) + 1);
    return [...m].sort((a, b) => b[1] - a[1]);
  };
  const byRegion = count((n) => [n.region]);
  const byService = count((n) => (n.services ?? []).map((s: string) => enumLabel(s, "SERVICE_").toUpperCase()));
  return (
    <section class="stats">
      <article><small>Nodes shown</small><strong>{nodes.length}</strong></article>
      <article><small>By region</small>{byRegion.map(([r, c]) => <div key={r}>{r}: <strong>{c}</strong></div>)}</article>
      <article><small>By service</small>{byService.map(([s, c]) => <div key={s}>{s}: <strong>{c}</strong></div>)}</article>
      <article><small>Bonded in total</small><strong>{formatAmount(nodes.reduce((t, n) => t + BigInt(n.guarantee_tokens || "0"), 0n).toString())}</strong></article>
    </section>
  );
}
