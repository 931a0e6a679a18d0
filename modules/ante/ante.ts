import { addressFromBytes } from "../../chain/address.ts";
import { BASE_DENOM, formatCoins } from "../../chain/coins.ts";
import { addressBytesOf, verifySecp256k1 } from "../../chain/crypto/secp256k1.ts";
import { sdkErrors } from "../../chain/errors.ts";
import type { Context } from "../../chain/module.ts";
import type { DecodedTx } from "../../chain/tx/decode.ts";
import type { AnteOptions } from "../../chain/tx/ante-options.ts";
import { requiredFee } from "../../chain/tx/min-gas-price.ts";
import { SignatureCache } from "../../chain/tx/signature-cache.ts";
import { signBytesOf } from "../../chain/tx/sign-bytes.ts";
import { bankKeeper, authKeeper, FEE_COLLECTOR } from "./expected.ts";

/**
 * The ante handler: every check a tx passes before its messages run, and the fee and
 * sequence bookkeeping that sticks even when a message later fails.
 */
export function runAnte(ctx: Context, tx: DecodedTx, opts: AnteOptions): void {
  const params = authKeeper.getParams(ctx.store);
  const { block, mode } = ctx;

  if (tx.body.timeoutHeight > 0n && block.height > tx.body.timeoutHeight) {
    throw sdkErrors.txTimeoutHeight.wrap(`block height: ${block.height}, timeout height: ${tx.body.timeoutHeight}`);
  }
  // the SDK counts the memo's UTF-8 bytes (Go's len), not UTF-16 units
  const memoBytes = Buffer.byteLength(tx.body.memo, "utf8");
  if (BigInt(memoBytes) > params.maxMemoCharacters) {
    throw sdkErrors.memoTooLarge.wrap(`maximum number of characters is ${params.maxMemoCharacters} but received ${memoBytes} characters`);
  }
  if (BigInt(tx.signers.length) > params.txSigLimit) {
    throw sdkErrors.tooManySignatures.wrap(`signatures: ${tx.signers.length}, limit: ${params.txSigLimit}`);
  }
  if (opts.maxBlockGas !== undefined && tx.gasLimit > opts.maxBlockGas) {
    throw sdkErrors.invalidGasLimit.wrap(`tx gas limit ${tx.gasLimit} exceeds the block gas limit ${opts.maxBlockGas}`);
  }

  let sizeForGas = BigInt(tx.bytes.length);
  // Simulated txs carry empty signatures: charge for the 64 bytes a real one will have.
  if (mode === "simulate") for (const s of tx.signers) if (s.signature.length === 0) sizeForGas += 64n;
  ctx.gas.consume(params.txSizeCostPerByte * sizeForGas, "txSize");

  if ((mode === "check" || mode === "recheck") && opts.minGasPrice) {
    const need = requiredFee(opts.minGasPrice, tx.gasLimit);
    const paid = tx.fee.find((c) => c.denom === opts.minGasPrice!.denom)?.amount ?? 0n;
    if (paid < need) {
      throw sdkErrors.insufficientFee.wrap(`got: ${formatCoins(tx.fee) || "0" + opts.minGasPrice.denom} required: ${need}${opts.minGasPrice.denom}`);
    }
  }

  const accounts = tx.signers.map((signer, i) => {
    const account = authKeeper.getAccount(ctx.store, signer.address);
    if (!account) throw sdkErrors.unknownAddress.wrap(`account ${signer.address} does not exist`);
    let pubKey = account.pubKey;
    if (!pubKey) {
      if (!signer.pubKey) throw sdkErrors.invalidPubKey.wrap(`signer ${i} (${signer.address}) has no public key on chain and none in the tx`);
      if (addressFromBytes(addressBytesOf(signer.pubKey)) !== signer.address) {
        throw sdkErrors.invalidPubKey.wrap(`pubKey does not match signer address ${signer.address} with signer index: ${i}`);
      }
      pubKey = signer.pubKey;
    } else if (signer.pubKey && Buffer.compare(Buffer.from(signer.pubKey), Buffer.from(pubKey)) !== 0) {
      throw sdkErrors.invalidPubKey.wrap(`signer ${i}: the public key in the tx differs from the one on chain for ${signer.address}`);
    }
    if (signer.sequence !== account.sequence) {
      throw sdkErrors.wrongSequence.wrap(`account sequence mismatch, expected ${account.sequence}, got ${signer.sequence}`);
    }
    ctx.gas.consume(params.sigVerifyCostSecp256k1, "ante verify: secp256k1");
    if (mode !== "simulate") {
      const signBytes = signBytesOf(tx, signer, block.chainId, account.accountNumber, account.sequence);
      const cacheKey = SignatureCache.key(signBytes, pubKey, signer.signature);
      if (opts.sigCache.has(cacheKey)) {
        if (mode === "finalize") opts.sigCache.delete(cacheKey);
      } else if (verifySecp256k1(signBytes, signer.signature, pubKey)) {
        if (mode === "check") opts.sigCache.add(cacheKey);
      } else {
        throw sdkErrors.unauthorized.wrap(
          `signature verification failed; please verify account number (${account.accountNumber}), sequence (${account.sequence}) and chain-id (${block.chainId})`,
        );
      }
    }
    return { ...account, pubKey };
  });

  const payer = accounts[0].address;
  if (mode === "simulate" && tx.fee.length === 0) {
    // Clients simulate with an empty fee; charge the gas of a real fee transfer so
    // the estimate covers it (this state is thrown away).
    try {
      bankKeeper.sendFromAccountToModule(ctx, payer, FEE_COLLECTOR, [{ denom: opts.minGasPrice?.denom ?? BASE_DENOM, amount: 1n }]);
    } catch (err) {
      if (!sdkErrors.insufficientFunds.is(err)) throw err;
    }
  }
  if (tx.fee.length > 0) {
    try {
      bankKeeper.sendFromAccountToModule(ctx, payer, FEE_COLLECTOR, tx.fee);
    } catch (err) {
      if (sdkErrors.insufficientFunds.is(err)) throw sdkErrors.insufficientFunds.wrap(`insufficient funds to pay fee ${formatCoins(tx.fee)}: ${(err as Error).message}`);
      throw err;
    }
  }
  ctx.events.emit("tx", { fee: formatCoins(tx.fee), fee_payer: payer });
  for (const a of accounts) {
    authKeeper.setAccount(ctx.store, { ...a, sequence: a.sequence + 1n });
    ctx.events.emit("tx", { acc_seq: `${a.address}/${a.sequence}` });
  }
  for (const s of tx.signers) ctx.events.emit("tx", { signature: Buffer.from(s.signature).toString("base64") });
}
