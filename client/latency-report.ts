/**
 * The latency report a client sends PeerRouting (`POST /latency`) after a fetch: what it
 * measured per node, signed with its account key. Routing checks it in
 * workers/routing/latency-auth.ts (latencySignatureFailure) over the same message.
 */
const enc = new TextEncoder();
const LATENCY_DOMAIN = "aro/routing-latency/1\n";

/** The bytes a client signs for a latency report: domain ‖ client ‖ node id ‖ region ‖ ms ‖ clock. */
export function latencyReportMessage(client: string, nodeId: string, region: string, ms: number, ts: number): Uint8Array {
  return enc.encode(`${LATENCY_DOMAIN}${client}\n${nodeId}\n${region}\n${ms}\n${ts}`);
}

/** A client key that can sign arbitrary bytes (client/receipts/receipt-signer.ts ReceiptSigner). */
export interface MessageSigner {
  readonly address: string;
  readonly pubkey: Uint8Array;
  signMessage(message: Uint8Array): Promise<Uint8Array>;
}

export interface SignedLatencyReport {
  nodeId: string;
  region: string;
  ms: number;
  /** The client's account address. */
  client: string;
  /** base64 compressed secp256k1 key of `client`. */
  pubkey: string;
  /** The client's clock in ms. */
  ts: number;
  /** base64 r‖s over sha256(latencyReportMessage). */
  signature: string;
}

export async function signLatencyReport(signer: MessageSigner, nodeId: string, region: string, ms: number, ts: number): Promise<SignedLatencyReport> {
  const sig = await signer.signMessage(latencyReportMessage(signer.address, nodeId, region, ms, ts));
  return { nodeId, region, ms, client: signer.address, pubkey: Buffer.from(signer.pubkey).toString("base64"), ts, signature: Buffer.from(sig).toString("base64") };
}
