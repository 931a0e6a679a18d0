/** Store keys of aro/settlement. */
const P = "settlement/";
export const pad = (n: bigint) => n.toString().padStart(20, "0");

export const keys = {
  params: P + "params",
  work: (epoch: bigint, node: bigint) => `${P}work/${pad(epoch)}/${pad(node)}`,
  epoch: (epoch: bigint) => `${P}epoch/${pad(epoch)}`,
  epochs: P + "epoch/",
  record: (epoch: bigint, node: bigint) => `${P}record/${pad(epoch)}/${pad(node)}`,
  /** Next epoch to settle. */
  nextToSettle: P + "next_to_settle",
};

/** Node rewards wait here between being funded (inflation share, customers' payments) and paid. */
export const SETTLEMENT_POOL = "settlement";
