// Times one abci_query after another while a chain is loaded (p50 and p99 latency).
export class QueryProber {
  private readonly latencies: number[] = [];
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly rpc: string, private readonly probe: { path: string; data: string }) {}

  start(): void {
    this.running = (async () => {
      while (!this.stopped) {
        const t0 = performance.now();
        const res = await fetch(`${this.rpc}/abci_query?path=${encodeURIComponent(JSON.stringify(this.probe.path))}&data=0x${this.probe.data}`, { signal: AbortSignal.timeout(10_000) });
        const body = (await res.json()) as { result?: { response: { code: number } } };
        if (body.result?.response.code !== 0) throw new Error(`query ${this.probe.path} failed: ${JSON.stringify(body).slice(0, 300)}`);
        this.latencies.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
  }

  async stop(): Promise<{ count: number; p50: number; p99: number }> {
    this.stopped = true;
    await this.running;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
    return { count: sorted.length, p50: at(0.5), p99: at(0.99) };
  }
}
