import { create } from "@bufbuild/protobuf";
import { reflect } from "@bufbuild/protobuf/reflect";
import type { Fee, TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { sdkErrors } from "../errors.ts";
import { aminoJsonEncoder } from "./amino-json.ts";
import { AminoJsonError, goJsonString } from "./amino-json-values.ts";

/**
 * SIGN_MODE_LEGACY_AMINO_JSON's sign bytes: the StdSignDoc as the SDK v0.50 writes it
 * (x/tx signing/aminojson aminojson.go, AminoSignDoc) and CosmJS's serializeSignDoc signs it:
 *
 *   {"account_number":"3","chain_id":"c","fee":{"amount":[...],"gas":"200000"[,"granter":..][,"payer":..]},
 *    "memo":"","msgs":[{"type":"cosmos-sdk/MsgSend","value":{...}}],"sequence":"6"[,"timeout_height":"10"]}
 *
 * What depends only on the tx is built once, when the tx is decoded (AminoSignBody); each
 * signer's bytes add its account number and sequence and the chain id.
 */
export interface AminoSignBody {
  /** the fee, memo and msgs members, already JSON */
  readonly fee: string;
  readonly memo: string;
  readonly msgs: string;
  readonly timeoutHeight: bigint;
}

function signDocError(err: unknown): never {
  if (err instanceof AminoJsonError) throw sdkErrors.unauthorized.wrap(`cannot build the amino JSON sign doc: ${err.message}`);
  throw err;
}

/** The tx's part of its StdSignDoc; throws sdk/37 for a message without an amino name, sdk/4 for one amino JSON cannot express. */
export function aminoSignBody(body: TxBody, fee: Fee): AminoSignBody {
  const enc = aminoJsonEncoder();
  try {
    const msgs = body.messages.map((any) => {
      if (enc.aminoName(any.typeUrl) === undefined) {
        throw sdkErrors.notSupported.wrap(`${any.typeUrl} has no amino name, so it cannot be signed with SIGN_MODE_LEGACY_AMINO_JSON: sign it with SIGN_MODE_DIRECT`);
      }
      return enc.any(any.typeUrl, any.value);
    });
    const coin = enc.schema("/cosmos.base.v1beta1.Coin");
    const amount = fee.amount.map((c) => enc.message(reflect(coin, create(coin, { denom: c.denom, amount: c.amount }))));
    const feeJson = `{"amount":[${amount.join(",")}],"gas":"${fee.gasLimit}"` +
      (fee.granter ? `,"granter":${goJsonString(fee.granter)}` : "") + (fee.payer ? `,"payer":${goJsonString(fee.payer)}` : "") + "}";
    return { fee: feeJson, memo: goJsonString(body.memo), msgs: `[${msgs.join(",")}]`, timeoutHeight: body.timeoutHeight };
  } catch (err) {
    return signDocError(err);
  }
}

/** The bytes one signer signs: its StdSignDoc, keys sorted, UTF-8. */
export function aminoSignBytes(body: AminoSignBody, chainId: string, accountNumber: bigint, sequence: bigint): Uint8Array {
  const timeout = body.timeoutHeight > 0n ? `,"timeout_height":"${body.timeoutHeight}"` : "";
  return Buffer.from(
    `{"account_number":"${accountNumber}","chain_id":${goJsonString(chainId)},"fee":${body.fee},"memo":${body.memo},` +
      `"msgs":${body.msgs},"sequence":"${sequence}"${timeout}}`,
    "utf8",
  );
}
