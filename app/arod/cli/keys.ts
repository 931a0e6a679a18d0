import fs from "node:fs";
import { Command } from "commander";
import { action, keyringOption, outputOption, print } from "../../common/cli.ts";
import { homeOption, openKeyring } from "./options.ts";
import { readPassword } from "../../common/prompt.ts";

/** The passphrase of an exported key: AROD_KEY_PASSPHRASE, or asked at the terminal. */
async function passphrase(question: string): Promise<string> {
  const fromEnv = process.env.AROD_KEY_PASSPHRASE;
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) throw new Error("no terminal to ask for the passphrase: set AROD_KEY_PASSPHRASE");
  return readPassword(question);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function keysCommand(): Command {
  const keys = new Command("keys").description("manage the keys of the local keyring (BIP39, secp256k1, coin type 118)");
  keys
    .command("add <name>")
    .description("create a key from a new 24-word mnemonic (printed once) or recover one")
    .addOption(homeOption())
    .addOption(keyringOption())
    .addOption(outputOption())
    .option("--recover", "read an existing mnemonic from stdin instead of generating one")
    .option("--mnemonic-file <file>", "read the mnemonic to recover from a file")
    .action(action(async (name: string, o) => {
      const mnemonic = o.mnemonicFile ? fs.readFileSync(o.mnemonicFile, "utf8") : o.recover ? await readStdin() : undefined;
      const key = await openKeyring(o.home, o.keyringBackend).add(name, mnemonic);
      const shown = mnemonic ? { ...key, mnemonic: undefined } : key;
      print(shown, o.output);
      if (!mnemonic) console.error("\n**Write the mnemonic down and keep it safe: it is the only way to recover this key.**");
    }));
  keys
    .command("list")
    .description("list the keys")
    .addOption(homeOption())
    .addOption(keyringOption())
    .addOption(outputOption())
    .action(action((o) => print(openKeyring(o.home, o.keyringBackend).list(), o.output)));
  keys
    .command("show <name>")
    .description("show a key's address and public key")
    .addOption(homeOption())
    .addOption(keyringOption())
    .addOption(outputOption())
    .option("-a, --address", "print only the address")
    .action(action((name: string, o) => {
      const k = openKeyring(o.home, o.keyringBackend).show(name);
      if (o.address) console.log(k.address);
      else print(k, o.output);
    }));
  keys
    .command("delete <name>")
    .description("delete a key (its funds stay on chain; only the mnemonic can bring the key back)")
    .addOption(homeOption())
    .addOption(keyringOption())
    .option("-y, --yes", "do not ask for confirmation")
    .action(action((name: string, o) => {
      if (!o.yes) throw new Error(`deleting key ${name} cannot be undone: pass --yes to confirm`);
      openKeyring(o.home, o.keyringBackend).delete(name);
      console.log(`key ${name} deleted`);
    }));
  keys
    .command("export <name>")
    .description("print a key's private key armored and encrypted with a passphrase (AROD_KEY_PASSPHRASE or asked), as `simd keys export` does")
    .addOption(homeOption())
    .addOption(keyringOption())
    .action(action(async (name: string, o) => {
      const keyring = openKeyring(o.home, o.keyringBackend);
      keyring.show(name); // a missing key fails before any passphrase is asked
      const pass = await passphrase("passphrase to encrypt the exported key: ");
      if (pass.length < 8) throw new Error("the export passphrase must be at least 8 characters");
      console.log(await keyring.exportArmored(name, pass));
    }));
  keys
    .command("import <name> <keyfile>")
    .description("add a key from an armored private key file (`simd keys export`, `arod keys export`), decrypted with its passphrase (AROD_KEY_PASSPHRASE or asked)")
    .addOption(homeOption())
    .addOption(keyringOption())
    .addOption(outputOption())
    .action(action(async (name: string, keyfile: string, o) => {
      let armored: string;
      try {
        if (fs.statSync(keyfile).size > 64 * 1024) throw new Error("larger than 64 KiB, not an armored key");
        armored = fs.readFileSync(keyfile, "utf8");
      } catch (err) {
        throw new Error(`cannot read key file ${keyfile}: ${(err as Error).message}`);
      }
      print(await openKeyring(o.home, o.keyringBackend).importArmored(name, armored, await passphrase("passphrase to decrypt the key: ")), o.output);
    }));
  return keys;
}
