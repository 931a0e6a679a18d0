import type { Command } from "commander";
import type { Comet38Client } from "@cosmjs/tendermint-rpc";
import type { setupAroExtension } from "../../../client/index.ts";
import type { NodeStatus } from "../../../proto/gen/aro/peernode/v1/peernode.ts";
import { validateAddress } from "../../../chain/address.ts";
import { action, parseId, print } from "../../common/cli.ts";
import { nodeOption } from "./options.ts";

type Aro = ReturnType<typeof setupAroExtension>["aro"];

const NODE_STATUSES = ["active", "underbonded", "deregistered"];
/** `--status active|underbonded|deregistered` (or the enum name); "" for any. */
async function parseNodeStatus(text: string): Promise<NodeStatus> {
  const { NodeStatus } = await import("../../../proto/gen/aro/peernode/v1/peernode.ts");
  if (!text) return NodeStatus.NODE_STATUS_UNSPECIFIED;
  const status = NodeStatus[`NODE_STATUS_${text.toUpperCase().replace(/^NODE_STATUS_/, "")}` as keyof typeof NodeStatus];
  if (status === undefined || status === NodeStatus.NODE_STATUS_UNSPECIFIED || status === NodeStatus.UNRECOGNIZED) throw new Error(`--status must be one of ${NODE_STATUSES.join(", ")}`);
  return status;
}

/** Runs one Aro query against --node and prints the answer as JSON (the client libraries load when a query runs). */
const run = (fn: (aro: Aro, ...args: string[]) => Promise<unknown>) =>
  action(async (...args: unknown[]) => {
    const o = args.find((a) => a && typeof a === "object" && "node" in (a as object)) as { node: string };
    const [{ Comet38Client }, { QueryClient }, { setupAroExtension }] = await Promise.all([import("@cosmjs/tendermint-rpc"), import("@cosmjs/stargate"), import("../../../client/index.ts")]);
    let comet: Comet38Client;
    try {
      comet = await Comet38Client.connect(o.node);
    } catch (err) {
      throw new Error(`cannot reach a node at ${o.node}: ${(err as Error).message}`);
    }
    try {
      print(await fn(QueryClient.withExtensions(comet, setupAroExtension).aro, ...(args.filter((a) => typeof a === "string") as string[])));
    } finally {
      comet.disconnect();
    }
  });

/** `arod query peernode|market|gpow|watcher|settlement ...` */
export function aroQueries(query: Command): void {
  const peernode = query.command("peernode").description("PeerNodes, their guarantees and rewards");
  peernode.command("node <id>").description("one node").addOption(nodeOption()).action(run((a, n) => a.peernode.Node({ nodeId: parseId(n, "node id") })));
  peernode.command("nodes").description("nodes, filtered by --owner, --region, --status").addOption(nodeOption())
    .option("--owner <address>", "only this owner's nodes", "").option("--region <region>", "only nodes in this region", "")
    .option("--status <status>", `only nodes with this status: ${NODE_STATUSES.join(", ")} (underbonded: guarantee below min_bond, assigned nothing)`, "")
    .action(async (o) => run(async (a) => (o.owner && validateAddress(o.owner, "owner"), a.peernode.Nodes({ owner: o.owner, region: o.region, service: 0, status: await parseNodeStatus(o.status) })))(o));
  peernode.command("guarantees <id>").description("who backs a node, and with how much").addOption(nodeOption()).action(run((a, n) => a.peernode.Guarantees({ nodeId: parseId(n, "node id") })));
  peernode.command("rewards <address> <id>").description("rewards an account can withdraw from a node").addOption(nodeOption())
    .action(run((a, addr, n) => (validateAddress(addr), a.peernode.PendingRewards({ address: addr, nodeId: parseId(n, "node id") }))));
  peernode.command("params").description("peernode parameters").addOption(nodeOption()).action(run((a) => a.peernode.Params({})));

  const market = query.command("market").description("escrows, prices and content");
  market.command("escrow <owner>").description("a customer's escrow").addOption(nodeOption()).action(run((a, o) => (validateAddress(o, "owner"), a.market.Escrow({ owner: o }))));
  market.command("allotment <owner> <node-id>").description("what a customer allotted to one node (amount, and thawing)").addOption(nodeOption())
    .action(run((a, o, n) => (validateAddress(o, "owner"), a.market.Allotment({ owner: o, nodeId: parseId(n, "node id") }))));
  market.command("content <id>").description("published content and its replicas").addOption(nodeOption()).action(run((a, c) => a.market.Content({ contentId: parseId(c, "content id") })));
  market.command("content-by-root <root>").description("the content published under a merkle root (hex), with its media type").addOption(nodeOption())
    .action(run((a, r) => a.market.ContentByRoot({ root: r })));
  market.command("params").description("prices and limits").addOption(nodeOption()).action(run((a) => a.market.Params({})));

  const gpow = query.command("gpow").description("claims, proofs, challenges and jobs");
  gpow.command("epoch").description("the current epoch and the previous epoch's windows").addOption(nodeOption()).action(run((a) => a.gpow.EpochInfo({})));
  gpow.command("claim <node> <epoch>").description("a node's delivery claim").addOption(nodeOption())
    .action(run((a, n, e) => a.gpow.Claim({ nodeId: parseId(n, "node id"), epoch: parseId(e, "epoch") })));
  gpow.command("job <id>").description("a compute job").addOption(nodeOption()).action(run((a, j) => a.gpow.Job({ jobId: parseId(j, "job id") })));
  gpow.command("params").description("gpow parameters").addOption(nodeOption()).action(run((a) => a.gpow.Params({})));

  const watcher = query.command("watcher").description("watchers, committees and reports");
  watcher.command("watcher <address>").description("one watcher").addOption(nodeOption()).action(run((a, k) => (validateAddress(k, "watcher"), a.watcher.Watcher({ address: k }))));
  watcher.command("committee <node> <epoch>").description("the watchers checking a node in an epoch").addOption(nodeOption())
    .action(run((a, n, e) => a.watcher.Committee({ nodeId: parseId(n, "node id"), epoch: parseId(e, "epoch") })));
  watcher.command("reports <node> <epoch>").description("what the committee reported").addOption(nodeOption())
    .action(run((a, n, e) => a.watcher.Reports({ nodeId: parseId(n, "node id"), epoch: parseId(e, "epoch") })));

  const settlement = query.command("settlement").description("epoch settlement and payout explanations");
  settlement.command("epoch <epoch>").description("an epoch's pool, scores and progress").addOption(nodeOption()).action(run((a, e) => a.settlement.Epoch({ epoch: parseId(e, "epoch") })));
  settlement.command("explain <node> <epoch>").description("recompute a node's payout for an epoch from chain data, factor by factor").addOption(nodeOption())
    .action(run((a, n, e) => a.settlement.Explain({ nodeId: parseId(n, "node id"), epoch: parseId(e, "epoch") })));
  settlement.command("params").description("settlement parameters").addOption(nodeOption()).action(run((a) => a.settlement.Params({})));
}
