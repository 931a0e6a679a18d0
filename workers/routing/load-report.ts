import { peerIdFromString } from "@libp2p/peer-id";

/** Load reports (`POST /report`): signed by the node's libp2p key over a fresh, increasing counter (policy: auth.ts). */

const enc = new TextEncoder();
const LOAD_DOMAIN = "aro/routing-load/1\n";

/** The bytes a node signs for a load report: domain ‖ node id ‖ load ‖ counter. */
export function loadReportMessage(nodeId: string, load: number, seq: number): Uint8Array {
  return enc.encode(`${LOAD_DOMAIN}${nodeId}\n${load}\n${seq}`);
}

export interface SignedLoadReport {
  nodeId: string;
  load: number;
  /** The node's clock in ms, strictly increasing per node. */
  seq: number;
  /** base64 signature over loadReportMessage by the node's libp2p key. */
  signature: string;
}

/** The node's side (workers/routing/agent-link.ts). */
export async function signLoadReport(sign: (m: Uint8Array) => Promise<Uint8Array> | Uint8Array, nodeId: string, load: number, seq: number): Promise<SignedLoadReport> {
  const signature = await sign(loadReportMessage(nodeId, load, seq));
  return { nodeId, load, seq, signature: Buffer.from(signature).toString("base64") };
}

/** Routing's side: undefined when the signature is the registered peer's, else why not. */
export async function loadSignatureFailure(peerId: string, nodeId: string, load: number, seq: number, signatureB64: string): Promise<string | undefined> {
  let key;
  try {
    key = peerIdFromString(peerId).publicKey;
  } catch (err) {
    return `registered peer id ${peerId} is not valid: ${(err as Error).message}`;
  }
  if (!key) return `registered peer id ${peerId} does not embed its public key`;
  try {
    return (await key.verify(loadReportMessage(nodeId, load, seq), Buffer.from(signatureB64, "base64"))) ? undefined : "the signature is not the registered peer key's over this report";
  } catch {
    return "the signature is not the registered peer key's over this report";
  }
}
