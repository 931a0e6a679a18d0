import { rest } from "../api.ts";
import { Empty, Mono, Show } from "../components.tsx";
import { formatAmount, formatPercent } from "../format.ts";
import { useLoad } from "../hooks.ts";

/** The watchers (keepers) that probe PeerNodes and attest to their uptime, with their stake and record. */
export function WatchersPage() {
  const list = useLoad("watchers", (s) => rest("/aro/watcher/v1/watchers?pagination.limit=200", { signal: s }), 15_000);
  const params = useLoad("watcher-params", (s) => rest("/aro/watcher/v1/params", { signal: s }));
  return (
    <>
      <h2>Watchers</h2>
      <Show q={params} what="watcher parameters">
        {({ params: p }) => (
          <section class="stats">
            <article><small>Minimum stake</small><strong>{formatAmount(p?.min_stake)}</strong></article>
            <article><small>Committee per node</small><strong>{p?.committee_size}</strong></article>
            <article><small>Strikes before jail</small><strong>{p?.max_strikes}</strong></article>
            <article><small>Slash</small><strong>{formatPercent(p?.slash_fraction)}</strong></article>
          </section>
        )}
      </Show>
      <Show q={list} what="watchers">
        {({ watchers }) => (watchers ?? []).length === 0 ? <Empty>No watcher is registered.</Empty> : (
          <figure>
            <table class="striped" data-testid="watchers">
              <thead><tr><th>Address</th><th>Region</th><th class="num">Stake</th><th>State</th><th class="num">Strikes</th><th class="num">Slashes</th><th class="num">Since height</th></tr></thead>
              <tbody>
                {watchers.map((w: any) => (
                  <tr key={w.address}>
                    <td><Mono>{w.address}</Mono></td>
                    <td>{w.region}</td>
                    <td class="num">{formatAmount(w.tokens)}</td>
                    <td>{w.jailed ? "jailed" : "active"}</td>
                    <td class="num">{w.strikes}</td>
                    <td class="num">{w.slashes}</td>
                    <td class="num">{w.registered_height}</td>
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
