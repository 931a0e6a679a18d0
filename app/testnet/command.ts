import path from "node:path";
import { Command, Option } from "commander";
import { createTestnet, readTestnetInfo, shortEpochs } from "./create.ts";
import { startAgentNetwork, stopAgents } from "./agent-network.ts";
import type { AgentEntry } from "./agents.ts";
import { alive, killValidator, startValidator, status, stopAll, stopValidator } from "./control.ts";
import { action, print } from "../common/cli.ts";
import { addFullNode } from "./join.ts";
import { waitForHeight } from "../arod/cli/devnet.ts";
import { readAppConfig } from "../arod/node/home.ts";

const int = (name: string, min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got ${v}`);
  return n;
};
const homeOpt = () => new Option("--home <dir>", "testnet folder").default("testnet-home");
const validatorOpt = () => new Option("--validator <i>", "validator index (0-based)").argParser(int("--validator", 0, 19)).makeOptionMandatory();

export function testnetCommand(): Command {
  const testnet = new Command("testnet").description("a local multi-validator network on 127.0.0.1 (each validator its own arod + cometbft)");
  testnet
    .command("start", { isDefault: true })
    .description("generate a fresh network and run it in the foreground; Ctrl-C/SIGTERM stops every validator")
    .addOption(homeOpt())
    .addOption(new Option("--validators <n>", "number of validators").argParser(int("--validators", 1, 20)).default(4))
    .addOption(new Option("--base-port <port>", "validator i uses base+10i (p2p), +1 (rpc), +2 (abci), +3 (REST), +4 (gRPC), +5 (metrics), +6 (console)").argParser(int("--base-port", 1024, 65000)).default(26600))
    .option("--timeout-commit <duration>", "time between blocks", "1s")
    .addOption(new Option("--agents <m>", "aro-agent PeerNodes to run as well (agent-0 also serves PeerRouting)").argParser(int("--agents", 0, 50)).default(0))
    .addOption(new Option("--watchers <k>", "watcher-mode agents (default: 1 when --agents is given)").argParser(int("--watchers", 0, 20)))
    .addOption(new Option("--epoch-length <blocks>", "settlement epoch length (default: 20 with agents, else the chain default)").argParser(int("--epoch-length", 2, 1_000_000)))
    .addOption(new Option("--snapshot-interval <blocks>", "state-sync snapshot every N heights on every validator (0: none), so `arod testnet join --state-sync` can add a node").argParser(int("--snapshot-interval", 0, 1_000_000)).default(20))
    .addOption(new Option("--snapshot-keep-recent <n>", "snapshots each validator keeps").argParser(int("--snapshot-keep-recent", 1, 1000)).default(2))
    .action(action(async (o) => {
      const dir = path.resolve(o.home);
      console.error(`creating a ${o.validators}-validator testnet in ${dir} ...`);
      const epochLength = o.epochLength ?? (o.agents > 0 ? 20 : undefined);
      const info = await createTestnet(dir, {
        validators: o.validators, basePort: o.basePort, timeoutCommit: o.timeoutCommit, editGenesis: epochLength ? (g) => shortEpochs(g, epochLength) : undefined,
        app: [["state-sync", "snapshot-interval", o.snapshotInterval], ["state-sync", "snapshot-keep-recent", o.snapshotKeepRecent]],
      });
      let agents: AgentEntry[] = [];
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        console.error("stopping every agent and validator ...");
        await stopAgents(agents);
        await stopAll(readTestnetInfo(dir));
        process.exit(0);
      };
      process.once("SIGINT", () => void stop());
      process.once("SIGTERM", () => void stop());
      try {
        for (const v of info.validators) await startValidator(info, v.index);
        await Promise.all(info.validators.map((v) => waitForHeight(v.rpc, 1, 90_000)));
        if (o.agents > 0) agents = await startAgentNetwork(info, { agents: o.agents, watchers: o.watchers ?? 1, onProgress: (line) => console.error(line) });
      } catch (err) {
        await stopAgents(agents);
        await stopAll(readTestnetInfo(dir));
        throw err;
      }
      console.log(`Aro testnet is running (${info.validators.length} validator(s), ${agents.length} agent(s), chain id ${info.chain_id})`);
      for (const a of agents) console.log(`  ${a.name} (${a.role}): ${a.run?.dtsUrl ? `DTS ${a.run.dtsUrl}  ` : ""}metrics ${a.run?.metricsUrl}/metrics  home ${a.home}  pid ${a.pid}`);
      if (agents.length) console.log(`  PeerRouting: ${agents[0].run?.routingUrl}  (try: aro-agent client fetch <cid> --routing ${agents[0].run?.routingUrl} ...)`);
      for (const v of info.validators) {
        const { api, grpc } = readAppConfig(v.home).servers;
        console.log(`  ${v.moniker}: RPC ${v.rpc}  REST ${api.address.replace(/^tcp:\/\//, "http://")}  gRPC ${grpc.address}  home ${v.home}  pids arod ${v.pids.arod} cometbft ${v.pids.cometbft}`);
      }
      const web = readAppConfig(info.validators[0].home).servers.console;
      if (web.enable) console.log(`  console: ${web.address.replace(/^tcp:\/\//, "http://")}  (the web console of ${info.validators[0].moniker}: chain, PeerNodes, earnings, governance)`);
      console.log(`  demo address: ${info.demo_address} (mnemonic in ${info.demo_mnemonic_file})
  network file: ${path.join(dir, "testnet.json")}
  control: arod testnet stop|kill|restart --home ${dir} --validator I;  arod testnet status --home ${dir}
Press Ctrl-C to stop.`);
      // Stay in the foreground until a signal; report validators that stop on their own.
      const reported = new Set<number>();
      setInterval(() => {
        for (const v of readTestnetInfo(dir).validators) {
          const running = alive(v.pids.arod);
          if (!running && !reported.has(v.index)) console.error(`${v.moniker} is not running (restart: arod testnet restart --home ${dir} --validator ${v.index})`);
          if (running) reported.delete(v.index);
          else reported.add(v.index);
        }
      }, 2000);
    }));
  testnet
    .command("stop")
    .description("stop one validator gracefully (SIGTERM)")
    .addOption(homeOpt())
    .addOption(validatorOpt())
    .action(action(async (o) => stopValidator(readTestnetInfo(path.resolve(o.home)), o.validator)));
  testnet
    .command("kill")
    .description("crash one validator: SIGKILL to its arod and cometbft")
    .addOption(homeOpt())
    .addOption(validatorOpt())
    .action(action(async (o) => killValidator(readTestnetInfo(path.resolve(o.home)), o.validator)));
  testnet
    .command("restart")
    .description("start one stopped or killed validator again")
    .addOption(homeOpt())
    .addOption(validatorOpt())
    .action(action(async (o) => {
      const info = readTestnetInfo(path.resolve(o.home));
      await startValidator(info, o.validator);
      print(info.validators[o.validator]);
    }));
  testnet
    .command("join")
    .description("add a full node to the running network and start it; with --state-sync it restores the validators' newest snapshot instead of replaying every block")
    .addOption(homeOpt())
    .option("--state-sync", "join through CometBFT's state sync (trust height and hash taken from the validators' RPC)", false)
    .action(action(async (o) => {
      const info = readTestnetInfo(path.resolve(o.home));
      const entry = await addFullNode(info, { stateSync: o.stateSync });
      console.error(`${entry.moniker}: starting (${o.stateSync ? "state sync" : "replaying from genesis"}) ...`);
      await startValidator(info, entry.index);
      const target = (await status(info)).find((s) => s.index === 0)?.height ?? 1;
      await waitForHeight(entry.rpc, target, 600_000);
      print((await status(readTestnetInfo(path.resolve(o.home)))).find((s) => s.index === entry.index));
    }));
  testnet
    .command("status")
    .description("height, app hash and process state of every validator")
    .addOption(homeOpt())
    .action(action(async (o) => print(await status(readTestnetInfo(path.resolve(o.home))))));
  return testnet;
}
