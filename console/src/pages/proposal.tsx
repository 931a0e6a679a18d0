import { useState } from "preact/hooks";
import { isNotFound, rest } from "../api.ts";
import { Empty, Field, Fields, Mono, Show } from "../components.tsx";
import { enumLabel, formatCoins, formatPercent, formatTime } from "../format.ts";
import { useLoad } from "../hooks.ts";
import { useWallet } from "../wallet/state.ts";
import { TxButton } from "../wallet/tx-button.tsx";
import type { VoteChoice } from "../wallet/sign.ts";
import { TallyView } from "./tally.tsx";

const CHOICES: Array<[VoteChoice, string]> = [["yes", "Yes"], ["no", "No"], ["no_with_veto", "No with veto"], ["abstain", "Abstain"]];

export function ProposalPage({ id }: { id: string }) {
  const valid = /^\d{1,19}$/.test(id);
  const w = useWallet();
  const proposal = useLoad(valid ? `proposal:${id}` : null, (s) => rest(`/cosmos/gov/v1/proposals/${id}`, { signal: s }), 10_000);
  const voting = proposal.data?.proposal?.status === "PROPOSAL_STATUS_VOTING_PERIOD";
  const tally = useLoad(valid ? `tally:${id}` : null, (s) => rest(`/cosmos/gov/v1/proposals/${id}/tally`, { signal: s }), 5_000);
  const votes = useLoad(valid ? `votes:${id}` : null, (s) => rest(`/cosmos/gov/v1/proposals/${id}/votes?pagination.limit=200`, { signal: s }), 10_000);
  const params = useLoad("tallying", (s) => rest("/cosmos/gov/v1/params/tallying", { signal: s }));
  const [choice, setChoice] = useState<VoteChoice>("yes");
  const voter = w.status === "connected" ? w.address : null;
  const myVote = useLoad(valid && voter ? `my-vote:${id}:${voter}` : null, (s) => rest(`/cosmos/gov/v1/proposals/${id}/votes/${voter}`, { signal: s }).catch((e) => (isNotFound(e) ? null : Promise.reject(e))));
  const refresh = () => {
    tally.reload();
    votes.reload();
    myVote.reload();
  };
  if (!valid) return <div class="notice error" role="alert">“{id}” is not a proposal id (a number).</div>;
  return (
    <>
      <p><a href="#/gov">← Governance</a></p>
      <Show q={proposal} what={`proposal ${id}`}>
        {({ proposal: p }) => (
          <>
            <h2 data-testid="proposal-title">{p.title || `Proposal ${p.id}`}</h2>
            <p>{p.summary}</p>
            <Fields>
              <Field label="Status">{enumLabel(p.status, "PROPOSAL_STATUS_")}</Field>
              <Field label="Proposer"><Mono>{p.proposer}</Mono></Field>
              <Field label="Messages">{(p.messages ?? []).map((m: any) => m["@type"]).join(", ") || "none (text proposal)"}</Field>
              <Field label="Deposit">{formatCoins(p.total_deposit)}</Field>
              <Field label="Submitted">{formatTime(p.submit_time)}</Field>
              <Field label="Voting">{formatTime(p.voting_start_time)} – {formatTime(p.voting_end_time)}</Field>
              {p.metadata && <Field label="Metadata"><Mono>{p.metadata}</Mono></Field>}
            </Fields>
          </>
        )}
      </Show>
      <h3>{voting ? "Tally so far" : "Tally"}</h3>
      <Show q={tally} what="the tally">{(t) => <TallyView tally={voting ? t.tally : proposal.data?.proposal?.final_tally_result ?? t.tally} />}</Show>
      {params.data?.params && <small>Passes with {formatPercent(params.data.params.quorum)} quorum, over {formatPercent(params.data.params.threshold)} yes, under {formatPercent(params.data.params.veto_threshold)} veto.</small>}
      {voting && (
        <section>
          <h3>Vote</h3>
          {w.status !== "connected" ? <p>Connect a wallet to vote.</p> : (
            <>
              <p>As <code>{w.address}</code>{myVote.data?.vote ? <> — your vote now: <strong data-testid="my-vote">{myVote.data.vote.options.map((o: any) => enumLabel(o.option, "VOTE_OPTION_")).join(", ")}</strong></> : ""}</p>
              <fieldset>
                {CHOICES.map(([c, label]) => (
                  <label key={c}><input type="radio" name="vote" value={c} checked={choice === c} onChange={() => setChoice(c)} /> {label}</label>
                ))}
              </fieldset>
              <TxButton label="Cast vote" request={() => ({ kind: "vote", proposalId: id, option: choice })} onDone={refresh} />
            </>
          )}
        </section>
      )}
      <h3>Votes</h3>
      <Show q={votes} what="votes">
        {(v) => (v.votes ?? []).length === 0 ? <Empty>No vote yet.</Empty> : (
          <table class="striped" data-testid="votes">
            <thead><tr><th>Voter</th><th>Option</th></tr></thead>
            <tbody>
              {v.votes.map((x: any) => (
                <tr key={x.voter}><td><Mono>{x.voter}</Mono></td><td>{(x.options ?? []).map((o: any) => `${enumLabel(o.option, "VOTE_OPTION_")}${o.weight && !o.weight.startsWith("1.") ? ` ${formatPercent(o.weight)}` : ""}`).join(", ")}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </Show>
    </>
  );
}
