/** Store keys of aro/market. */
const P = "market/";
export const pad = (n: bigint) => n.toString().padStart(20, "0");

export const keys = {
  params: P + "params",
  escrows: P + "escrow/",
  escrow: (owner: string) => `${P}escrow/${owner}`,
  nextContentId: P + "next_content_id",
  contents: P + "content/",
  content: (id: bigint) => `${P}content/${pad(id)}`,
  contentByRoot: (root: string) => `${P}content_by_root/${root}`,
  byOwner: (owner: string) => `${P}content_by_owner/${owner}/`,
  byOwnerEntry: (owner: string, id: bigint) => `${P}content_by_owner/${owner}/${pad(id)}`,
  replicasOf: (node: bigint) => `${P}replicas/${pad(node)}/`,
  replica: (node: bigint, content: bigint) => `${P}replicas/${pad(node)}/${pad(content)}`,
  /** Withdrawals waiting for the windows that could still charge them, by unlock height. */
  withdrawals: P + "withdrawals/",
  withdrawal: (unlock: bigint, owner: string) => `${P}withdrawals/${pad(unlock)}/${owner}`,
  /** A customer's allotment to one node (only that node's delivery claims draw it). */
  allotments: P + "allot/",
  allotmentsOf: (owner: string) => `${P}allot/${owner}/`,
  allotment: (owner: string, node: bigint) => `${P}allot/${owner}/${pad(node)}`,
  /** Allotments taken back, waiting for the claim windows that could still draw them, by unlock height. */
  thaws: P + "allot_thaw/",
  thaw: (unlock: bigint, owner: string, node: bigint) => `${P}allot_thaw/${pad(unlock)}/${owner}/${pad(node)}`,
};

/** Withdrawals paid out per block at most (the rest wait for the next block). */
export const WITHDRAWALS_PER_BLOCK = 500;

/** Customers' escrow balances (spendable and held) sit in this module account. */
export { MARKET_ESCROW_POOL as ESCROW_POOL } from "../../chain/module-accounts.ts";

/** Content queue work (ack deadlines, expiries, retirements) handled per block at most. */
export const CONTENT_DUE_PER_BLOCK = 200;

/** What a content-queue entry asks for at its height. */
export type DueKind = "ack" | "expire" | "retire";
export const dueKeys = {
  /** Content work waiting for a height: `market/due/<height>/<content>/<kind>`. */
  all: P + "due/",
  entry: (height: bigint, content: bigint, kind: DueKind) => `${P}due/${pad(height)}/${pad(content)}/${kind}`,
  /** Replicas acked by a node, kept past expiry until settlement has scored the term's last epoch. */
  ackedOf: (node: bigint) => `${P}acked/${pad(node)}/`,
  acked: (node: bigint, content: bigint) => `${P}acked/${pad(node)}/${pad(content)}`,
};
