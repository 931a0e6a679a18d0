import fs from "node:fs";
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from "@libp2p/crypto/keys";
import type { PrivateKey } from "@libp2p/interface";

/** The node's libp2p identity (Ed25519), created once and kept in `file` (mode 0600). */
export async function loadOrCreatePeerKey(file: string): Promise<PrivateKey> {
  if (fs.existsSync(file)) {
    const raw = fs.readFileSync(file, "utf8").trim();
    try {
      return privateKeyFromProtobuf(Buffer.from(raw, "base64"));
    } catch (err) {
      throw new Error(`${file} does not hold a libp2p private key: ${(err as Error).message}`);
    }
  }
  const key = await generateKeyPair("Ed25519");
  fs.writeFileSync(file, Buffer.from(privateKeyToProtobuf(key)).toString("base64") + "\n", { mode: 0o600 });
  return key;
}
