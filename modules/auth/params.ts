import { Params } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { sdkErrors } from "../../chain/errors.ts";

export const defaultAuthParams: Params = {
  maxMemoCharacters: 256n,
  txSigLimit: 7n,
  txSizeCostPerByte: 10n,
  sigVerifyCostEd25519: 590n,
  sigVerifyCostSecp256k1: 1000n,
};

export function validateAuthParams(p: Params): void {
  for (const [name, v] of Object.entries(p)) {
    if (typeof v !== "bigint" || v <= 0n) throw sdkErrors.invalidRequest.wrap(`auth param ${name} must be positive, got ${String(v)}`);
  }
}

export function authParamsToJson(p: Params): Record<string, string> {
  return {
    max_memo_characters: p.maxMemoCharacters.toString(),
    tx_sig_limit: p.txSigLimit.toString(),
    tx_size_cost_per_byte: p.txSizeCostPerByte.toString(),
    sig_verify_cost_ed25519: p.sigVerifyCostEd25519.toString(),
    sig_verify_cost_secp256k1: p.sigVerifyCostSecp256k1.toString(),
  };
}

export function authParamsFromJson(j: Record<string, unknown> | undefined): Params {
  if (!j) return defaultAuthParams;
  const num = (k: string, d: bigint) => (j[k] === undefined ? d : BigInt(String(j[k])));
  const p: Params = {
    maxMemoCharacters: num("max_memo_characters", defaultAuthParams.maxMemoCharacters),
    txSigLimit: num("tx_sig_limit", defaultAuthParams.txSigLimit),
    txSizeCostPerByte: num("tx_size_cost_per_byte", defaultAuthParams.txSizeCostPerByte),
    sigVerifyCostEd25519: num("sig_verify_cost_ed25519", defaultAuthParams.sigVerifyCostEd25519),
    sigVerifyCostSecp256k1: num("sig_verify_cost_secp256k1", defaultAuthParams.sigVerifyCostSecp256k1),
  };
  validateAuthParams(p);
  return p;
}
