import { rest } from "../api.ts";
import { Empty, Show, proposalHref } from "../components.tsx";
import { enumLabel, formatTime } from "../format.ts";
import { useLoad } from "../hooks.ts";
import { TallyView } from "./tally.tsx";

/** Proposals, newest first; a proposal in its voting period shows its live tally. */
async function loadProposals(signal: AbortSignal) {
  const r = await rest("/cosmos/gov/v1/proposals?pagination.reverse=true&pagination.limit=100", { signal });
  const proposals: any[] = r.proposals ?? [];
  return Promise.all(proposals.map(async (p) => {
    if (p.status !== "PROPOSAL_STATUS_VOTING_PERIOD") return { ...p, tally: p.final_tally_result };
    const t = await rest(`/cosmos/gov/v1/proposals/${p.id}/tally`, { signal }).catch(() => undefined);
    return { ...p, tally: t?.tally ?? p.final_tally_result };
  }));
}

export function ProposalsPage() {
  const list = useLoad("proposals", loadProposals, 10_000);
  return (
    <>
      <h2>Governance</h2>
      <Show q={list} what="proposals">
        {(proposals) => proposals.length === 0 ? <Empty>No proposal yet.</Empty> : (
          <table class="striped" data-testid="proposals">
            <thead><tr><th>Id</th><th>Title</th><th>Status</th><th>Voting ends</th><th>Tally</th></tr></thead>
            <tbody>
              {proposals.map((p) => (
                <tr key={p.id}>
                  <td>{p.id}</td>
                  <td><a href={proposalHref(p.id)}>{p.title || `proposal ${p.id}`}</a></td>
                  <td>{enumLabel(p.status, "PROPOSAL_STATUS_")}</td>
                  <td>{formatTime(p.voting_end_time ?? p.deposit_end_time)}</td>
                  <td style={{ minWidth: "12em" }}><TallyView tally={p.tally} compact /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Show>
    </>
  );
}
