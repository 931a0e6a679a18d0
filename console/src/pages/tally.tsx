import { formatAmount } from "../format.ts";

export interface Tally {
  readonly yes_count?: string;
  readonly abstain_count?: string;
  readonly no_count?: string;
  readonly no_with_veto_count?: string;
}

const PARTS: Array<[keyof Tally, string, string]> = [["yes_count", "yes", "Yes"], ["no_count", "no", "No"], ["no_with_veto_count", "veto", "No with veto"], ["abstain_count", "abstain", "Abstain"]];

/** Votes by option as a bar and amounts (voting power, in the bond denom). */
export function TallyView({ tally, compact }: { tally?: Tally | null; compact?: boolean }) {
  const values = PARTS.map(([k]) => BigInt(tally?.[k] || "0"));
  const total = values.reduce((a, b) => a + b, 0n);
  const pct = (v: bigint) => (total === 0n ? 0 : Number((v * 10_000n) / total) / 100);
  return (
    <div class="tally" data-testid="tally">
      <div class="bar" title={total === 0n ? "no votes yet" : undefined}>
        {PARTS.map(([, cls], i) => values[i] > 0n && <span key={cls} class={cls} style={{ width: `${pct(values[i])}%` }} />)}
      </div>
      {compact ? <small>{total === 0n ? "no votes yet" : `yes ${pct(values[0])}% of ${formatAmount(total.toString())}`}</small> : (
        <small>
          {PARTS.map(([k, , label], i) => <span key={k} data-testid={`tally-${k}`}>{label}: {formatAmount(tally?.[k] || "0")} ({pct(values[i])}%){i < PARTS.length - 1 ? " · " : ""}</span>)}
        </small>
      )}
    </div>
  );
}
