/** Human units for byte counts and rates (binary prefixes). */
export function bytesText(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let u = 0;
  let v = n;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * A one-line progress display on a terminal stream (stderr): bytes done of total, rate over
 * the last few seconds, ETA, and whatever `extra` says (sources, phase). Redrawn at most
 * 4 times a second; on a non-terminal (a log, a test) a line every 10% instead.
 */
export class TransferProgress {
  private lastDraw = 0;
  private lastTenth = -1;
  private readonly samples: Array<{ t: number; bytes: number }> = [];

  constructor(private readonly out: NodeJS.WriteStream, private readonly label: string) {}

  update(bytes: number, total: number, extra = ""): void {
    const t = performance.now();
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[0].t > 5000) this.samples.shift();
    const first = this.samples[0];
    const rate = t > first.t ? ((bytes - first.bytes) * 1000) / (t - first.t) : 0;
    const line = `${this.label} ${bytesText(bytes)} / ${bytesText(total)} (${total ? Math.floor((bytes * 100) / total) : 100}%)  ${bytesText(rate)}/s  ETA ${clock(rate > 0 ? (total - bytes) / rate : Infinity)}${extra ? `  ${extra}` : ""}`;
    if (this.out.isTTY) {
      if (t - this.lastDraw < 250 && bytes < total) return;
      this.lastDraw = t;
      this.out.write(`\r${line}\x1b[K`);
    } else {
      const tenth = total ? Math.floor((bytes * 10) / total) : 10;
      if (tenth === this.lastTenth) return;
      this.lastTenth = tenth;
      this.out.write(line + "\n");
    }
  }

  done(): void {
    if (this.out.isTTY) this.out.write("\n");
  }
}
