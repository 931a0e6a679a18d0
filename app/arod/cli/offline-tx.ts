import fs from "node:fs";
import { Command } from "commander";
import type { EncodeObject, OfflineDirectSigner } from "@cosmjs/proto-signing";
import type { StdFee } from "@cosmjs/stargate";
import { AuthInfo, SignDoc, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { BECH32_PREFIX, validateAddress } from "../../../chain/address.ts";
import { action, keyringOption, parseId, print } from "../../common/cli.ts";
import { abciRpc, nodeRpc } from "./node-rpc.ts";
import { homeOption, nodeOption, openKeyring } from "./options.ts";
import { TxJson, type TxParts } from "./tx-json.ts";

/**
 * Offline signing as in the Cosmos SDK: `arod tx ... --generate-only` prints the unsigned tx,
 * `arod tx sign <file> --from <key>` signs it (SIGN_MODE_DIRECT; with --offline from the
 * account number and sequence given, else from the node), `arod tx broadcast <file>` sends it.
 */

/** The unsigned tx of `msgs` from `address` with `fee`, printed in the SDK's JSON. */
export function printUnsigned(msgs: readonly EncodeObject[], encode: (m: EncodeObject) => { typeUrl: string; value: Uint8Array }, fee: StdFee, memo: string): void {
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: msgs.map(encode), memo })).finish();
  const authInfoBytes = AuthInfo.encode(AuthInfo.fromPartial({ signerInfos: [], fee: { amount: [...fee.amount], gasLimit: BigInt(fee.gas), payer: fee.payer ?? "", granter: fee.granter ?? "" } })).finish();
  print(new TxJson().toJson({ bodyBytes, authInfoBytes, signatures: [] }));
}

function readTxFile(file: string): TxParts {
  let text: string;
  try {
    text = file === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`cannot read tx file ${file}: ${(err as Error).message}`);
  }
  if (text.length > 4 * 1024 * 1024) throw new Error(`${file}: larger than 4 MiB, not a tx file`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not JSON: ${(err as Error).message}`);
  }
  return new TxJson().fromJson(json, file);
}

/** Account number and sequence of `address`, and the chain id, from the node. */
async function accountFromNode(node: string, address: string) {
  const [{ QueryClientImpl }, { accountFromAny }] = await Promise.all([import("cosmjs-types/cosmos/auth/v1beta1/query"), import("@cosmjs/stargate")]);
  const auth = new QueryClientImpl(abciRpc(node));
  const res = await auth.Account({ address }).catch((err: Error) => {
    throw new Error(/not found/i.test(err.message) ? `account ${address} not found on the node (it has never received coins): it cannot sign yet` : err.message);
  });
  if (!res.account) throw new Error(`account ${address} not found on the node`);
  const account = accountFromAny(res.account);
  const status = await nodeRpc(node).call<{ node_info: { network: string } }>("status");
  return { accountNumber: BigInt(account.accountNumber), sequence: BigInt(account.sequence), chainId: status.node_info.network };
}

async function signTx(parts: TxParts, signer: OfflineDirectSigner, o: any) {
  const [account] = await signer.getAccounts();
  if (o.offline && !o.chainId) throw new Error("--offline needs --chain-id (and --account-number, --sequence)");
  const given = () => ({ accountNumber: parseId(o.accountNumber ?? "", "--account-number"), sequence: parseId(o.sequence ?? "", "--sequence"), chainId: String(o.chainId) });
  const { accountNumber, chainId, ...fromNode } = o.offline ? given() : await accountFromNode(o.node, account.address);
  let sequence = fromNode.sequence;
  if (!o.offline && o.chainId && o.chainId !== chainId) throw new Error(`--chain-id ${o.chainId} does not match the node's chain id ${chainId}`);
  if (!o.offline && o.sequence !== undefined) sequence = parseId(o.sequence, "--sequence");
  const { encodePubkey } = await import("@cosmjs/proto-signing");
  const { encodeSecp256k1Pubkey } = await import("@cosmjs/amino");
  const authInfo = AuthInfo.decode(parts.authInfoBytes);
  if (authInfo.signerInfos.length > 0) throw new Error("the tx is already signed (it has signer infos); sign the unsigned file from --generate-only");
  authInfo.signerInfos = [{ publicKey: encodePubkey(encodeSecp256k1Pubkey(account.pubkey)), modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } }, sequence }];
  const authInfoBytes = AuthInfo.encode(authInfo).finish();
  const { signature } = await signer.signDirect(account.address, SignDoc.fromPartial({ bodyBytes: parts.bodyBytes, authInfoBytes, chainId, accountNumber }));
  return { bodyBytes: parts.bodyBytes, authInfoBytes, signatures: [new Uint8Array(Buffer.from(signature.signature, "base64"))] };
}

export function signCommand(): Command {
  return new Command("sign")
    .argument("<file>", "the unsigned tx (JSON from --generate-only; - reads stdin)")
    .description("sign a tx file with a key of the keyring (SIGN_MODE_DIRECT); prints the signed tx as JSON")
    .addOption(homeOption())
    .addOption(nodeOption())
    .addOption(keyringOption())
    .requiredOption("--from <key>", "key name or address that signs")
    .option("--offline", "do not ask the node: take --account-number, --sequence and --chain-id as given")
    .option("--account-number <n>", "the signer's account number (with --offline)")
    .option("--sequence <n>", "the signer's sequence (with --offline; online it overrides the node's)")
    .option("--chain-id <id>", "the chain id (required with --offline; online it must match the node's)")
    .option("--output-document <file>", "write the signed tx to this file instead of printing it")
    .action(action(async (file: string, o) => {
      if (o.from.startsWith(BECH32_PREFIX + "1")) validateAddress(o.from, "--from");
      const parts = readTxFile(file);
      const signer = await openKeyring(o.home, o.keyringBackend).signer(o.from);
      const json = new TxJson().toJson(await signTx(parts, signer, o));
      if (o.outputDocument) fs.writeFileSync(o.outputDocument, JSON.stringify(json, null, 2) + "\n");
      else print(json);
    }));
}

export function broadcastCommand(): Command {
  return new Command("broadcast")
    .argument("<file>", "the signed tx (JSON from tx sign; - reads stdin)")
    .description("send a signed tx file to the node (sync: answers after CheckTx; query tx <hash> shows its inclusion)")
    .addOption(nodeOption())
    .action(action(async (file: string, o) => {
      const parts = readTxFile(file);
      if (parts.signatures.length === 0) throw new Error(`${file} has no signatures: sign it first (arod tx sign ${file} --from <key>)`);
      const tx = TxRaw.encode({ bodyBytes: parts.bodyBytes, authInfoBytes: parts.authInfoBytes, signatures: [...parts.signatures] }).finish();
      const r = await nodeRpc(o.node).call<{ code?: number; codespace?: string; log?: string; hash: string; data?: string }>("broadcast_tx_sync", { tx: Buffer.from(tx).toString("base64") });
      print({ height: "0", txhash: r.hash, codespace: r.codespace ?? "", code: r.code ?? 0, data: Buffer.from(r.data ?? "", "base64").toString("hex").toUpperCase(), raw_log: r.log ?? "" });
      if (r.code) process.exitCode = 1;
    }));
}
