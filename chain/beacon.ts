import { createPublicKey, verify } from "node:crypto";
import { ExtendedCommitInfo, type CommitInfo } from "cosmjs-types/tendermint/abci/types";
import { BinaryWriter } from "cosmjs-types/binary";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { sha256 } from "./seed.ts";

/**
 * The randomness beacon: the seed of every draw (replica assignment, job draws, watcher
 * committees, proof sampling) that no single block proposer can choose.
 *
 * With ABCI 2.0 vote extensions on, CometBFT has every validator sign, beside its
 * precommit for block h-1, a vote extension (empty here) with its consensus key. That
 * signature is over (extension, h-1, round, chain id) and deterministic (ed25519,
 * RFC 8032): each validator's contribution is fixed in advance, yet nobody knows the
 * others' until they precommit. The proposer of block h puts the signatures of every
 * precommit in its block's last commit first in the block (the "beacon tx"); every
 * validator checks them in ProcessProposal, and the beacon of h is
 * sha256(beacon of h-1, h-1, round, each validator's address and signature in address order).
 *
 * The proposer cannot move it by ordering, adding or dropping txs, nor by its block time;
 * its only freedom is which precommits (worth more than 2/3 of the power) its last
 * commit holds, the same choice CometBFT already gives it. See README "Seeds".
 */

/** First bytes of the beacon tx: field 0 cannot start a protobuf TxRaw, so no user tx looks like it. */
export const BEACON_TX_PREFIX = new Uint8Array([0x00, ...new TextEncoder().encode("aro/beacon/v1")]);

/** A validator's signature over its (empty) vote extension for the previous height. */
export interface BeaconVote {
  /** CometBFT validator address (20 bytes) */
  readonly address: Uint8Array;
  readonly power: bigint;
  readonly signature: Uint8Array;
}

export interface BeaconInput {
  readonly round: number;
  readonly votes: readonly BeaconVote[];
}

export const isBeaconTx = (tx: Uint8Array): boolean =>
  tx.length >= BEACON_TX_PREFIX.length && BEACON_TX_PREFIX.every((b, i) => tx[i] === b);

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex").toUpperCase();
const byAddress = (a: BeaconVote, b: BeaconVote) => Buffer.compare(Buffer.from(a.address), Buffer.from(b.address));

/** The beacon tx for a block, from the proposer's extended last commit (only its precommits for the block). */
export function beaconTx(lastCommit: ExtendedCommitInfo): Uint8Array {
  const votes = lastCommit.votes
    .filter((v) => v.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT)
    .map((v) => ({ validator: { address: v.validator.address, power: v.validator.power }, voteExtension: new Uint8Array(), extensionSignature: v.extensionSignature, blockIdFlag: v.blockIdFlag }))
    .sort((a, b) => Buffer.compare(Buffer.from(a.validator.address), Buffer.from(b.validator.address)));
  const body = ExtendedCommitInfo.encode({ round: lastCommit.round, votes }).finish();
  return new Uint8Array([...BEACON_TX_PREFIX, ...body]);
}

/** Decodes a beacon tx; undefined unless it is one, canonically encoded, with votes in strictly increasing address order. */
export function decodeBeaconTx(tx: Uint8Array): BeaconInput | undefined {
  if (!isBeaconTx(tx)) return undefined;
  const body = tx.subarray(BEACON_TX_PREFIX.length);
  let info: ExtendedCommitInfo;
  try {
    info = ExtendedCommitInfo.decode(body);
  } catch {
    return undefined;
  }
  if (Buffer.compare(Buffer.from(ExtendedCommitInfo.encode(info).finish()), Buffer.from(body)) !== 0) return undefined;
  const votes = info.votes.map((v) => ({ address: v.validator.address, power: v.validator.power, signature: v.extensionSignature, flag: v.blockIdFlag, ext: v.voteExtension }));
  for (let i = 0; i < votes.length; i++) {
    const v = votes[i];
    if (v.flag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT || v.ext.length !== 0 || v.address.length !== 20) return undefined;
    if (i > 0 && byAddress(votes[i - 1], v) >= 0) return undefined;
  }
  return { round: info.round, votes: votes.map(({ address, power, signature }) => ({ address, power, signature })) };
}

/**
 * CometBFT's VoteExtensionSignBytes: CanonicalVoteExtension{extension, height, round,
 * chain_id}, length-delimited (gogoproto omits zero fields, so round 0 is left out).
 */
export function voteExtensionSignBytes(chainId: string, height: bigint, round: number, extension: Uint8Array = new Uint8Array()): Uint8Array {
  const w = BinaryWriter.create();
  if (extension.length) w.uint32(10).bytes(extension);
  if (height !== 0n) w.uint32(17).sfixed64(height);
  if (round !== 0) w.uint32(25).sfixed64(BigInt(round));
  if (chainId) w.uint32(34).string(chainId);
  const body = w.finish();
  return BinaryWriter.create().bytes(body).finish();
}

const ED25519_SPKI = Buffer.from("302a300506032b6570032100", "hex");

function verifyEd25519(pubkey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (pubkey.length !== 32 || signature.length !== 64) return false;
  try {
    return verify(null, message, createPublicKey({ key: Buffer.concat([ED25519_SPKI, pubkey]), format: "der", type: "spki" }), signature);
  } catch {
    return false;
  }
}

/**
 * Checks a proposed block's beacon tx against the block's own last commit: exactly one
 * valid extension signature for each precommit the last commit holds (no more, no
 * fewer), for height-1 and the commit's round, by the key of that validator. Returns
 * why not, or undefined when it holds.
 */
export function checkBeacon(
  input: BeaconInput, lastCommit: CommitInfo, chainId: string, height: bigint,
  consensusKeyOf: (addressHex: string) => Uint8Array | undefined,
): string | undefined {
  if (input.round !== lastCommit.round) return `beacon round ${input.round} is not the last commit's ${lastCommit.round}`;
  const committed = new Map(lastCommit.votes.filter((v) => v.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT).map((v) => [hex(v.validator.address), v.validator.power]));
  if (input.votes.length !== committed.size) return `beacon has ${input.votes.length} signatures, the last commit ${committed.size} precommits`;
  const signBytes = voteExtensionSignBytes(chainId, height - 1n, input.round);
  for (const v of input.votes) {
    const addr = hex(v.address);
    const power = committed.get(addr);
    if (power === undefined) return `${addr} did not precommit the last block`;
    if (power !== v.power) return `${addr} has power ${power}, not ${v.power}`;
    const key = consensusKeyOf(addr);
    if (!key) return `no consensus key for validator ${addr}`;
    if (!verifyEd25519(key, signBytes, v.signature)) return `bad vote extension signature from ${addr}`;
  }
  return undefined;
}

/** The beacon of a block from its parent's beacon and the checked signatures (or the height alone when vote extensions are off). */
export function nextBeacon(previous: Uint8Array, height: bigint, input: BeaconInput | undefined): Uint8Array {
  if (!input) return sha256("aro/beacon/no-extensions", previous, height.toString());
  const parts: Uint8Array[] = [];
  for (const v of [...input.votes].sort(byAddress)) parts.push(v.address, v.signature);
  return sha256("aro/beacon", previous, (height - 1n).toString(), input.round.toString(), ...parts);
}

/** The beacon before the first block. */
export const genesisBeacon = (chainId: string): Uint8Array => sha256("aro/beacon/genesis", chainId);
