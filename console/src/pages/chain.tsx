import { rest } from "../api.ts";
import { Empty, Mono, Show } from "../components.tsx";
import { enumLabel, formatAmount, formatPercent, formatTime, groupDigits } from "../format.ts";
import { useLoad } from "../hooks.ts";

const BLOCK_WINDOW = 20;

/** The latest block and the average block time over the last BLOCK_WINDOW blocks. */
async function loadHead(signal: AbortSignal) {
  const latest = await rest("/cosmos/base/tendermint/v1beta1/blocks/latest", { signal });
  const header = latest.block?.header ?? {};
  const height = Number(header.height ?? 0);
  const from = Math.max(1, height - BLOCK_WINDOW);
  let avgMs: number | undefined;
  if (height > from) {
    const old = await rest(`/cosmos/base/tendermint/v1beta1/blocks/${from}`, { signal }).catch(() => undefined);
    const t0 = Date.parse(old?.block?.header?.time ?? "");
    const t1 = Date.parse(header.time ?? "");
    if (Number.isFinite(t0) && Number.isFinite(t1)) avgMs = (t1 - t0) / (height - from);
  }
  const epoch = await rest("/aro/gpow/v1/epoch_info", { signal }).catch(() => undefined);
  return { header, proposer: latest.sdk_block?.header?.proposer_address as string | undefined, avgMs, epoch };
}

async function loadValidators(signal: AbortSignal) {
  const [vals, set, pool] = await Promise.all([
    rest("/cosmos/staking/v1beta1/validators?pagination.limit=500", { signal }),
    rest("/cosmos/base/tendermint/v1beta1/validatorsets/latest?pagination.limit=100", { signal }),
    rest("/cosmos/staking/v1beta1/pool", { signal }),
  ]);
  // consensus address (arovalcons…) of each validator, by its consensus key
  const consByKey = new Map<string, string>((set.validators ?? []).map((v: any) => [v.pub_key?.key, v.address]));
  const list = (vals.validators ?? []).map((v: any) => ({ ...v, consensus: consByKey.get(v.consensus_pubkey?.key) }));
  list.sort((a: any, b: any) => (BigInt(b.tokens) > BigInt(a.tokens) ? 1 : BigInt(b.tokens) < BigInt(a.tokens) ? -1 : 0));
  return { list, bonded: BigInt(pool.pool?.bonded_tokens ?? "0") };
}

export function ChainPage() {
  const head = useLoad("head", loadHead, 2000);
  const vals = useLoad("validators", loadValidators, 10_000);
  const monikerOf = (cons?: string) => vals.data?.list.find((v: any) => v.consensus === cons)?.description?.moniker;
  return (
    <>
      <h2>Chain</h2>
      <Show q={head} what="the latest block">
        {({ header, proposer, avgMs, epoch }) => (
          <section class="stats">
            <article><small>Chain id</small><strong data-testid="chain-id">{header.chain_id}</strong></article>
            <article><small>Height</small><strong data-testid="height">{groupDigits(String(header.height))}</strong></article>
            <article><small>Block time</small><strong>{formatTime(header.time)}</strong></article>
            <article><small>Average block interval</small><strong>{avgMs === undefined ? "—" : `${(avgMs / 1000).toFixed(2)} s`}</strong></article>
            <article><small>Proposer</small><strong>{monikerOf(proposer) ?? <Mono>{proposer}</Mono>}</strong></article>
            {epoch && <article><small>Epoch</small><strong data-testid="epoch">{epoch.epoch}</strong><small>blocks {epoch.epoch_start}–{epoch.epoch_end}</small></article>}
          </section>
        )}
      </Show>
      <h3>Validators</h3>
      <Show q={vals} what="validators">
        {({ list, bonded }) => list.length === 0 ? <Empty>No validators.</Empty> : (
          <figure>
            <table class="striped" data-testid="validators">
              <thead>
                <tr><th>Moniker</th><th>Operator</th><th>Status</th><th class="num">Voting power</th><th class="num">Share</th><th class="num">Commission</th></tr>
              </thead>
              <tbody>
                {list.map((v: any) => (
                  <tr key={v.operator_address}>
                    <td>{v.description?.moniker || "—"}</td>
                    <td><Mono>{v.operator_address}</Mono></td>
                    <td>{v.jailed ? "jailed" : enumLabel(v.status, "BOND_STATUS_")}</td>
                    <td class="num">{formatAmount(v.tokens)}</td>
                    <td class="num">{v.status === "BOND_STATUS_BONDED" && bonded > 0n ? formatPercent(shareOf(BigInt(v.tokens), bonded)) : "—"}</td>
                    <td class="num">{formatPercent(v.commission?.commission_rates?.rate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </figure>
        )}
      </Show>
    </>
  );
}

/** tokens / total as an 18-decimal fraction string. */
function shareOf(tokens: bigint, total: bigint): string {
  const scaled = (tokens * 10n ** 18n) / total;
  const s = scaled.toString().padStart(19, "0");
  return `${s.slice(0, -18)}.${s.slice(-18)}`;
}
