import { EPOCH_PARAMS_KEY } from "../epochs/epochs.ts";

/** Store keys of aro/settlement. */
const P = "settlement/";
export const pad = (n: bigint) => n.toString().padStart(20, "0");

export const keys = {
  /** also where the shared epoch clock reads epoch_length (modules/epochs) */
  params: EPOCH_PARAMS_KEY,
  work: (epoch: bigint, node: bigint) => `${P}work/${pad(epoch)}/${pad(node)}`,
  epoch: (epoch: bigint) => `${P}epoch/${pad(epoch)}`,
  epochs: P + "epoch/",
  record: (epoch: bigint, node: bigint) => `${P}record/${pad(epoch)}/${pad(node)}`,
  /** Next epoch to settle. */
  nextToSettle: P + "next_to_settle",
  /** The first epoch whose records (work, epoch, record) may still be stored: all before it are pruned. */
  pruneEpoch: P + "prune_epoch",
};

/** Node rewards wait here between being funded (inflation share, customers' payments) and paid. */
export { SETTLEMENT_POOL } from "../../chain/module-accounts.ts";
