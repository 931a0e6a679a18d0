import { Option } from "commander";
import { Keyring, type KeyringBackend } from "../../../chain/keyring/keyring.ts";
import { readPassword } from "../../common/prompt.ts";
import { DEFAULT_HOME } from "../node/default-home.ts";

/** arod's own options: its home folder, the node it talks to, its keyring. */
export const homeOption = () => new Option("--home <dir>", "node home folder").default(process.env.AROD_HOME ?? DEFAULT_HOME);
export const nodeOption = () => new Option("--node <url>", "CometBFT RPC of a node").default(process.env.AROD_NODE ?? "http://127.0.0.1:26657");

export function openKeyring(home: string, backend: string): Keyring {
  return new Keyring(home, backend as KeyringBackend, async () => process.env.AROD_KEYRING_PASSWORD ?? (await readPassword("keyring password: ")));
}
