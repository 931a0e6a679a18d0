import fs from "node:fs";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { Keyring, type KeyringBackend } from "../../chain/keyring/keyring.ts";
import { loadOrCreatePeerKey } from "../../workers/p2p/peer-key.ts";
import { configTemplate, type TemplatePorts } from "./config.ts";
import { agentPaths } from "./home.ts";

export interface InitOptions {
  home: string;
  chainRpc: string;
  chainId: string;
  region: string;
  keyringBackend: KeyringBackend;
  ports: TemplatePorts;
  /** recover the operator key instead of generating one */
  mnemonic?: string;
  password?: () => Promise<string>;
}

/** Creates an agent home: the operator key, the libp2p identity and a commented config.toml. */
export async function initAgentHome(o: InitOptions): Promise<{ operator: string; peerId: string; mnemonic: string; config: string }> {
  const paths = agentPaths(o.home);
  if (fs.existsSync(paths.config)) throw new Error(`${paths.config} exists: this home is already initialised`);
  for (const [name, port] of Object.entries(o.ports)) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} port must be 0..65535, got ${port}`);
  }
  fs.mkdirSync(o.home, { recursive: true, mode: 0o700 });
  const key = await new Keyring(o.home, o.keyringBackend, o.password).add("operator", o.mnemonic);
  const peerKey = await loadOrCreatePeerKey(paths.peerKey);
  fs.writeFileSync(paths.config, configTemplate({ chainRpc: o.chainRpc, chainId: o.chainId, region: o.region, keyringBackend: o.keyringBackend, ports: o.ports }));
  return { operator: key.address, peerId: peerIdFromPrivateKey(peerKey).toString(), mnemonic: key.mnemonic, config: paths.config };
}
