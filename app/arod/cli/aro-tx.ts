import type { Command } from "commander";
import { NatType, Service } from "../../../proto/gen/aro/peernode/v1/peernode.ts";
import { validateAddress } from "../../../chain/address.ts";
import { action, parseId } from "../../common/cli.ts";
import { bondCoin } from "../../common/cli.ts";
import { broadcast, txOptions } from "./broadcast.ts";

const SERVICES: Record<string, Service> = { cdn: Service.SERVICE_CDN, aidn: Service.SERVICE_AIDN, hvm: Service.SERVICE_HVM };
const NATS: Record<string, NatType> = { public: NatType.NAT_TYPE_PUBLIC, cone: NatType.NAT_TYPE_CONE, symmetric: NatType.NAT_TYPE_SYMMETRIC };
const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);


function num(text: string, what: string): bigint {
  if (!/^\d+$/.test(text)) throw new Error(`--${what} must be a whole number, got ${JSON.stringify(text)}`);
  return BigInt(text);
}

/** `arod tx peernode|market|watcher ...` (claims and proofs are the agent's job: aro-agent). */
export function aroTxs(tx: Command): void {
  const peernode = tx.command("peernode").description("register and back PeerNodes");
  txOptions(peernode.command("register"))
    .description("register a node with its guarantee bond (--from is the owner)")
    .requiredOption("--from <key>", "owner key name or address")
    .requiredOption("--peer-id <id>", "libp2p peer id of the node's agent")
    .requiredOption("--region <region>", "one of the chain's regions (query peernode params)")
    .requiredOption("--bond <coin>", "guarantee bond, e.g. 100000000uaro")
    .option("--operator <address>", "account the agent signs claims with (default: the owner)")
    .option("--multiaddrs <list>", "comma-separated libp2p multiaddrs", "")
    .option("--endpoints <list>", "comma-separated HTTP endpoints", "")
    .option("--services <list>", "comma-separated: cdn, aidn, hvm", "cdn")
    .option("--nat <type>", "public, cone or symmetric", "public")
    .option("--commission <dec>", "owner's share of rewards", "0.1")
    .option("--bandwidth-mbps <n>", "declared bandwidth", "100")
    .option("--storage-gb <n>", "declared storage", "100")
    .option("--cpu-millicores <n>", "declared CPU", "1000")
    .option("--memory-mb <n>", "declared memory", "1024")
    .action(action(async (o) => {
      const services = list(o.services).map((s) => {
        if (!(s in SERVICES)) throw new Error(`unknown service ${s}: use cdn, aidn or hvm`);
        return SERVICES[s];
      });
      if (!(o.nat in NATS)) throw new Error("--nat must be public, cone or symmetric");
      if (o.operator) validateAddress(o.operator, "operator");
      const resources = { bandwidthMbps: num(o.bandwidthMbps, "bandwidth-mbps"), storageGb: num(o.storageGb, "storage-gb"), cpuMillicores: num(o.cpuMillicores, "cpu-millicores"), memoryMb: num(o.memoryMb, "memory-mb"), gpus: 0 };
      await broadcast(o, o.from, (address) => [{
        typeUrl: "/aro.peernode.v1.MsgRegisterNode",
        value: {
          owner: address, operator: o.operator ?? address, peerId: o.peerId, multiaddrs: list(o.multiaddrs), endpoints: list(o.endpoints), region: o.region,
          resources, natType: NATS[o.nat], services, commission: o.commission, bond: bondCoin(o.bond),
        },
      }]);
    }));
  txOptions(peernode.command("add-guarantee <node-id> <amount>")).description("back a node with stake").requiredOption("--from <key>", "backer key name or address")
    .action(action(async (n: string, amount: string, o) => broadcast(o, o.from, (address) => [{ typeUrl: "/aro.peernode.v1.MsgAddGuarantee", value: { backer: address, nodeId: parseId(n, "node id"), amount: bondCoin(amount) } }])));
  txOptions(peernode.command("remove-guarantee <node-id> <amount>")).description("take backing out (returned after the unbonding time)").requiredOption("--from <key>", "backer key name or address")
    .action(action(async (n: string, amount: string, o) => broadcast(o, o.from, (address) => [{ typeUrl: "/aro.peernode.v1.MsgRemoveGuarantee", value: { backer: address, nodeId: parseId(n, "node id"), amount: bondCoin(amount) } }])));
  txOptions(peernode.command("deregister <node-id>")).description("retire a node; every guarantee starts unbonding").requiredOption("--from <key>", "owner key name or address")
    .action(action(async (n: string, o) => broadcast(o, o.from, (address) => [{ typeUrl: "/aro.peernode.v1.MsgDeregisterNode", value: { owner: address, nodeId: parseId(n, "node id") } }])));
  txOptions(peernode.command("withdraw-rewards <node-id>")).description("withdraw your backer rewards (and commission, as owner)").requiredOption("--from <key>", "key name or address")
    .action(action(async (n: string, o) => broadcast(o, o.from, (address) => [{ typeUrl: "/aro.peernode.v1.MsgWithdrawNodeRewards", value: { address, nodeId: parseId(n, "node id") } }])));

  const market = tx.command("market").description("customers' escrow and content");
  txOptions(market.command("deposit <amount>")).description("add to your escrow (created on first deposit)").requiredOption("--from <key>", "customer key name or address")
    .action(action(async (amount: string, o) => broadcast(o, o.from, (address) => [{ typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: address, amount: bondCoin(amount) } }])));
  txOptions(market.command("withdraw <amount>")).description("take back unspent escrow").requiredOption("--from <key>", "customer key name or address")
    .action(action(async (amount: string, o) => broadcast(o, o.from, (address) => [{ typeUrl: "/aro.market.v1.MsgWithdrawEscrow", value: { owner: address, amount: bondCoin(amount) } }])));
  txOptions(market.command("allot <node-id> <amount>")).description("set part of your escrow aside for one node's delivery claims (what its agent serves you against)").requiredOption("--from <key>", "customer key name or address")
    .action(action(async (n: string, amount: string, o) => broadcast(o, o.from, (address) => [{ typeUrl: "/aro.market.v1.MsgAllotEscrow", value: { owner: address, nodeId: parseId(n, "node id"), amount: bondCoin(amount) } }])));
  txOptions(market.command("unallot <node-id> <amount>")).description("take an allotment back (drawable by the node's claims until the current claim window closes)").requiredOption("--from <key>", "customer key name or address")
    .action(action(async (n: string, amount: string, o) => broadcast(o, o.from, (address) => [{ typeUrl: "/aro.market.v1.MsgUnallotEscrow", value: { owner: address, nodeId: parseId(n, "node id"), amount: bondCoin(amount) } }])));

  const watcher = tx.command("watcher").description("watchers: staked verifiers of PeerNodes");
  txOptions(watcher.command("register <region> <stake>")).description("become a watcher").requiredOption("--from <key>", "watcher key name or address")
    .action(action(async (region: string, stake: string, o) => broadcast(o, o.from, (address) => [{ typeUrl: "/aro.watcher.v1.MsgRegisterWatcher", value: { address, region, stake: bondCoin(stake) } }])));
  txOptions(watcher.command("delegate <watcher> <amount>")).description("stake behind a watcher").requiredOption("--from <key>", "delegator key name or address")
    .action(action(async (k: string, amount: string, o) => (validateAddress(k, "watcher"), broadcast(o, o.from, (address) => [{ typeUrl: "/aro.watcher.v1.MsgDelegateWatcher", value: { delegator: address, watcher: k, amount: bondCoin(amount) } }]))));
  txOptions(watcher.command("undelegate <watcher> <amount>")).description("take stake back (after the unbonding time)").requiredOption("--from <key>", "delegator key name or address")
    .action(action(async (k: string, amount: string, o) => (validateAddress(k, "watcher"), broadcast(o, o.from, (address) => [{ typeUrl: "/aro.watcher.v1.MsgUndelegateWatcher", value: { delegator: address, watcher: k, amount: bondCoin(amount) } }]))));
  txOptions(watcher.command("unjail")).description("back into the watcher set after a slash").requiredOption("--from <key>", "watcher key name or address")
    .action(action(async (o) => broadcast(o, o.from, (address) => [{ typeUrl: "/aro.watcher.v1.MsgUnjailWatcher", value: { address } }])));
}
