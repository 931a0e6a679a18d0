import fs from "node:fs";
import path from "node:path";
import type { DirectSecp256k1HdWallet, OfflineDirectSigner } from "@cosmjs/proto-signing";
import { BECH32_PREFIX } from "../address.ts";
import { sdkErrors } from "../errors.ts";

/** CosmJS's wallets and the armor's ciphers, loaded when key material is needed (listing keys stays quick). */
const cosmjs = () => import("@cosmjs/proto-signing");
const keyArmor = () => import("./key-armor.ts");

export type KeyringBackend = "file" | "test";

export interface KeyInfo {
  readonly name: string;
  readonly address: string;
  /** base64 compressed secp256k1 public key */
  readonly pubkey: string;
  readonly type: "local";
  readonly algo: "secp256k1";
}

interface KeyFile extends KeyInfo {
  /** file backend: the wallet encrypted with the keyring password (argon2id + xchacha20poly1305, by CosmJS). */
  readonly encrypted?: string;
  /** test backend: the mnemonic in clear, like the SDK's test keyring. Never for real funds. */
  readonly mnemonic?: string;
  /** An imported private key (no mnemonic), file backend: armored and encrypted with the keyring password (key-armor.ts). */
  readonly armor?: string;
  /** An imported private key, test backend: hex in clear. */
  readonly privkey?: string;
}

const NAME_RE = /^[a-zA-Z0-9_.-]{1,64}$/;

/**
 * A keyring in a folder of JSON files, one per key. BIP39 mnemonics, coin type 118
 * (m/44'/118'/0'/0/0), bech32 prefix "aro".
 */
export class Keyring {
  readonly dir: string;

  constructor(home: string, readonly backend: KeyringBackend, private readonly password?: () => Promise<string>) {
    if (backend !== "file" && backend !== "test") throw new Error(`unknown keyring backend ${JSON.stringify(backend)} (use file or test)`);
    this.dir = path.join(home, `keyring-${backend}`);
  }

  private file(name: string): string {
    if (!NAME_RE.test(name)) throw new Error(`invalid key name ${JSON.stringify(name)}: use letters, digits, "_", "-", "." (max 64)`);
    return path.join(this.dir, `${name}.json`);
  }

  private async secret(): Promise<string> {
    if (!this.password) throw new Error("the file keyring needs a password: set AROD_KEYRING_PASSWORD or use --keyring-backend test");
    const pw = await this.password();
    if (pw.length < 8) throw new Error("keyring password must be at least 8 characters");
    return pw;
  }

  /** Creates a key from a new 24-word mnemonic, or recovers one from `mnemonic`. */
  async add(name: string, mnemonic?: string): Promise<KeyInfo & { mnemonic: string }> {
    const file = this.file(name);
    if (fs.existsSync(file)) throw new Error(`key ${name} already exists in ${this.dir}`);
    const { DirectSecp256k1HdWallet } = await cosmjs();
    const wallet = mnemonic
      ? await DirectSecp256k1HdWallet.fromMnemonic(mnemonic.trim().split(/\s+/).join(" "), { prefix: BECH32_PREFIX })
      : await DirectSecp256k1HdWallet.generate(24, { prefix: BECH32_PREFIX });
    const [account] = await wallet.getAccounts();
    const info: KeyInfo = { name, address: account.address, pubkey: Buffer.from(account.pubkey).toString("base64"), type: "local", algo: "secp256k1" };
    const record: KeyFile = this.backend === "test" ? { ...info, mnemonic: wallet.mnemonic } : { ...info, encrypted: await wallet.serialize(await this.secret()) };
    this.write(file, record);
    return { ...info, mnemonic: wallet.mnemonic };
  }

  private write(file: string, record: KeyFile): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, JSON.stringify(record, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  }

  /** Adds a key from `simd keys export`'s armored private key, decrypted with `passphrase`. */
  async importArmored(name: string, armored: string, passphrase: string): Promise<KeyInfo> {
    const file = this.file(name);
    if (fs.existsSync(file)) throw new Error(`key ${name} already exists in ${this.dir}`);
    const { encryptArmorPrivKey, unarmorDecryptPrivKey } = await keyArmor();
    const privkey = unarmorDecryptPrivKey(armored, passphrase);
    const { DirectSecp256k1Wallet } = await cosmjs();
    const [account] = await (await DirectSecp256k1Wallet.fromKey(privkey, BECH32_PREFIX)).getAccounts();
    const info: KeyInfo = { name, address: account.address, pubkey: Buffer.from(account.pubkey).toString("base64"), type: "local", algo: "secp256k1" };
    const hex = Buffer.from(privkey).toString("hex");
    this.write(file, this.backend === "test" ? { ...info, privkey: hex } : { ...info, armor: encryptArmorPrivKey(privkey, await this.secret()) });
    return info;
  }

  /** The key's private key, armored and encrypted with `passphrase` as `simd keys export` writes it. */
  async exportArmored(name: string, passphrase: string): Promise<string> {
    const { encryptArmorPrivKey } = await keyArmor();
    return encryptArmorPrivKey(await this.privateKey(this.read(name)), passphrase);
  }

  /** The 32-byte secp256k1 private key of a record (m/44'/118'/0'/0/0 of its mnemonic, or the imported key). */
  private async privateKey(file: KeyFile): Promise<Uint8Array> {
    if (file.privkey) return Uint8Array.from(Buffer.from(file.privkey, "hex"));
    if (file.armor) return (await keyArmor()).unarmorDecryptPrivKey(file.armor, await this.secret());
    const mnemonic = file.mnemonic ?? (await this.wallet(file.name)).mnemonic;
    const [{ Bip39, EnglishMnemonic, Slip10, Slip10Curve }, { makeCosmoshubPath }] = await Promise.all([import("@cosmjs/crypto"), cosmjs()]);
    const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(mnemonic));
    return Slip10.derivePath(Slip10Curve.Secp256k1, seed, makeCosmoshubPath(0)).privkey;
  }

  list(): KeyInfo[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs.readdirSync(this.dir).filter((f) => f.endsWith(".json")).sort().map((f) => this.read(f.slice(0, -5)));
  }

  private read(name: string): KeyFile {
    const file = this.file(name);
    if (!fs.existsSync(file)) throw new Error(`key ${name} not found in ${this.dir}`);
    return JSON.parse(fs.readFileSync(file, "utf8")) as KeyFile;
  }

  show(name: string): KeyInfo {
    const { encrypted: _e, mnemonic: _m, ...info } = this.read(name);
    return info;
  }

  delete(name: string): void {
    this.read(name);
    fs.rmSync(this.file(name));
  }

  private byNameOrAddress(nameOrAddress: string): KeyFile {
    const rec = nameOrAddress.startsWith(BECH32_PREFIX + "1") ? this.list().find((k) => k.address === nameOrAddress) : undefined;
    return this.read(rec ? rec.name : nameOrAddress);
  }

  /** Name or address → a direct signer for SigningStargateClient, whether the key has a mnemonic or was imported. */
  async signer(nameOrAddress: string): Promise<OfflineDirectSigner> {
    const file = this.byNameOrAddress(nameOrAddress);
    if (!file.privkey && !file.armor) return this.wallet(file.name);
    const { DirectSecp256k1Wallet } = await cosmjs();
    return DirectSecp256k1Wallet.fromKey(await this.privateKey(file), BECH32_PREFIX);
  }

  /** Name or address → the key's HD wallet (with its mnemonic); an imported key has none. */
  async wallet(nameOrAddress: string): Promise<DirectSecp256k1HdWallet> {
    const file = this.byNameOrAddress(nameOrAddress);
    if (file.privkey || file.armor) throw sdkErrors.invalidType.wrap(`key ${file.name} was imported from a private key and has no mnemonic`);
    const { DirectSecp256k1HdWallet } = await cosmjs();
    if (file.mnemonic) return DirectSecp256k1HdWallet.fromMnemonic(file.mnemonic, { prefix: BECH32_PREFIX });
    if (!file.encrypted) throw new Error(`key ${file.name} has no secret material`);
    try {
      return await DirectSecp256k1HdWallet.deserialize(file.encrypted, await this.secret());
    } catch (err) {
      throw new Error(`cannot unlock key ${file.name}: wrong password? (${(err as Error).message})`);
    }
  }
}
