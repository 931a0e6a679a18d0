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
};

/** Withdrawals paid out per block at most (the rest wait for the next block). */
export const WITHDRAWALS_PER_BLOCK = 500;

/** Customers' escrow balances (spendable and held) sit in this module account. */
export const ESCROW_POOL = "market_escrow";
