import fs from "node:fs";
import { multiaddr } from "@multiformats/multiaddr";
import { parse } from "smol-toml";
import { NatType, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";

export interface AgentConfig {
  chainRpc: string;
  chainId: string;
  keyringBackend: "file" | "test";
  keyName: string;
  node: {
    region: string;
    services: Service[];
    bond: string;
    commission: string;
    nat: NatType;
    resources: { bandwidthMbps: bigint; storageGb: bigint; cpuMillicores: bigint; memoryMb: bigint; gpus: number };
  };
  p2p: { listen: string[]; bootstrap: string[]; relayServer: boolean; relayVia: string[]; announce: string[] };
  http: { dtsListen: string; dtsPublicUrl: string; metricsListen: string };
  routing: { url: string; serve: boolean; listen: string; reportEverySeconds: number };
  watcher: { enabled: boolean; stake: string; probesPerEpoch: number };
  /** which assigned replicas the node acks (and so is challenged for): at most maxReplicas, each paying at least minPaymentPerEpoch uaro an epoch */
  storage: { maxReplicas: number; minPaymentPerEpoch: bigint; chunkCacheMib: number };
  fees: { gasPrice: string; gasAdjustment: number; lowBalance: string };
  log: { level: string };
}

/** The config file `aro-agent init` writes: every setting, with what it is for. */
export interface TemplatePorts {
  p2p: number;
  ws: number;
  dts: number;
  metrics: number;
  routing: number;
}

export function configTemplate(o: { chainRpc: string; chainId: string; region: string; keyringBackend: string; ports: TemplatePorts }): string {
  return `# aro-agent configuration (TOML). \`aro-agent start --help\` lists the flags that override it.

# CometBFT RPC of a chain node this agent talks to
chain_rpc = "${o.chainRpc}"
# refuse to sign for any other chain (empty: take the node's)
chain_id = "${o.chainId}"
# where the operator key lives: "file" (encrypted; password from ARO_AGENT_KEYRING_PASSWORD or a prompt) or "test" (unencrypted, local testnets only)
keyring_backend = "${o.keyringBackend}"
# name of the operator key in the keyring (\`aro-agent keys\`)
key_name = "operator"

[node]
# region the node serves (must be one the chain governs)
region = "${o.region}"
# services offered: "cdn", "aidn", "hvm" (empty: no node, e.g. a watcher-only agent)
services = ["cdn", "hvm"]
# guarantee bond put up when the agent registers the node (at least the chain's min_bond)
bond = "100000000uaro"
# share of the node's rewards the owner keeps before backers are paid
commission = "0.1"
# "public" (dialable), "cone" (reachable by hole punching) or "symmetric" (only through a relay)
nat = "public"

[node.resources]
# what the node declares; jobs needing more are refused
bandwidth_mbps = 100
storage_gb = 10
cpu_millicores = 2000
memory_mb = 2048
gpus = 0

[p2p]
# libp2p listen addresses (TCP and WebSocket)
listen = ["/ip4/127.0.0.1/tcp/${o.ports.p2p}", "/ip4/127.0.0.1/tcp/${o.ports.ws}/ws"]
# peers to dial at start (multiaddrs ending in /p2p/<peer id>)
bootstrap = []
# offer circuit relay v2 to nodes that cannot be dialled
relay_server = false
# relays to reserve a circuit on when this node is behind a NAT (…/p2p/<relay id>)
relay_via = []
# addresses to announce instead of the listen addresses (e.g. a DNS name, or the public
# side of a port forward). Empty: the listen addresses — private ones at once, public ones
# once a peer has dialled them back (AutoNAT) — kept up to date on chain as they change
announce = []

[http]
# PeerDTS over HTTP (GET /content/<root> with Range, /chunk, /manifest, /challenge; POST /receipt; PUT /content/<root> for assigned replicas);
# empty: no HTTP endpoint, the node serves over libp2p only (watchers and clients reach it there)
dts_listen = "127.0.0.1:${o.ports.dts}"
# URL clients use to reach it (empty: http://<dts_listen>)
dts_public_url = ""
# Prometheus /metrics, /health and /status
metrics_listen = "127.0.0.1:${o.ports.metrics}"

[routing]
# PeerRouting API this node reports its load to and takes prefetch hints from (empty: none)
url = ""
# also run a PeerRouting API in this agent
serve = false
listen = "127.0.0.1:${o.ports.routing}"
report_every_seconds = 5

[watcher]
# watcher mode: probe the nodes the chain assigns and attest each epoch
enabled = false
# stake put up when the agent registers as a watcher
stake = "10000000uaro"
# probes of each assigned node per epoch, at random moments
probes_per_epoch = 3

[storage]
# an acked replica is challenged every epoch and a miss is slashed: ack at most this many
max_replicas = 1000
# and only replicas whose storage pays at least this many uaro per epoch
min_payment_per_epoch = 1
# verified chunks kept in memory for serving hot content (MiB; the agent's memory grows by about this much)
chunk_cache_mib = 32

[fees]
gas_price = "0.025uaro"
gas_adjustment = 1.4
# warn in the log when the operator balance falls below this
low_balance = "10000000uaro"

[log]
# trace, debug, info, warn, error
level = "info"
`;
}

const SERVICES: Record<string, Service> = { cdn: Service.SERVICE_CDN, aidn: Service.SERVICE_AIDN, hvm: Service.SERVICE_HVM };
const NATS: Record<string, NatType> = { public: NatType.NAT_TYPE_PUBLIC, cone: NatType.NAT_TYPE_CONE, symmetric: NatType.NAT_TYPE_SYMMETRIC };

/** Reads and validates a config file; every problem is reported with the key it concerns. */
export function loadConfig(file: string): AgentConfig {
  if (!fs.existsSync(file)) throw new Error(`no config at ${file}: run \`aro-agent init\` first`);
  let raw: Record<string, any>;
  try {
    raw = parse(fs.readFileSync(file, "utf8")) as Record<string, any>;
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  if ("keeper" in raw) throw new Error(`${file}: [keeper] is now [watcher] (the prober role was renamed): rename the section, its keys are unchanged`);
  const get = (path: string): unknown => path.split(".").reduce<any>((o, k) => (o == null ? undefined : o[k]), raw);
  const str = (path: string, fallback?: string): string => {
    const v = get(path) ?? fallback;
    if (typeof v !== "string") throw new Error(`${file}: ${path} must be a string`);
    return v;
  };
  const num = (path: string, fallback?: number): number => {
    const v = get(path) ?? fallback;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new Error(`${file}: ${path} must be a non-negative number`);
    return v;
  };
  const bool = (path: string, fallback: boolean): boolean => {
    const v = get(path) ?? fallback;
    if (typeof v !== "boolean") throw new Error(`${file}: ${path} must be true or false`);
    return v;
  };
  const list = (path: string): string[] => {
    const v = get(path) ?? [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw new Error(`${file}: ${path} must be a list of strings`);
    return v as string[];
  };
  /** a list of multiaddrs; `withPeer`: each must name its peer (…/p2p/<peer id>) */
  const addrs = (path: string, withPeer: boolean): string[] =>
    list(path).map((a) => {
      let parsed;
      try {
        parsed = multiaddr(a);
      } catch (err) {
        throw new Error(`${file}: ${path}: ${JSON.stringify(a)} is not a multiaddr (${(err as Error).message})`);
      }
      if (withPeer && !parsed.getComponents().some((c) => c.name === "p2p")) throw new Error(`${file}: ${path}: ${JSON.stringify(a)} must end in /p2p/<peer id>`);
      return a;
    });
  const keyringBackend = str("keyring_backend", "file");
  if (keyringBackend !== "file" && keyringBackend !== "test") throw new Error(`${file}: keyring_backend must be "file" or "test"`);
  const services = list("node.services").map((s) => {
    if (!(s in SERVICES)) throw new Error(`${file}: node.services: unknown service ${JSON.stringify(s)} (use cdn, aidn, hvm)`);
    return SERVICES[s];
  });
  const natName = str("node.nat", "public");
  if (!(natName in NATS)) throw new Error(`${file}: node.nat must be public, cone or symmetric`);
  const chainRpc = str("chain_rpc");
  if (!/^https?:\/\//.test(chainRpc)) throw new Error(`${file}: chain_rpc must be an http(s) URL`);
  const level = str("log.level", "info");
  if (!["trace", "debug", "info", "warn", "error"].includes(level)) throw new Error(`${file}: log.level must be trace, debug, info, warn or error`);
  const watcherEnabled = bool("watcher.enabled", false);
  if (services.length === 0 && !watcherEnabled && !bool("routing.serve", false)) throw new Error(`${file}: nothing to run: node.services is empty, watcher.enabled and routing.serve are false`);
  return {
    chainRpc,
    chainId: str("chain_id", ""),
    keyringBackend,
    keyName: str("key_name", "operator"),
    node: {
      region: str("node.region"),
      services,
      bond: str("node.bond"),
      commission: str("node.commission", "0.1"),
      nat: NATS[natName],
      resources: {
        bandwidthMbps: BigInt(num("node.resources.bandwidth_mbps", 100)),
        storageGb: BigInt(num("node.resources.storage_gb", 10)),
        cpuMillicores: BigInt(num("node.resources.cpu_millicores", 1000)),
        memoryMb: BigInt(num("node.resources.memory_mb", 1024)),
        gpus: num("node.resources.gpus", 0),
      },
    },
    p2p: { listen: addrs("p2p.listen", false), bootstrap: addrs("p2p.bootstrap", true), relayServer: bool("p2p.relay_server", false), relayVia: addrs("p2p.relay_via", true), announce: addrs("p2p.announce", false) },
    http: { dtsListen: str("http.dts_listen"), dtsPublicUrl: str("http.dts_public_url", ""), metricsListen: str("http.metrics_listen") },
    routing: { url: str("routing.url", ""), serve: bool("routing.serve", false), listen: str("routing.listen", "127.0.0.1:0"), reportEverySeconds: num("routing.report_every_seconds", 5) },
    watcher: { enabled: bool("watcher.enabled", false), stake: str("watcher.stake", "10000000uaro"), probesPerEpoch: num("watcher.probes_per_epoch", 3) },
    storage: { maxReplicas: Math.floor(num("storage.max_replicas", 1000)), minPaymentPerEpoch: BigInt(Math.floor(num("storage.min_payment_per_epoch", 1))), chunkCacheMib: Math.max(0, Math.floor(num("storage.chunk_cache_mib", 32))) },
    fees: { gasPrice: str("fees.gas_price", "0.025uaro"), gasAdjustment: num("fees.gas_adjustment", 1.4), lowBalance: str("fees.low_balance", "10000000uaro") },
    log: { level },
  };
}
