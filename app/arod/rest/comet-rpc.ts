import { Code, GatewayError } from "./errors.ts";

/** Calls CometBFT's JSON-RPC for the gateway's tx and tendermint routes; its errors become gateway errors. */
export class CometRpc {
  private readonly blockTimes = new Map<string, string>();

  constructor(private readonly url: string) {}

  async call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new GatewayError(Code.UNAVAILABLE, `CometBFT RPC ${this.url} unreachable: ${(err as Error).message}`);
    }
    const body = (await res.json().catch(() => ({}))) as { result?: T; error?: { message?: string; data?: string } };
    if (body.error) {
      const text = `${body.error.message ?? "error"}: ${body.error.data ?? ""}`;
      throw new GatewayError(/not found|must be less than or equal|height \d+ is not available|could not find/i.test(text) ? Code.NOT_FOUND : Code.INVALID_ARGUMENT, text);
    }
    if (body.result === undefined) throw new GatewayError(Code.UNAVAILABLE, `CometBFT RPC ${method}: no result (HTTP ${res.status})`);
    return body.result;
  }

  /** A block's time (RFC 3339), remembered for the last 1,000 heights asked. */
  async blockTime(height: string): Promise<string> {
    const known = this.blockTimes.get(height);
    if (known) return known;
    const r = await this.call<{ block_metas?: Array<{ header: { height: string; time: string } }> }>("blockchain", { minHeight: height, maxHeight: height });
    const time = r.block_metas?.[0]?.header.time ?? "";
    if (this.blockTimes.size >= 1000) this.blockTimes.delete(this.blockTimes.keys().next().value as string);
    if (time) this.blockTimes.set(height, time);
    return time;
  }
}

export const hexToBase64 = (hex: string | undefined) => Buffer.from(hex ?? "", "hex").toString("base64");
