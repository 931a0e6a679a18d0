import type { RequestPrepareProposal, RequestProcessProposal, ResponseProcessProposal_ProposalStatus } from "cosmjs-types/tendermint/abci/types";
import { AuthInfo, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { appState, beaconRequired, maxBlockGas } from "./app-state.ts";
import { beaconTx, checkBeacon, decodeBeaconTx, isBeaconTx } from "./beacon.ts";
import type { Logger } from "./logger.ts";
import type { KVReader } from "./store/kv.ts";

/** What building and checking a proposal reads: the committed state and the validators' keys. */
export interface ProposalContext {
  readonly state: KVReader;
  readonly log: Logger;
  /** a validator's ed25519 consensus key by CometBFT address (upper hex), from the staking module */
  readonly consensusKeyOf?: (state: KVReader, addressHex: string) => Uint8Array | undefined;
}

/** Gas limit a tx asks for, or undefined if it cannot be decoded. */
function gasWanted(tx: Uint8Array): bigint | undefined {
  try {
    return AuthInfo.decode(TxRaw.decode(tx).authInfoBytes).fee?.gasLimit ?? 0n;
  } catch {
    return undefined;
  }
}

/** PrepareProposal: the beacon tx first (when vote extensions are on), then mempool txs within the block's bytes and gas. */
export function prepareProposal(c: ProposalContext, req: RequestPrepareProposal): { txs: Uint8Array[] } {
  const maxGas = maxBlockGas(c.state);
  const txs: Uint8Array[] = [];
  let bytes = 0n;
  let gas = 0n;
  if (beaconRequired(c.state, req.height)) {
    const beacon = beaconTx(req.localLastCommit);
    bytes += BigInt(beacon.length);
    txs.push(beacon);
  }
  for (const tx of req.txs) {
    if (isBeaconTx(tx)) continue;
    const wanted = gasWanted(tx);
    if (wanted === undefined) continue;
    if (bytes + BigInt(tx.length) > req.maxTxBytes) break;
    if (maxGas !== undefined && gas + wanted > maxGas) continue;
    bytes += BigInt(tx.length);
    gas += wanted;
    txs.push(tx);
  }
  return { txs };
}

/** ProcessProposal: a valid beacon tx where one is due (and nowhere else), and no more gas than the block allows. */
export function processProposal(c: ProposalContext, req: RequestProcessProposal): { status: ResponseProcessProposal_ProposalStatus } {
  const reject = (why: string) => {
    c.log.info("rejected proposal", { height: req.height.toString(), reason: why });
    return { status: 2 as ResponseProcessProposal_ProposalStatus };
  };
  const state = c.state;
  let txs = req.txs;
  if (beaconRequired(state, req.height)) {
    const input = txs.length ? decodeBeaconTx(txs[0]) : undefined;
    if (!input) return reject("the first tx is not a valid beacon tx");
    const keyOf = (addr: string) => c.consensusKeyOf?.(state, addr) ?? appState.genesisValidators.get(state, addr);
    const wrong = checkBeacon(input, req.proposedLastCommit, appState.chainId.get(state), req.height, keyOf);
    if (wrong) return reject(wrong);
    txs = txs.slice(1);
  }
  if (txs.some(isBeaconTx)) return reject("a beacon tx where none belongs");
  const maxGas = maxBlockGas(state);
  let gas = 0n;
  for (const tx of txs) gas += gasWanted(tx) ?? 0n;
  if (maxGas !== undefined && gas > maxGas) return reject(`txs want ${gas} gas, more than the block's ${maxGas}`);
  return { status: 1 as ResponseProcessProposal_ProposalStatus };
}
