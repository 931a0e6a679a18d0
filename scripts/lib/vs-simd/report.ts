// The table bench-vs-simd prints: every run, then medians and the two ratios.
export interface RunResult {
  chain: string; round: number; firstHalfTps: number; secondHalfTps: number; committed: number; failed: number; refused: number; tps: number; meanBlock: number; idleBlock: number; maxInBlock: number;
  appCpuMs: number; consensusCpuMs: number; loadCpuMs: number; sameProcess: boolean; queryP50Ms: number; queryP99Ms: number; queries: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const cpu = (r: RunResult) => (r.sameProcess ? `${r.appCpuMs.toFixed(2)} ms (app and CometBFT in one process)` : `app ${r.appCpuMs.toFixed(2)} + CometBFT ${r.consensusCpuMs.toFixed(2)} ms`);

export function printSummary(results: RunResult[], o: { accounts: number; per: number; batch: number; concurrency: number; timeoutCommit: string; validators: number }): void {
  const out = (s: string) => process.stdout.write(s + "\n");
  out(`${o.validators} validator(s) on 127.0.0.1; load: ${o.accounts} accounts x ${o.per} MsgSend (${o.accounts * o.per} txs), broadcast_tx_sync in JSON-RPC batches of ${o.batch}, ${o.concurrency} requests in flight; timeout_commit ${o.timeoutCommit}`);
  out("");
  out("| run | chain | committed tx/s (1st half, 2nd half) | failed/refused | mean block (idle) | max txs/block | CPU per tx | load generator CPU per tx | query p50 / p99 |");
  out("|---|---|---|---|---|---|---|---|---|");
  for (const r of results) {
    out(`| ${r.round} | ${r.chain} | ${r.tps.toFixed(0)} (${r.firstHalfTps.toFixed(0)}, ${r.secondHalfTps.toFixed(0)}) | ${r.failed}/${r.refused} | ${r.meanBlock.toFixed(2)} s (${r.idleBlock.toFixed(2)} s) | ${r.maxInBlock} | ${cpu(r)} | ${r.loadCpuMs.toFixed(2)} ms | ${r.queryP50Ms.toFixed(1)} / ${r.queryP99Ms.toFixed(1)} ms (${r.queries}) |`);
  }
  const chains = [...new Set(results.map((r) => r.chain))];
  const med = new Map(chains.map((c) => [c, median(results.filter((r) => r.chain === c).map((r) => r.tps))]));
  out("");
  out("| chain | median committed tx/s | median block (idle) | median query p99 |");
  out("|---|---|---|---|");
  for (const c of chains) {
    const rs = results.filter((r) => r.chain === c);
    out(`| ${c} | ${med.get(c)!.toFixed(0)} | ${median(rs.map((r) => r.meanBlock)).toFixed(2)} s (${median(rs.map((r) => r.idleBlock)).toFixed(2)} s) | ${median(rs.map((r) => r.queryP99Ms)).toFixed(1)} ms |`);
  }
  out("");
  if (med.has("arod") && med.has("simd")) out(`arod / simd:    ${(med.get("arod")! / med.get("simd")!).toFixed(2)}  (goal >= 1.2)`);
  if (med.has("arod") && med.has("kvstore")) out(`arod / kvstore: ${(med.get("arod")! / med.get("kvstore")!).toFixed(2)}  (goal >= 0.8)`);
}
