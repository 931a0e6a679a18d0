import fs from "node:fs";
import { Command, Option } from "commander";
import { Keyring } from "../../chain/keyring/keyring.ts";
import { readPassword } from "../common/prompt.ts";
import { action, print } from "../common/cli.ts";
import { addLazyCommands } from "../common/lazy-commands.ts";
import { DEFAULT_AGENT_HOME, agentPaths } from "../agent/home.ts";

// The daemon (libp2p, LMDB, CosmJS) and the client commands load when a command needs them, so --help and status start at once.
const loadConfig = async (file: string) => (await import("../agent/config.ts")).loadConfig(file);
const peerIdOf = async (file: string) => {
  const [{ loadOrCreatePeerKey }, { peerIdFromPrivateKey }] = await Promise.all([import("../../workers/p2p/peer-key.ts"), import("@libp2p/peer-id")]);
  return peerIdFromPrivateKey(await loadOrCreatePeerKey(file)).toString();
};

const homeOption = () => new Option("--home <dir>", "agent home folder").default(process.env.ARO_AGENT_HOME ?? DEFAULT_AGENT_HOME);
const password = async () => process.env.ARO_AGENT_KEYRING_PASSWORD ?? (await readPassword("keyring password: "));

const program = new Command("aro-agent")
  .description("the Aro PeerNode daemon: serves content (PeerDTS), runs jobs (PeerHVM), proves its work (GPoW) and routes clients (PeerRouting)")
  .version("0.1.0");

program
  .command("init")
  .description("create the agent home: operator key, libp2p identity and a commented config.toml")
  .addOption(homeOption())
  .option("--chain-rpc <url>", "CometBFT RPC of a chain node", "http://127.0.0.1:26657")
  .option("--chain-id <id>", "chain id to insist on", "")
  .option("--region <region>", "region the node serves", "europe")
  .addOption(new Option("--keyring-backend <backend>", "file (encrypted) or test (unencrypted)").choices(["file", "test"]).default("file"))
  .option("--p2p-port <port>", "libp2p TCP port", "4001")
  .option("--ws-port <port>", "libp2p WebSocket port", "4002")
  .option("--dts-port <port>", "PeerDTS HTTP port", "8080")
  .option("--metrics-port <port>", "metrics/health port", "9100")
  .option("--routing-port <port>", "PeerRouting API port (when routing.serve)", "8090")
  .option("--recover", "recover the operator key from a mnemonic on stdin")
  .action(action(async (o) => {
    const port = (flag: string, v: string) => {
      if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new Error(`--${flag} must be a port number, got ${v}`);
      return Number(v);
    };
    const mnemonic = o.recover ? fs.readFileSync(0, "utf8") : undefined;
    const { initAgentHome } = await import("../agent/init.ts");
    const r = await initAgentHome({
      home: o.home, chainRpc: o.chainRpc, chainId: o.chainId, region: o.region, keyringBackend: o.keyringBackend, mnemonic, password,
      ports: { p2p: port("p2p-port", o.p2pPort), ws: port("ws-port", o.wsPort), dts: port("dts-port", o.dtsPort), metrics: port("metrics-port", o.metricsPort), routing: port("routing-port", o.routingPort) },
    });
    print({ home: o.home, config: r.config, operator: r.operator, peerId: r.peerId, mnemonic: mnemonic ? undefined : r.mnemonic });
    if (!mnemonic) console.error("\n**Write the mnemonic down: it is the only way to recover the operator key.** Fund the operator address with the bond and fees, then run `aro-agent start`.");
  }));

program
  .command("start")
  .description("run the daemon (registers the node with its bond on first start; resumes from its database after a restart)")
  .addOption(homeOption())
  .option("--chain-rpc <url>", "override chain_rpc")
  .option("--log-level <level>", "override log.level")
  .option("--routing-url <url>", "override routing.url")
  .option("--serve-routing", "also run a PeerRouting API (routing.serve)")
  .option("--watcher", "watcher mode (watcher.enabled)")
  .addOption(new Option("--fault <fault...>", "fault injection for local testnets").choices(["corrupt-chunks", "slow"]))
  .action(action(async (o) => {
    const { Agent } = await import("../agent/agent.ts");
    const agent = await Agent.start({
      home: o.home,
      password,
      faults: o.fault ? { corruptChunks: o.fault.includes("corrupt-chunks"), delayMs: o.fault.includes("slow") ? 3000 : undefined } : undefined,
      config: (c) => {
        if (o.chainRpc) c.chainRpc = o.chainRpc;
        if (o.logLevel) c.log.level = o.logLevel;
        if (o.routingUrl) c.routing.url = o.routingUrl;
        if (o.serveRouting) c.routing.serve = true;
        if (o.watcher) c.watcher.enabled = true;
      },
    });
    agent.log.info({ metrics: agent.metricsUrl, dts: agent.dtsUrl }, "aro-agent running (Ctrl-C to stop)");
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await agent.stop();
  }));

program
  .command("status")
  .description("ask a running agent (its /status endpoint) what it is doing")
  .addOption(homeOption())
  .option("--url <url>", "metrics address of the agent (default: what the running agent recorded in <home>/run.json, else http.metrics_listen)")
  .action(action(async (o) => {
    const paths = agentPaths(o.home);
    // a running agent records the address it really bound (the config may say port 0)
    const running = fs.existsSync(paths.run) ? (JSON.parse(fs.readFileSync(paths.run, "utf8")) as { metricsUrl?: string }).metricsUrl : undefined;
    const url = o.url ?? running ?? `http://${(await loadConfig(paths.config)).http.metricsListen}`;
    const { request } = await import("undici");
    let res;
    try {
      res = await request(`${url}/status`);
    } catch (err) {
      throw new Error(`no agent answers at ${url}: ${(err as Error).message} (is it running?)`);
    }
    print(await res.body.json());
  }));

const keys = program.command("keys").description("the agent's keys: operator account and libp2p identity");
keys
  .command("show", { isDefault: true })
  .description("print the operator address and the peer id")
  .addOption(homeOption())
  .action(action(async (o) => {
    const paths = agentPaths(o.home);
    const cfg = await loadConfig(paths.config);
    const key = new Keyring(o.home, cfg.keyringBackend).show(cfg.keyName);
    if (!fs.existsSync(paths.peerKey)) throw new Error(`no libp2p identity at ${paths.peerKey}`);
    print({ operator: key.address, pubkey: key.pubkey, peerId: await peerIdOf(paths.peerKey) });
  }));

await addLazyCommands(program, [
  { usage: "client", summary: "use the network as a customer: publish content, fetch it through PeerRouting", load: async () => (await import("../agent/client-cli.ts")).clientCommand() },
], process.argv.slice(2));

await program.parseAsync(process.argv);
