import { SignDoc } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { sdkErrors } from "../errors.ts";
import { aminoSignBytes } from "./amino-sign-doc.ts";
import type { DecodedTx, SignerSlot } from "./decode.ts";

/**
 * The bytes a signer signed (the signature is over their sha256): in SIGN_MODE_DIRECT the
 * SignDoc (body and auth info bytes, chain id, account number), in
 * SIGN_MODE_LEGACY_AMINO_JSON the StdSignDoc (amino-sign-doc.ts).
 */
export function signBytesOf(tx: DecodedTx, signer: SignerSlot, chainId: string, accountNumber: bigint, sequence: bigint): Uint8Array {
  if (signer.mode === "amino-json") {
    if (!tx.amino) throw sdkErrors.internal.wrap("amino JSON signer in a tx decoded without its amino sign doc");
    return aminoSignBytes(tx.amino, chainId, accountNumber, sequence);
  }
  return SignDoc.encode({ bodyBytes: tx.raw.bodyBytes, authInfoBytes: tx.raw.authInfoBytes, chainId, accountNumber }).finish();
}
