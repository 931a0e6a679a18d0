import assert from "node:assert/strict";

/** Fetches a REST route and parses its JSON, with the status kept for assertions. */
export async function getJson(base: string, path: string, init?: RequestInit): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(base + path, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 300)}`);
  }
  return { status: res.status, json, headers: res.headers };
}

/**
 * The SDK gateway's JSON conventions, checked over a whole answer: proto field names
 * (snake_case, never camelCase), every Any with an "@type" of "/pkg.Type" first,
 * no JSON numbers where a 64-bit integer is expected (the fields named here).
 */
export function assertSdkShape(path: string, json: unknown, where = "$"): void {
  if (Array.isArray(json)) return json.forEach((v, i) => assertSdkShape(path, v, `${where}[${i}]`));
  if (!json || typeof json !== "object") return;
  const keys = Object.keys(json);
  if (keys.includes("@type")) {
    assert.equal(keys[0], "@type", `${path} ${where}: "@type" comes first`);
    assert.match((json as any)["@type"], /^\/[a-z][\w.]+$/i, `${path} ${where}: @type is a type URL "/pkg.Type"`);
  }
  for (const k of keys) {
    if (k !== "@type") assert.doesNotMatch(k, /[A-Z]/, `${path} ${where}.${k}: proto field names, not camelCase`);
    const v: unknown = (json as any)[k];
    if (INT64_FIELDS.has(k) && v !== null && !Array.isArray(v) && typeof v !== "object") assert.equal(typeof v, "string", `${path} ${where}.${k}: 64-bit integers are strings (got ${JSON.stringify(v)})`);
    assertSdkShape(path, v, `${where}.${k}`);
  }
}

const INT64_FIELDS = new Set(["height", "amount", "tokens", "account_number", "sequence", "voting_power", "gas_used", "gas_wanted", "proposal_id", "id", "block_height", "min_self_delegation", "unbonding_height"]);

export const isIntString = (v: unknown) => typeof v === "string" && /^-?\d+$/.test(v);
export const isDecString = (v: unknown) => typeof v === "string" && /^-?\d+\.\d{18}$/.test(v);
