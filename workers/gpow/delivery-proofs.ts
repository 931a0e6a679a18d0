import type { Logger } from "pino";
import { ClaimStatus, type Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import type { ChainClient } from "../runtime/chain-client.ts";
import { pad, type AgentDb } from "../runtime/state-db.ts";
import { EpochClaim } from "./epoch-claim.ts";

/** What the prover keeps per epoch (in the claims database), so a restart between claim and proof still proves. */
export interface ClaimRecord {
  epoch: string;
  /** receipts frozen: later ones for this epoch are refused */
  frozen: boolean;
  submitted: boolean;
  root?: string;
  proven: string[];
  done: boolean;
}

/** What proving a delivery claim needs: the chain, the claims database, the node, and the prover's receipts of an epoch and its way to finish one. */
export interface DeliveryProofContext {
  readonly chain: ChainClient;
  readonly db: AgentDb;
  readonly log: Logger;
  readonly nodeId: bigint;
  readonly events: { onProof?(epoch: bigint, offset: bigint): void };
  receiptsOf(epoch: bigint): Promise<Receipt[]>;
  finish(epoch: bigint, rec: ClaimRecord): Promise<void>;
}

/** Answers the offsets the chain opened on this node's claim for `epoch` (all in one tx), from the receipts kept on disk. */
export async function submitDeliveryProofs(p: DeliveryProofContext, epoch: bigint, rec: ClaimRecord): Promise<void> {
  const res = await p.chain.q.aro.gpow.Claim({ nodeId: p.nodeId, epoch }).catch(() => undefined);
  const onChain = res?.claim;
  if (!onChain) return;
  if (onChain.status !== ClaimStatus.CLAIM_STATUS_PENDING && onChain.status !== ClaimStatus.CLAIM_STATUS_CHALLENGED) return void (await p.finish(epoch, rec));
  if (onChain.openOffsets.length === 0) return;
  // the tree is rebuilt from the durable receipts: same receipts, same root
  const claim = new EpochClaim(await p.receiptsOf(epoch));
  if (Buffer.from(claim.tree.root.hash).toString("hex") !== Buffer.from(onChain.root).toString("hex")) {
    p.log.error({ epoch: epoch.toString() }, "the receipts on disk do not rebuild the claimed root: cannot prove this claim");
    return void (await p.finish(epoch, rec));
  }
  // every open offset in one tx (at most proofs_per_claim ≤ 16): one fee, one wait
  const msgs = onChain.openOffsets.map((offset) => {
    const { receipt, branch } = claim.proof(offset);
    return { typeUrl: "/aro.gpow.v1.MsgSubmitProof", value: { operator: p.chain.address, nodeId: p.nodeId, epoch, offset, receipt, branch } };
  });
  await p.chain.send(msgs);
  rec.proven.push(...onChain.openOffsets.map(String));
  await p.db.putJson(p.db.claims, pad(epoch), rec);
  for (const offset of onChain.openOffsets) p.events.onProof?.(epoch, offset);
  p.log.info({ epoch: epoch.toString(), offsets: onChain.openOffsets.map(String) }, "delivery proofs submitted");
}
