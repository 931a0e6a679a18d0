import { useState } from "preact/hooks";
import { rest } from "../api.ts";
import { Empty, Show, nodeHref } from "../components.tsx";
import { explain, mapLimited, recentEpochs } from "../epochs.ts";
import { enumLabel, formatAmount, formatCoins, type Coin } from "../format.ts";
import { useLoad } from "../hooks.ts";
import { useWallet } from "../wallet/state.ts";
import { TxButton } from "../wallet/tx-button.tsx";

const MAX_NODES = 20;
const validAddress = (a: string) => /^aro1[02-9ac-hj-np-z]{38,90}$/.test(a);

/** The owner's nodes' rewards in each recent epoch (settlement's records), newest first. */
async function loadHistory(address: string, signal: AbortSignal) {
  const nodes: any[] = (await rest(`/aro/peernode/v1/nodes?owner=${address}&pagination.limit=${MAX_NODES}`, { signal })).nodes ?? [];
  const { past } = await recentEpochs(signal);
  const pairs = past.flatMap((e) => nodes.map((n) => ({ epoch: e, node: String(n.id) })));
  const explained = await mapLimited(pairs, 6, (p) => explain(p.node, p.epoch.epoch, signal));
  const rows = pairs.flatMap((p, i) => (explained[i] ? [{ ...p, record: explained[i].record }] : []));
  return { nodes, rows, epochs: past.length };
}

/** Unwithdrawn PeerNode rewards, node by node: commission on the nodes it owns, guarantee rewards on those it backs. */
async function loadPending(address: string, signal: AbortSignal) {
  const [owned, backed] = await Promise.all([
    rest(`/aro/peernode/v1/nodes?owner=${address}&pagination.limit=${MAX_NODES}`, { signal }),
    rest(`/aro/peernode/v1/backers/${address}/guarantees`, { signal }),
  ]);
  const ids = [...new Set<string>([...(owned.nodes ?? []).map((n: any) => String(n.id)), ...(backed.guarantees ?? []).map((g: any) => String(g.guarantee?.node_id))])];
  const rows = await mapLimited(ids, 6, async (id) => ({ id, ...(await rest(`/aro/peernode/v1/rewards/${address}?node_id=${id}`, { signal })) }));
  const sum = (pick: (r: any) => Coin[]) => rows.reduce((t, r) => t + (pick(r) ?? []).reduce((a, c) => a + BigInt(c.amount), 0n), 0n).toString();
  return { rows, rewards: sum((r) => r.rewards), commission: sum((r) => r.commission) };
}

export function EarningsPage({ address: routed }: { address?: string }) {
  const w = useWallet();
  const [typed, setTyped] = useState("");
  const address = routed ?? (w.status === "connected" ? w.address : typed);
  const ok = validAddress(address);
  const key = ok ? address : null;
  const balance = useLoad(key && `balance:${key}`, (s) => rest(`/cosmos/bank/v1beta1/balances/${address}`, { signal: s }), 10_000);
  const pending = useLoad(key && `node-rewards:${key}`, (s) => loadPending(address, s), 10_000);
  const staking = useLoad(key && `staking-rewards:${key}`, (s) => rest(`/cosmos/distribution/v1beta1/delegators/${address}/rewards`, { signal: s }), 10_000);
  const history = useLoad(key && `history:${key}`, (s) => loadHistory(address, s), 30_000);
  const mine = w.status === "connected" && w.address === address;
  return (
    <>
      <h2>Earnings</h2>
      {!routed && w.status !== "connected" && (
        <form class="filters" onSubmit={(e) => e.preventDefault()}>
          <label>Address (or connect a wallet)<input placeholder="aro1…" value={typed} onChange={(e) => setTyped((e.target as HTMLInputElement).value.trim())} /></label>
        </form>
      )}
      {address && !ok && <div class="notice error" role="alert">“{address}” is not an aro1… address.</div>}
      {ok && (
        <>
          <p>Account <code data-testid="earnings-address">{address}</code></p>
          <section class="stats">
            <article><small>Balance</small><Show q={balance} what="balance">{(b) => <strong>{formatCoins(b.balances)}</strong>}</Show></article>
            <Show q={pending} what="PeerNode rewards">
              {(p) => (
                <>
                  <article title={p.rows.map((r) => `node ${r.id}: commission ${formatCoins(r.commission)}, guarantee ${formatCoins(r.rewards)}`).join("\n")}>
                    <small>PeerNode commission (as owner), not yet withdrawn</small><strong data-testid="pending-commission">{formatAmount(p.commission)}</strong>
                  </article>
                  <article><small>Guarantee rewards (as backer), not yet withdrawn</small><strong data-testid="pending-rewards">{formatAmount(p.rewards)}</strong></article>
                </>
              )}
            </Show>
          </section>
          <h3>Staking rewards</h3>
          <Show q={staking} what="staking rewards">
            {(r) => (r.rewards ?? []).length === 0 ? <Empty>No delegation.</Empty> : (
              <>
                <table class="striped" data-testid="staking-rewards">
                  <thead><tr><th>Validator</th><th class="num">Reward</th></tr></thead>
                  <tbody>{r.rewards.map((x: any) => <tr key={x.validator_address}><td><code>{x.validator_address}</code></td><td class="num">{formatCoins(x.reward)}</td></tr>)}</tbody>
                  <tfoot><tr><th>Total</th><th class="num" data-testid="staking-total">{formatCoins(r.total)}</th></tr></tfoot>
                </table>
                {mine ? (
                  <TxButton label="Withdraw staking rewards" request={() => ({ kind: "withdraw-rewards", validators: r.rewards.map((x: any) => x.validator_address) })} onDone={() => { staking.reload(); balance.reload(); }} />
                ) : <small>Connect this address's wallet to withdraw.</small>}
              </>
            )}
          </Show>
          <h3>PeerNode earnings by epoch</h3>
          <Show q={history} what="earnings history">
            {({ nodes, rows, epochs }) => nodes.length === 0 ? <Empty>This address owns no PeerNode.</Empty> : rows.length === 0 ? <Empty>No reward in the last {epochs} epochs.</Empty> : (
              <table class="striped" data-testid="earnings-history">
                <thead><tr><th>Epoch</th><th>Phase</th><th>Node</th><th class="num">Node reward</th><th class="num">Owner's commission</th><th class="num">To backers (owner included)</th></tr></thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={`${r.epoch.epoch}/${r.node}`}>
                      <td>{r.epoch.epoch}</td><td>{enumLabel(r.epoch.phase, "EPOCH_PHASE_")}</td><td><a href={nodeHref(r.node)}>#{r.node}</a></td>
                      <td class="num">{formatAmount(r.record.reward)}</td><td class="num">{formatAmount(r.record.commission)}</td><td class="num">{formatAmount(r.record.to_backers)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Show>
        </>
      )}
    </>
  );
}
