import { useState } from "preact/hooks";
import { isNotFound, rest } from "../api.ts";
import { Empty, ErrorNote, Loading, Mono, Show, nodeHref, ownerHref } from "../components.tsx";
import { mapLimited } from "../epochs.ts";
import { formatAmount, shortAddress } from "../format.ts";
import { useLoad } from "../hooks.ts";

/** The jobs assigned to the first nodes (gpow lists jobs by node), newest first. */
async function loadJobs(signal: AbortSignal) {
  const nodes = (await rest("/aro/peernode/v1/nodes?pagination.limit=100", { signal })).nodes ?? [];
  const perNode = await mapLimited(nodes, 6, async (n: any) => (await rest(`/aro/gpow/v1/nodes/${n.id}/jobs`, { signal })).jobs ?? []);
  const byId = new Map<string, any>();
  for (const j of perNode.flat()) byId.set(String(j.id), j);
  return [...byId.values()].sort((a, b) => Number(b.id) - Number(a.id));
}

export function JobsPage({ jobId }: { jobId?: string }) {
  const [lookup, setLookup] = useState(jobId ?? "");
  const valid = /^\d{1,19}$/.test(lookup);
  const one = useLoad(valid ? `job:${lookup}` : null, (s) => rest(`/aro/gpow/v1/jobs/${lookup}`, { signal: s }));
  const all = useLoad("jobs", loadJobs, 15_000);
  return (
    <>
      <h2>Jobs</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>Find a job by id<input inputMode="numeric" placeholder="job id" value={lookup} onChange={(e) => setLookup((e.target as HTMLInputElement).value.trim())} /></label>
      </form>
      {lookup && !valid && <ErrorNote error={new Error(`“${lookup}” is not a job id (a number)`)} />}
      {valid && (one.error ? (isNotFound(one.error) ? <Empty>No job {lookup}.</Empty> : <ErrorNote error={one.error} retry={one.reload} />)
        : one.data ? <JobsTable jobs={[one.data.job]} /> : <Loading what={`job ${lookup}`} />)}
      <h3>Jobs of the PeerNodes</h3>
      <Show q={all} what="jobs">{(jobs) => <JobsTable jobs={jobs} />}</Show>
    </>
  );
}

export function JobsTable({ jobs }: { jobs: any[] }) {
  if (jobs.length === 0) return <Empty>No jobs.</Empty>;
  return (
    <figure>
      <table class="striped" data-testid="jobs">
        <thead>
          <tr><th>Id</th><th>Owner</th><th>State</th><th>Executions</th><th class="num">Compute units</th><th class="num">Paid</th><th>Epoch</th><th>Wasm</th></tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id}>
              <td>{j.id}</td>
              <td><a href={ownerHref(j.owner)} title={j.owner}>{shortAddress(j.owner)}</a></td>
              <td>{j.output_cid ? <>done: <Mono>{shortAddress(j.output_cid)}</Mono></> : `round ${j.round}, commit by ${j.commit_deadline}, reveal by ${j.reveal_deadline}`}</td>
              <td>
                {(j.executions ?? []).map((x: any, i: number) => <span key={x.node_id}>{i > 0 && ", "}<a href={nodeHref(x.node_id)}>#{x.node_id}</a>{x.revealed ? " ✓" : ""}</span>)}
                {" "}<small>({j.redundancy} wanted)</small>
              </td>
              <td class="num">{j.compute_units}</td>
              <td class="num">{formatAmount(j.paid)} <small>of {formatAmount(j.max_payment)}</small></td>
              <td>{j.epoch}</td>
              <td><Mono>{shortAddress(j.wasm_cid)}</Mono></td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
