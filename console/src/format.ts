/** Display of chain values: amounts are integer (or 18-decimal) strings, never floats until shown. */

export interface Coin {
  readonly denom: string;
  readonly amount: string;
}

/** Micro denoms ("uaro") show as their unit ("ARO") with 6 decimals; others as they are. */
export function formatAmount(amount: string | undefined, denom = "uaro", digits = 6): string {
  const whole = String(amount ?? "0").split(".")[0] || "0";
  if (!/^-?\d+$/.test(whole)) return `${amount} ${denom}`;
  if (!/^u[a-z]{2,}$/.test(denom)) return `${groupDigits(whole)} ${denom}`;
  const n = BigInt(whole);
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const unit = abs / 1_000_000n;
  const frac = (abs % 1_000_000n).toString().padStart(6, "0").slice(0, digits).replace(/0+$/, "");
  return `${neg ? "-" : ""}${groupDigits(unit.toString())}${frac ? "." + frac : ""} ${denom.slice(1).toUpperCase()}`;
}

export function formatCoins(coins: readonly Coin[] | undefined | null): string {
  if (!coins || coins.length === 0) return formatAmount("0");
  return coins.map((c) => formatAmount(c.amount, c.denom)).join(", ");
}

export function groupDigits(s: string): string {
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** An 18-decimal fraction ("0.100000000000000000") as a percentage ("10%"). */
export function formatPercent(dec: string | undefined, digits = 2): string {
  if (!dec) return "—";
  if (!/^\d+(\.\d+)?$/.test(dec)) return dec;
  const [i, f = ""] = dec.split(".");
  const scaled = BigInt(i + (f + "0".repeat(18)).slice(0, 18)); // value × 10^18
  const hundredths = (scaled * 10n ** BigInt(2 + digits)) / 10n ** 18n;
  const s = hundredths.toString().padStart(digits + 1, "0");
  const out = digits ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s;
  return `${out.includes(".") ? out.replace(/\.?0+$/, "") : out}%`;
}

/** An 18-decimal number shortened for a table ("1.250000000000000000" → "1.25"). */
export function formatDec(dec: string | undefined, digits = 4): string {
  if (!dec) return "—";
  const [i, f = ""] = dec.split(".");
  const frac = f.slice(0, digits).replace(/0+$/, "");
  return frac ? `${i}.${frac}` : i;
}

export const formatPermille = (p: number | undefined) => (p === undefined ? "—" : `${(p / 10).toFixed(1)}%`);

export function formatBytes(n: string | number | undefined): string {
  let v = Number(n ?? 0);
  for (const unit of ["B", "KB", "MB", "GB", "TB"]) {
    if (v < 1024 || unit === "TB") return `${unit === "B" ? v : v.toFixed(1)} ${unit}`;
    v /= 1024;
  }
  return `${v}`;
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return "—";
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : t.toLocaleString();
}

/** "aro1qqqs…0swdu" */
export const shortAddress = (a: string | undefined) => (a && a.length > 20 ? `${a.slice(0, 10)}…${a.slice(-6)}` : a ?? "—");

/** "BOND_STATUS_BONDED" → "bonded", "NODE_STATUS_ACTIVE" → "active". */
export function enumLabel(v: string | undefined, prefix: string): string {
  if (!v) return "—";
  return v.startsWith(prefix) ? v.slice(prefix.length).toLowerCase().replace(/_/g, " ") : v.toLowerCase();
}
