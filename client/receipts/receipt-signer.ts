import fs from "node:fs";
import { Bip39, EnglishMnemonic, Secp256k1, Slip10, Slip10Curve, sha256, stringToPath } from "@cosmjs/crypto";
import type { Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { addressFromBytes } from "../../chain/address.ts";
import { receiptSignBytes } from "../../chain/delivery-receipt.ts";
import { addressBytesOf } from "../../chain/crypto/secp256k1.ts";

/** A client's receipt-signing key (secp256k1, the same kind as its account key). */
export class ReceiptSigner {
  readonly pubkey: Uint8Array;
  readonly address: string;

  private constructor(private readonly privkey: Uint8Array, pubkey: Uint8Array) {
    this.pubkey = Secp256k1.compressPubkey(pubkey);
    this.address = addressFromBytes(addressBytesOf(this.pubkey));
  }

  static async fromPrivateKey(privkey: Uint8Array): Promise<ReceiptSigner> {
    const kp = await Secp256k1.makeKeypair(privkey);
    return new ReceiptSigner(privkey, kp.pubkey);
  }

  /** The key of account 0 of a mnemonic (m/44'/118'/0'/0/0, as the keyring derives it). */
  static async fromMnemonic(mnemonic: string): Promise<ReceiptSigner> {
    const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(mnemonic.trim().split(/\s+/).join(" ")));
    return ReceiptSigner.fromPrivateKey(Slip10.derivePath(Slip10Curve.Secp256k1, seed, stringToPath("m/44'/118'/0'/0/0")).privkey);
  }

  /** A Cosmos-style secp256k1 signature (64-byte r‖s, low S) over sha256(message), as verifySecp256k1 checks it. */
  async signMessage(message: Uint8Array): Promise<Uint8Array> {
    const sig = await Secp256k1.createSignature(sha256(message), this.privkey);
    return new Uint8Array([...sig.r(32), ...sig.s(32)]);
  }

  /** Running totals this key has signed, per "<node>/<epoch>". */
  private readonly totals = new Map<string, bigint>();
  private totalsFile?: string;

  /**
   * Keeps the running totals in `file` too, so a client that runs again in the same epoch
   * (the CLI: one process per fetch) continues its totals instead of starting over, which
   * the node would refuse. Only the latest epochs' totals are kept (the file stays small).
   */
  persistTotals(file: string): this {
    this.totalsFile = file;
    if (fs.existsSync(file)) {
      const saved = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
      for (const [k, v] of Object.entries(saved)) if (/^\d+\/\d+$/.test(k) && /^\d+$/.test(v)) this.totals.set(k, BigInt(v));
    }
    return this;
  }

  private saveTotals(): void {
    if (!this.totalsFile) return;
    const latest = [...this.totals.keys()].map((k) => BigInt(k.split("/")[1])).reduce((a, b) => (a > b ? a : b), 0n);
    const kept = [...this.totals].filter(([k]) => BigInt(k.split("/")[1]) + 4n > latest).map(([k, v]) => [k, v.toString()]);
    const tmp = `${this.totalsFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries(kept)));
    fs.renameSync(tmp, this.totalsFile);
  }

  /**
   * Signs a delivery: what the node may put in its claim for the epoch. Its total_bytes is
   * this key's running total to the node in the epoch (kept here), unless given.
   */
  async sign(r: Omit<Receipt, "client" | "clientPubkey" | "signature" | "bytes" | "totalBytes"> & { totalBytes?: bigint }): Promise<Receipt> {
    const bytes = r.rangeEnd - r.rangeStart;
    const key = `${r.nodeId}/${r.epoch}`;
    const totalBytes = r.totalBytes ?? (this.totals.get(key) ?? 0n) + bytes;
    if (totalBytes > (this.totals.get(key) ?? 0n)) {
      this.totals.set(key, totalBytes);
      this.saveTotals();
    }
    const unsigned: Receipt = { ...r, client: this.address, clientPubkey: this.pubkey, bytes, totalBytes, signature: new Uint8Array() };
    const signBytes = receiptSignBytes(unsigned);
    const sig = await Secp256k1.createSignature(sha256(signBytes), this.privkey);
    return { ...unsigned, signature: new Uint8Array([...sig.r(32), ...sig.s(32)]) };
  }
}
