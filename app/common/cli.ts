import { Command, Option } from "commander";
import type { StargateClient } from "@cosmjs/stargate";
import { parseCoins, toWireCoins } from "../../chain/coins.ts";

/** What arod's and aro-agent's commands share: options, output, errors, argument parsing. */
export const keyringOption = () =>
  new Option("--keyring-backend <backend>", "file (encrypted, password from AROD_KEYRING_PASSWORD or a prompt) or test (unencrypted)")
    .choices(["file", "test"])
    .default("file");
export const outputOption = () => new Option("-o, --output <format>", "output format").choices(["json", "text"]).default("json");

export function print(data: unknown, format = "json"): void {
  const json = JSON.stringify(data, (_k, v) => (typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v), 2);
  if (format === "text" && data && typeof data === "object") {
    for (const [k, v] of Object.entries(data)) console.log(`${k}: ${typeof v === "object" ? JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)) : String(v)}`);
  } else {
    console.log(json);
  }
}

export async function connect(node: string): Promise<StargateClient> {
  const { StargateClient } = await import("@cosmjs/stargate"); // loaded by the commands that talk to a node, not at every start
  try {
    return await StargateClient.connect(node);
  } catch (err) {
    throw new Error(`cannot reach a node at ${node}: ${(err as Error).message}`);
  }
}

/** Wraps an action so errors print as one line and exit 1, not a stack trace. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      console.error(`Error: ${(err as Error).message}`);
      process.exitCode = 1;
    }
  };
}

export type { Command };

/** A whole-number CLI argument (ids, epochs, heights) as a bigint. */
export function parseId(text: string, what: string): bigint {
  if (!/^\d+$/.test(text)) throw new Error(`${what} must be a whole number, got ${JSON.stringify(text)}`);
  return BigInt(text);
}

/** A single-coin CLI argument ("1000000uaro") in its wire form. */
export function bondCoin(amount: string) {
  const coins = toWireCoins(parseCoins(amount));
  if (coins.length !== 1) throw new Error(`amount must be one coin, e.g. 1000000uaro, got ${amount}`);
  return coins[0];
}
