import { randomBytes } from "node:crypto";
import type { PrivateKey } from "@libp2p/interface";
import { peerIdFromString } from "@libp2p/peer-id";
import { DtsError } from "../../client/fetch/dts-error.ts";

/**
 * The small task a prober gives a node: sign a fresh nonce with the libp2p key whose peer
 * id the node registered on chain. A plain "200 ok" could come from any server at that
 * URL; a valid signature over a nonce nobody saw before comes only from the node itself,
 * running now.
 */
const DOMAIN = new TextEncoder().encode("aro/node-challenge/1\n");
const NONCE_BYTES = 32;

export interface NodeIdentity {
  peerId: string;
  sign(message: Uint8Array): Promise<Uint8Array> | Uint8Array;
}

export interface ChallengeAnswer {
  peerId: string;
  /** base64 signature over DOMAIN ‖ nonce */
  signature: string;
}

export function identityFromKey(key: PrivateKey, peerId: string): NodeIdentity {
  return { peerId, sign: (m) => key.sign(m) };
}

export const newNonce = (): Uint8Array => new Uint8Array(randomBytes(NONCE_BYTES));

export function challengeMessage(nonce: Uint8Array): Uint8Array {
  const m = new Uint8Array(DOMAIN.length + nonce.length);
  m.set(DOMAIN);
  m.set(nonce, DOMAIN.length);
  return m;
}

/** The node's side: validates the nonce (64 hex digits) and signs it. */
export async function answerChallenge(identity: NodeIdentity | undefined, nonceHex: string | null): Promise<ChallengeAnswer> {
  if (!identity) throw new DtsError(404, "this server has no node identity to answer challenges with");
  if (nonceHex === null || !/^[0-9a-f]{64}$/.test(nonceHex)) throw new DtsError(400, `nonce must be ${NONCE_BYTES * 2} lowercase hex digits`);
  const signature = await identity.sign(challengeMessage(Buffer.from(nonceHex, "hex")));
  return { peerId: identity.peerId, signature: Buffer.from(signature).toString("base64") };
}

/** The prober's side: undefined if the answer is the expected peer's signature over the nonce, else why not. */
export async function challengeFailure(answer: unknown, expectedPeerId: string, nonce: Uint8Array): Promise<string | undefined> {
  const a = answer as Partial<ChallengeAnswer> | null;
  if (typeof a?.peerId !== "string" || typeof a.signature !== "string") return "malformed challenge answer";
  if (a.peerId !== expectedPeerId) return `answered as peer ${a.peerId}, registered as ${expectedPeerId}`;
  let key;
  try {
    key = peerIdFromString(expectedPeerId).publicKey;
  } catch (err) {
    return `registered peer id ${expectedPeerId} is not valid: ${(err as Error).message}`;
  }
  if (!key) return `registered peer id ${expectedPeerId} does not embed its public key`;
  const ok = await key.verify(challengeMessage(nonce), Buffer.from(a.signature, "base64"));
  return ok ? undefined : "signature over the nonce does not verify";
}
