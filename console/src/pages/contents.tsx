import { useState } from "preact/hooks";
import { query, rest } from "../api.ts";
import { Empty, Mono, Show, nodeHref, ownerHref } from "../components.tsx";
import { formatBytes, shortAddress } from "../format.ts";
import { useLoad } from "../hooks.ts";

/** Published content (aro/market): its size, replication, regions and the nodes holding it. */
export function ContentsPage() {
  const [owner, setOwner] = useState("");
  const list = useLoad(`contents:${owner}`, (s) => rest(`/aro/market/v1/contents${query({ owner, "pagination.limit": 200 })}`, { signal: s }), 15_000);
  return (
    <>
      <h2>Content</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>Owner<input placeholder="aro1…" value={owner} onChange={(e) => setOwner((e.target as HTMLInputElement).value.trim())} /></label>
      </form>
      <Show q={list} what="content">{(r) => <ContentsTable contents={r.contents ?? []} />}</Show>
    </>
  );
}

export function ContentsTable({ contents }: { contents: any[] }) {
  if (contents.length === 0) return <Empty>No content.</Empty>;
  return (
    <figure>
      <table class="striped" data-testid="contents">
        <thead>
          <tr><th>Id</th><th>Owner</th><th class="num">Size</th><th class="num">Chunks</th><th>Replicas</th><th>Regions</th><th>Root</th><th>Expires at</th></tr>
        </thead>
        <tbody>
          {contents.map((c) => (
            <tr key={c.id}>
              <td>{c.id}</td>
              <td><a href={ownerHref(c.owner)} title={c.owner}>{shortAddress(c.owner)}</a></td>
              <td class="num">{formatBytes(c.size)}</td>
              <td class="num">{c.chunk_count}</td>
              <td>
                {(c.replicas ?? []).map((n: string, i: number) => <span key={n}>{i > 0 && ", "}<a href={nodeHref(n)}>#{n}</a></span>)}
                {" "}<small>({(c.acks ?? []).length} of {c.replication} acknowledged)</small>
              </td>
              <td>{(c.regions ?? []).join(", ") || "any"}</td>
              <td><Mono>{shortAddress(c.root)}</Mono></td>
              <td>{c.expired ? "expired" : `height ${c.expires_height}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
