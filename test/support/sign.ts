import { makeAuthInfoBytes, makeSignDoc, encodePubkey, type DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { TxRaw, TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";

export interface SignOptions {
  readonly wallet: DirectSecp256k1HdWallet;
  readonly messages: Any[];
  readonly chainId: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  readonly fee?: Coin[];
  readonly gas?: bigint;
  readonly memo?: string;
  readonly timeoutHeight?: bigint;
  /** Changes the encoded body / auth info before signing (tests of what the chain refuses in properly signed bytes). */
  readonly editBodyBytes?: (bodyBytes: Uint8Array) => Uint8Array;
  readonly editAuthInfoBytes?: (authInfoBytes: Uint8Array) => Uint8Array;
}

/** Builds and signs a tx exactly as CosmJS does, with every field under the test's control. */
export async function signTx(o: SignOptions): Promise<{ raw: TxRaw; bytes: Uint8Array }> {
  const [account] = await o.wallet.getAccounts();
  const encodedBody = TxBody.encode(TxBody.fromPartial({ messages: o.messages, memo: o.memo ?? "", timeoutHeight: o.timeoutHeight ?? 0n })).finish();
  const bodyBytes = o.editBodyBytes ? o.editBodyBytes(encodedBody) : encodedBody;
  const pubkey = encodePubkey(encodeSecp256k1Pubkey(account.pubkey));
  const encodedAuthInfo = makeAuthInfoBytes([{ pubkey, sequence: o.sequence }], o.fee ?? [{ denom: "uaro", amount: "5000" }], Number(o.gas ?? 200000n), undefined, undefined);
  const authInfoBytes = o.editAuthInfoBytes ? o.editAuthInfoBytes(encodedAuthInfo) : encodedAuthInfo;
  const { signature } = await o.wallet.signDirect(account.address, makeSignDoc(bodyBytes, authInfoBytes, o.chainId, Number(o.accountNumber)));
  const raw = TxRaw.fromPartial({ bodyBytes, authInfoBytes, signatures: [Buffer.from(signature.signature, "base64")] });
  return { raw, bytes: TxRaw.encode(raw).finish() };
}

export function sendMsg(from: string, to: string, amount: Coin[]): Any {
  return { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.encode({ fromAddress: from, toAddress: to, amount }).finish() };
}
