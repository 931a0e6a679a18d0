import { HashOp, LengthOp, type ExistenceProof, type InnerOp, type LeafOp } from "cosmjs-types/cosmos/ics23/v1/proofs";
import { auditPath, leafHash, treeRoot } from "../proofs/rfc6962.ts";
import { sha256, Writer } from "./iavl/node.ts";

/**
 * The app hash over the stores' roots, as the Cosmos SDK's rootmulti computes its
 * CommitInfo hash: a simple (RFC 6962) merkle tree over the stores sorted by name, each
 * leaf the pair uvarint(len name) name uvarint(32) sha256(root). ICS23's
 * `tendermintSpec` verifies a store's root against it.
 */
export interface StoreRoot {
  readonly name: string;
  readonly root: Uint8Array;
}

const utf8 = new TextEncoder();

/** The leaf bytes of one store (before the leaf prefix 0x00). */
export function storeLeaf(s: StoreRoot): Uint8Array {
  return new Writer().bytes(utf8.encode(s.name)).bytes(sha256(s.root)).finish();
}

export function sortedStores(stores: Iterable<StoreRoot>): StoreRoot[] {
  return [...stores].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

export function commitHash(stores: Iterable<StoreRoot>): Uint8Array {
  return treeRoot(sortedStores(stores).map((s) => leafHash(storeLeaf(s))));
}

/** ICS23 leaf op of a store's pair in the commit info (`tendermintSpec`). */
const SIMPLE_LEAF: LeafOp = { hash: HashOp.SHA256, prehashKey: HashOp.NO_HASH, prehashValue: HashOp.SHA256, length: LengthOp.VAR_PROTO, prefix: Uint8Array.of(0) };

/**
 * The proof that store `name` has root `root` in the commit info: its leaf, then the
 * sibling at each level up (in the inner op's prefix when it is on the left, else in
 * the suffix). Undefined if there is no such store.
 */
export function storeProof(stores: Iterable<StoreRoot>, name: string): ExistenceProof | undefined {
  const sorted = sortedStores(stores);
  const index = sorted.findIndex((s) => s.name === name);
  if (index < 0) return undefined;
  const leaves = sorted.map((s) => leafHash(storeLeaf(s)));
  // walk up as auditPath did: a node has a sibling unless it is the lone last one of its level
  const path: InnerOp[] = [];
  let [i, size] = [index, leaves.length];
  for (const sibling of auditPath(leaves, index)) {
    while (i % 2 === 0 && i + 1 >= size) [i, size] = [i >> 1, Math.ceil(size / 2)];
    path.push(i % 2 === 1
      ? { hash: HashOp.SHA256, prefix: Buffer.concat([Uint8Array.of(1), sibling]), suffix: new Uint8Array() }
      : { hash: HashOp.SHA256, prefix: Uint8Array.of(1), suffix: sibling });
    [i, size] = [i >> 1, Math.ceil(size / 2)];
  }
  return { key: utf8.encode(name), value: sorted[index].root, leaf: SIMPLE_LEAF, path };
}
