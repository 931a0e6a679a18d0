import { addressFromBytes } from "../../chain/address.ts";
import { addressBytesOf, verifySecp256k1 } from "../../chain/crypto/secp256k1.ts";
import { latencyReportMessage } from "../../client/latency-report.ts";
import { BoundedLru } from "./bounded-state.ts";

/** Latency reports (`POST /latency`): signed by a client's account key (format: client/latency-report.ts) whose address holds an escrow (policy: auth.ts). */

/** Routing's side: undefined when `pubkey` is `client`'s key and signed the report, else why not. */
export function latencySignatureFailure(client: string, pubkeyB64: string, nodeId: string, region: string, ms: number, ts: number, signatureB64: string): string | undefined {
  const pubkey = new Uint8Array(Buffer.from(pubkeyB64, "base64"));
  if (pubkey.length !== 33) return "pubkey must be a base64 33-byte compressed secp256k1 key";
  let address: string;
  try {
    address = addressFromBytes(addressBytesOf(pubkey));
  } catch {
    return "pubkey is not a valid key";
  }
  if (address !== client) return `pubkey belongs to ${address}, not to ${client}`;
  if (!verifySecp256k1(latencyReportMessage(client, nodeId, region, ms, ts), new Uint8Array(Buffer.from(signatureB64, "base64")), pubkey)) return "the signature is not the client key's over this report";
  return undefined;
}

/** Whether an account holds an escrow on chain; throws when the chain cannot be asked. */
export type EscrowCheck = (address: string) => Promise<boolean>;

/**
 * Escrow lookups cached for ttlMs (positive and negative alike), at most maxEntries
 * addresses (least recently used evicted), and at most maxInFlight lookups at once: a
 * flood of fresh keys costs the chain no more than that.
 */
export class EscrowCache {
  private readonly c: BoundedLru<string, { at: number; ok: boolean }>;
  private readonly pending = new Map<string, Promise<boolean>>();
  constructor(private readonly check: EscrowCheck, private readonly o: { ttlMs: number; maxEntries: number; maxInFlight: number }) {
    this.c = new BoundedLru(o.maxEntries);
  }
  get size(): number {
    return this.c.size;
  }
  /** true/false, or "busy" when too many lookups are already running. */
  async has(address: string, now: number): Promise<boolean | "busy"> {
    const hit = this.c.get(address);
    if (hit && now - hit.at < this.o.ttlMs && now >= hit.at) return hit.ok;
    let p = this.pending.get(address);
    if (!p) {
      if (this.pending.size >= this.o.maxInFlight) return "busy";
      p = this.check(address).finally(() => this.pending.delete(address));
      this.pending.set(address, p);
    }
    const ok = await p;
    this.c.set(address, { at: now, ok });
    return ok;
  }
}
