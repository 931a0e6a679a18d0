import { Secp256k1HdWallet, encodeSecp256k1Pubkey, makeSignDoc } from "@cosmjs/amino";
import { encodePubkey, makeAuthInfoBytes, type EncodeObject } from "@cosmjs/proto-signing";
import { AminoTypes, createDefaultAminoConverters } from "@cosmjs/stargate";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { aroAminoConverters } from "../../client/amino.ts";
import { aroRegistry } from "../../client/index.ts";

export interface AminoSignOptions {
  readonly mnemonic: string;
  readonly messages: EncodeObject[];
  readonly chainId: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  readonly fee?: Coin[];
  readonly gas?: bigint;
  readonly memo?: string;
  readonly timeoutHeight?: bigint;
  /** Signs over another memo or sequence than the tx carries (forged-signature tests). */
  readonly signedMemo?: string;
  readonly signedSequence?: bigint;
  /** Changes the encoded body after signing (what an amino signature does not cover). */
  readonly editBodyBytes?: (bodyBytes: Uint8Array) => Uint8Array;
}

/**
 * Signs a tx in SIGN_MODE_LEGACY_AMINO_JSON as CosmJS's SigningStargateClient.signAmino does
 * (an amino wallet, the StdSignDoc of the messages' amino JSON), every field under the test's control.
 */
export async function signAminoTx(o: AminoSignOptions): Promise<{ raw: TxRaw; bytes: Uint8Array }> {
  const wallet = await Secp256k1HdWallet.fromMnemonic(o.mnemonic, { prefix: "aro" });
  const [account] = await wallet.getAccounts();
  const registry = aroRegistry();
  const aminoTypes = new AminoTypes({ ...createDefaultAminoConverters(), ...aroAminoConverters() });
  const fee = { amount: o.fee ?? [{ denom: "uaro", amount: "5000" }], gas: String(o.gas ?? 200000n) };
  const memo = o.memo ?? "";
  const doc = makeSignDoc(o.messages.map((m) => aminoTypes.toAmino(m)), fee, o.chainId, o.signedMemo ?? memo, o.accountNumber, Number(o.signedSequence ?? o.sequence), o.timeoutHeight);
  const { signature } = await wallet.signAmino(account.address, doc);
  const encodedBody = registry.encode({ typeUrl: "/cosmos.tx.v1beta1.TxBody", value: { messages: o.messages, memo, timeoutHeight: o.timeoutHeight } });
  const bodyBytes = o.editBodyBytes ? o.editBodyBytes(encodedBody) : encodedBody;
  const pubkey = encodePubkey(encodeSecp256k1Pubkey(account.pubkey));
  const authInfoBytes = makeAuthInfoBytes([{ pubkey, sequence: Number(o.sequence) }], fee.amount, Number(fee.gas), undefined, undefined, SignMode.SIGN_MODE_LEGACY_AMINO_JSON);
  const raw = TxRaw.fromPartial({ bodyBytes, authInfoBytes, signatures: [Buffer.from(signature.signature, "base64")] });
  return { raw, bytes: TxRaw.encode(raw).finish() };
}
