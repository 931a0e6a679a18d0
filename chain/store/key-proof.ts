import { CommitmentProof } from "cosmjs-types/cosmos/ics23/v1/proofs";
import type { ProofOp } from "cosmjs-types/tendermint/crypto/proof";
import { storeProof } from "./commit-info.ts";
import { EMPTY_ROOT, type IavlNode } from "./iavl/node.ts";
import { existenceProof, nonExistenceProof } from "./iavl/proof.ts";
import type { NodeSource } from "./iavl/tree.ts";

const utf8 = new TextEncoder();

/**
 * A key's value in `store` with the two proofs the SDK's rootmulti store answers
 * `/store/<name>/key` with: the key's existence or absence in the store's tree
 * ("ics23:iavl"), then the store's root in the commit info ("ics23:simple").
 * `roots`: every store's root node at the height.
 */
export function keyProof(roots: ReadonlyMap<string, IavlNode | undefined>, src: NodeSource, store: string, key: Uint8Array): { value: Uint8Array | undefined; proofOps: ProofOp[] } {
  const root = roots.get(store);
  const exist = existenceProof(src, root, key);
  const inStore = exist ? { exist } : { nonexist: nonExistenceProof(src, root, key) };
  const storeRoots = [...roots].map(([name, n]) => ({ name, root: n ? n.hash! : EMPTY_ROOT }));
  return {
    value: exist?.value,
    proofOps: [
      { type: "ics23:iavl", key, data: CommitmentProof.encode(inStore).finish() },
      { type: "ics23:simple", key: utf8.encode(store), data: CommitmentProof.encode({ exist: storeProof(storeRoots, store) }).finish() },
    ],
  };
}
