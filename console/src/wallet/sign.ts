// The signing code, in its own chunk: the page loads it (CosmJS, cosmjs-types) only when the user signs.
import { fromBase64, toBase64 } from "@cosmjs/encoding";
// @cosmjs/proto-signing's tx-building file (aliased in vite.config.ts: its package index is the whole wallet)
import { makeAuthInfoBytes, makeSignDoc } from "@cosmjs/proto-signing/signing";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { MsgWithdrawDelegatorReward } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { MsgVote } from "cosmjs-types/cosmos/gov/v1/tx";
import { TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { rest, RestError } from "../api.ts";
import type { KeplrSigner } from "./keplr.ts";

/** What the console signs: a vote, or withdrawing the rewards of some delegations. */
export type TxRequest =
  | { readonly kind: "vote"; readonly proposalId: string; readonly option: VoteChoice }
  | { readonly kind: "withdraw-rewards"; readonly validators: readonly string[] };

export type VoteChoice = "yes" | "abstain" | "no" | "no_with_veto";
const VOTE_OPTION: Record<VoteChoice, number> = { yes: 1, abstain: 2, no: 3, no_with_veto: 4 };

export interface TxOutcome {
  readonly txhash: string;
  readonly code: number;
  readonly rawLog: string;
  readonly height?: string;
  readonly gasUsed?: string;
  readonly gasWanted?: string;
}

const GAS_ADJUSTMENT = 1.4;
const INCLUSION_TIMEOUT_MS = 60_000;

function messages(address: string, req: TxRequest): Any[] {
  if (req.kind === "vote") {
    if (!/^\d{1,19}$/.test(req.proposalId)) throw new Error(`not a proposal id: ${req.proposalId}`);
    return [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: MsgVote.encode(MsgVote.fromPartial({ proposalId: BigInt(req.proposalId), voter: address, option: VOTE_OPTION[req.option], metadata: "" })).finish() }];
  }
  if (req.validators.length === 0) throw new Error("no delegation to withdraw rewards from");
  return req.validators.map((v) => ({
    typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward",
    value: MsgWithdrawDelegatorReward.encode({ delegatorAddress: address, validatorAddress: v }).finish(),
  }));
}

async function accountOf(address: string): Promise<{ accountNumber: bigint; sequence: bigint }> {
  let json: any;
  try {
    json = await rest(`/cosmos/auth/v1beta1/accounts/${encodeURIComponent(address)}`);
  } catch (err) {
    if (err instanceof RestError && err.code === 5) throw new Error(`${address} has no account on this chain yet: send it some tokens first`);
    throw err;
  }
  const a = json.account?.base_account ?? json.account ?? {};
  return { accountNumber: BigInt(a.account_number ?? 0), sequence: BigInt(a.sequence ?? 0) };
}

function parseGasPrice(price: string): { amount: number; denom: string } {
  const m = /^(\d+(?:\.\d+)?)([a-zA-Z][a-zA-Z0-9/:._-]*)$/.exec(price);
  if (!m) throw new Error(`the node's minimum gas price is not understood: ${JSON.stringify(price)}`);
  return { amount: Number(m[1]), denom: m[2] };
}

/**
 * Builds the tx (cosmjs-types messages, CosmJS's AuthInfo and SignDoc), estimates its gas with
 * the node's simulate route, has the wallet sign it (SIGN_MODE_DIRECT), broadcasts it through
 * POST /cosmos/tx/v1beta1/txs and waits until a block includes it.
 */
export async function signAndBroadcast(signer: KeplrSigner, address: string, chainId: string, gasPriceText: string, req: TxRequest, onStage?: (stage: string) => void): Promise<TxOutcome> {
  const account = (await signer.getAccounts()).find((a) => a.address === address);
  if (!account) throw new Error(`the wallet has no key for ${address}`);
  const { accountNumber, sequence } = await accountOf(address);
  const pubkey: Any = { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: PubKey.encode({ key: account.pubkey }).finish() };
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: messages(address, req), memo: "aro console" })).finish();
  const price = parseGasPrice(gasPriceText);

  onStage?.("estimating gas");
  const probe = TxRaw.encode({ bodyBytes, authInfoBytes: makeAuthInfoBytes([{ pubkey, sequence }], [], 0, undefined, undefined), signatures: [new Uint8Array()] }).finish();
  const sim = await rest("/cosmos/tx/v1beta1/simulate", { method: "POST", body: { tx_bytes: toBase64(probe) } });
  const gas = Math.ceil(Number(sim.gas_info?.gas_used ?? 0) * GAS_ADJUSTMENT) + 10_000;
  const fee = [{ denom: price.denom, amount: String(Math.ceil(gas * price.amount)) }];
  const authInfoBytes = makeAuthInfoBytes([{ pubkey, sequence }], fee, gas, undefined, undefined);

  onStage?.("waiting for the wallet's signature");
  const { signed, signature } = await signer.signDirect(address, makeSignDoc(bodyBytes, authInfoBytes, chainId, accountNumber));
  const txBytes = TxRaw.encode({ bodyBytes: signed.bodyBytes, authInfoBytes: signed.authInfoBytes, signatures: [fromBase64(signature.signature)] }).finish();

  onStage?.("broadcasting");
  const b = await rest("/cosmos/tx/v1beta1/txs", { method: "POST", body: { tx_bytes: toBase64(txBytes), mode: "BROADCAST_MODE_SYNC" } });
  const r = b.tx_response ?? {};
  if (r.code !== 0) return { txhash: r.txhash, code: r.code, rawLog: r.raw_log ?? "" };

  onStage?.("waiting for a block");
  const deadline = Date.now() + INCLUSION_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      const t = (await rest(`/cosmos/tx/v1beta1/txs/${r.txhash}`)).tx_response;
      return { txhash: t.txhash, code: t.code, rawLog: t.raw_log ?? "", height: t.height, gasUsed: t.gas_used, gasWanted: t.gas_wanted };
    } catch (err) {
      if (!(err instanceof RestError && err.code === 5)) throw err;
    }
    await new Promise((res) => setTimeout(res, 700));
  }
  throw new Error(`tx ${r.txhash} was accepted into the mempool but no block included it within ${INCLUSION_TIMEOUT_MS / 1000} s`);
}
