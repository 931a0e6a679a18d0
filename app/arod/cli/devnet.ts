import fs from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { parseCoins } from "../../../chain/coins.ts";
import { addGenesisAccount, addGenesisValidatorFromHome, initHome } from "../node/init.ts";
import { runNode } from "../node/run-node.ts";
import { Keyring } from "../../../chain/keyring/keyring.ts";
import { action } from "../../common/cli.ts";
import { runUntilSignal } from "./start.ts";

export const DEVNET_CHAIN_ID = "aro-devnet-1";
export const DEMO_FUNDS = "1000000000000uaro";
export const VALIDATOR_FUNDS = "1000000000000uaro";
/** 100,000 aro: voting power 100,000. */
export const VALIDATOR_SELF_BOND = 100_000_000_000n;
const MARKER = "devnet.json";

/** Polls the node until the app has committed block `height` (so queries see its state). */
export async function waitForHeight(rpcUrl: string, height: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      // a node that is still starting may accept the connection and not answer yet: never wait on one request.
      // The app's own committed height (abci_info), not CometBFT's /status: /status can report a
      // block whose state the app has not committed yet, and queries read the committed state.
      const r = (await (await fetch(`${rpcUrl}/abci_info`, { signal: AbortSignal.timeout(3000) })).json()) as { result: { response: { last_block_height?: string } } };
      if (Number(r.result.response.last_block_height ?? 0) >= height) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`the chain at ${rpcUrl} did not reach height ${height} within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Creates a fresh single-validator devnet home; returns what to print. */
export async function createDevnet(home: string, rpcPort: number, timeoutCommit: string) {
  if (fs.existsSync(home) && fs.readdirSync(home).length > 0) {
    if (!fs.existsSync(path.join(home, MARKER))) throw new Error(`${home} exists and is not a devnet folder: choose another --home`);
    fs.rmSync(home, { recursive: true, force: true });
  }
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(path.join(home, MARKER), "{}\n"); // marks the folder as ours before anything else
  initHome(home, { moniker: "devnet", chainId: DEVNET_CHAIN_ID, rpcPort, p2pPort: rpcPort - 1, abciPort: rpcPort + 1, apiPort: rpcPort + 2, grpcPort: rpcPort + 3, metricsPort: rpcPort + 4, consolePort: rpcPort + 5, timeoutCommit });
  const demo = await new Keyring(home, "test").add("demo");
  fs.writeFileSync(path.join(home, "demo.mnemonic"), demo.mnemonic + "\n", { mode: 0o600 });
  addGenesisAccount(home, demo.address, parseCoins(DEMO_FUNDS));
  const operator = await new Keyring(home, "test").add("validator");
  addGenesisAccount(home, operator.address, parseCoins(VALIDATOR_FUNDS));
  addGenesisValidatorFromHome(home, { operator: operator.address, selfBond: VALIDATOR_SELF_BOND, moniker: "devnet" });
  const info = { chain_id: DEVNET_CHAIN_ID, rpc: `http://127.0.0.1:${rpcPort}`, demo_address: demo.address, demo_mnemonic_file: path.join(home, "demo.mnemonic") };
  fs.writeFileSync(path.join(home, MARKER), JSON.stringify(info, null, 2) + "\n");
  return info;
}

export function devnetCommand(): Command {
  return new Command("devnet")
    .description("start a fresh single-validator chain on 127.0.0.1 with a funded demo account (Ctrl-C stops it)")
    .option("--home <dir>", "devnet folder (wiped and recreated)", ".devnet")
    .addOption(new Option("--rpc-port <port>", "CometBFT RPC port (P2P uses port-1, ABCI +1, REST +2, gRPC +3, metrics +4, console +5)").default(26657).argParser((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 2 || n > 65530) throw new Error(`invalid --rpc-port ${v}: it and the next five ports (ABCI, REST, gRPC, metrics, console) must fit below 65536`);
      return n;
    }))
    .option("--timeout-commit <duration>", "time between blocks", "1s")
    .action(action(async (o) => {
      const home = path.resolve(o.home);
      console.error(`creating devnet in ${home} ...`);
      const info = await createDevnet(home, o.rpcPort, o.timeoutCommit);
      const node = await runNode(home);
      await waitForHeight(info.rpc, 1);
      console.log(`Aro devnet is running
  chain id:      ${info.chain_id}
  RPC:           ${info.rpc}
  console:       http://127.0.0.1:${o.rpcPort + 5}  (the web console; REST on the same address)
  demo address:  ${info.demo_address} (${DEMO_FUNDS})
  demo mnemonic: ${info.demo_mnemonic_file}
  keyring:       arod keys list --home ${home} --keyring-backend test
Press Ctrl-C to stop.`);
      await runUntilSignal(node);
    }));
}
