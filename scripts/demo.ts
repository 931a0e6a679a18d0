// `npm run demo`: a whole Aro network on 127.0.0.1 doing real work, start to finish —
// 4 validators, 4 PeerNode agents and a watcher; publish a file, fetch it through
// PeerRouting from several nodes (verified, receipts signed), run a wasm job on 3
// nodes, wait for the epoch to settle and print each node's reward with its explanation.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { QueryClient, SigningStargateClient, coin } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { BECH32_PREFIX } from "../chain/address.ts";
import { waitForHeight } from "../app/arod/cli/devnet.ts";
import { BROADCAST_POLL_MS, aroRegistry, setupAroExtension, type AroExtension } from "../client/index.ts";
import { JobStatus } from "../proto/gen/aro/gpow/v1/gpow.ts";
import { MsgSubmitJobResponse } from "../proto/gen/aro/gpow/v1/tx.ts";
import { EpochPhase } from "../proto/gen/aro/settlement/v1/settlement.ts";
import { startValidator, stopAll } from "../app/testnet/control.ts";
import { createTestnet, shortEpochs } from "../app/testnet/create.ts";
import { freeBase } from "../app/testnet/ports.ts";
import { startAgentNetwork, stopAgents } from "../app/testnet/agent-network.ts";
import type { AgentEntry } from "../app/testnet/agents.ts";
import { Blockstore } from "../client/content/blockstore.ts";
import { fetchContent } from "../client/fetch/fetch-content.ts";
import { publishContent } from "../client/publish.ts";
import { ReceiptSigner } from "../client/receipts/receipt-signer.ts";
import { compileWat } from "../workers/hvm/wat.ts";

const EPOCH = 20;
const FEE = { amount: [coin(100000, "uaro")], gas: "4000000" };

export interface DemoSummary {
  fetch: { bytes: number; verified: boolean; servedBy: Record<string, number>; receipts: number };
  job: { id: string; status: string; executions: Array<{ nodeId: string; computeUnits: string; outputCid: string }>; output: string };
  epochs: string[];
  /** One entry per node and epoch in which the node has a scored record. */
  rewards: Array<{ nodeId: string; epoch: string; reward: string; formula: string }>;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function runDemo(o: { dir?: string; log?: (line: string) => void } = {}): Promise<DemoSummary> {
  const log = o.log ?? ((l: string) => console.log(l));
  const dir = o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "aro-demo-"));
  log(`== 1. a local network in ${dir}: 4 validators, epochs of ${EPOCH} blocks`);
  const info = await createTestnet(dir, { validators: 4, basePort: await freeBase(4), timeoutCommit: "500ms", editGenesis: (g) => {
    shortEpochs(g, EPOCH);
    Object.assign(g.app_state.market.params, { chunkSize: 65536 });
  } });
  let agents: AgentEntry[] = [];
  let comet: Comet38Client | undefined;
  let client: SigningStargateClient | undefined;
  try {
    for (const v of info.validators) await startValidator(info, v.index);
    await Promise.all(info.validators.map((v) => waitForHeight(v.rpc, 1, 90_000)));
    log("== 2. four PeerNode agents and one watcher (agent-0 also runs PeerRouting)");
    agents = await startAgentNetwork(info, { agents: 4, watchers: 1, onProgress: log });
    const routingUrl = agents[0].run!.routingUrl!;
    const rpc = info.validators[0].rpc;
    const mnemonic = fs.readFileSync(info.demo_mnemonic_file, "utf8").trim();
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: BECH32_PREFIX });
    client = await SigningStargateClient.connectWithSigner(rpc, wallet, { registry: aroRegistry(), broadcastPollIntervalMs: BROADCAST_POLL_MS });
    comet = await Comet38Client.connect(rpc);
    const q = QueryClient.withExtensions(comet, setupAroExtension);
    const me = info.demo_address;
    const height = async () => BigInt((await comet!.status()).syncInfo.latestBlockHeight);
    const epochNow = async () => (await height()) / BigInt(EPOCH);
    const ok = (r: { code: number; rawLog?: string }) => {
      if (r.code !== 0) throw new Error(r.rawLog);
    };
    ok(await client.signAndBroadcast(me, [{ typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: me, amount: coin("10000000000", "uaro") } }], FEE));

    log("== 3. publish a 1 MiB file (3 replicas, assigned by the chain, uploaded to them)");
    const file = new Uint8Array(randomBytes(1 << 20));
    const pub = await publishContent(client, q, me, file, { replication: 3, regions: ["europe"], epochs: 10n, fee: FEE });
    log(`   content ${pub.cid} (root ${pub.root}) on nodes ${pub.replicas.join(", ")}: ${pub.uploads.map((u) => `${u.nodeId} ${u.ok ? "stored" : u.error}`).join("; ")}`);

    // each replica node serves against what the customer allotted to it (its agent keeps no receipt beyond that)
    ok(await client.signAndBroadcast(me, pub.replicas.map((nodeId) => ({ typeUrl: "/aro.market.v1.MsgAllotEscrow", value: { owner: me, nodeId, amount: coin("10000000", "uaro") } })), FEE));

    log("== 4. fetch it through PeerRouting from several nodes, every chunk verified, receipts signed");
    await until("routing to know the replicas", async () => {
      const a = (await (await fetch(`${routingUrl}/route?content=${pub.root}&region=europe&n=4`)).json()) as { nodes: Array<{ holds: boolean }> };
      return a.nodes.filter((n) => n.holds).length >= 3 ? true : undefined;
    }, 60_000);
    const signer = await ReceiptSigner.fromMnemonic(mnemonic);
    let stampedEpoch = 0n; // the epoch the receipts are signed for
    const fetched = await fetchContent(pub.cid, { routingUrl, region: "europe", store: new Blockstore(path.join(dir, "client-blocks")), signer, epoch: async () => (stampedEpoch = await epochNow()) });
    const deliveryEpoch = fetched.receipts.length ? stampedEpoch : 0n;
    const verified = Buffer.compare(fs.readFileSync(fetched.path), Buffer.from(file)) === 0;
    const servedBy = Object.fromEntries([...fetched.servedBy].map(([id, chunks]) => [id, chunks.length]));
    log(`   ${fetched.content.size} bytes, verified ${verified}; chunks per node ${JSON.stringify(servedBy)}; ${fetched.receipts.filter((r) => r.delivered).length} receipts delivered`);

    log("== 5. a wasm job (FNV-1a checksum of an input) on 3 HVM nodes, commit then reveal");
    const wasm = await compileWat(fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "workers", "hvm", "jobs", "checksum.wat"), "utf8"));
    const input = new TextEncoder().encode("hello, Aro edge cloud\n".repeat(1000));
    const wasmPub = await publishContent(client, q, me, wasm, { replication: 2, regions: ["europe"], epochs: 10n, fee: FEE });
    const inputPub = await publishContent(client, q, me, input, { replication: 2, regions: ["europe"], epochs: 10n, fee: FEE });
    const jobTx = await client.signAndBroadcast(me, [{
      typeUrl: "/aro.gpow.v1.MsgSubmitJob",
      value: { owner: me, wasmCid: wasmPub.root, inputCid: inputPub.root, limits: { maxInstructions: 50_000_000n, maxMemoryBytes: 1n << 24n, maxOutputBytes: 1024n }, redundancy: 3, maxPayment: coin("10000000", "uaro") },
    }], FEE);
    ok(jobTx);
    const jobSubmitEpoch = await epochNow();
    const jobId = MsgSubmitJobResponse.decode(jobTx.msgResponses[0].value).jobId;
    const job = await until("the job to finish", async () => {
      const j = (await q.aro.gpow.Job({ jobId })).job!;
      return j.status === JobStatus.JOB_STATUS_DONE || j.status === JobStatus.JOB_STATUS_FAILED ? j : undefined;
    }, 180_000);
    const jobEpoch = await epochNow();
    const executions = job.executions.map((e) => ({ nodeId: e.nodeId.toString(), computeUnits: e.computeUnits.toString(), outputCid: e.outputCid }));
    for (const e of executions) {
      log(`   node ${e.nodeId}: ${e.computeUnits} compute units, output ${e.outputCid}`);
      const agent = agents.find((a) => a.run?.nodeId === e.nodeId);
      if (!e.outputCid && agent) log(`   (node ${e.nodeId} revealed nothing; its job log:)\n${hvmLog(agent)}`);
    }
    const outputRoot = executions[0]?.outputCid ?? "";
    const output = /^[0-9a-f]{64}$/.test(outputRoot)
      ? fs.readFileSync((await until("the job output via routing/DHT", () => fetchContent(outputRoot, { routingUrl, region: "europe", store: new Blockstore(path.join(dir, "client-blocks")) }), 60_000)).path, "utf8").trim()
      : outputRoot;
    log(`   job ${jobId} ${JobStatus[job.status]}; output: ${output}`);

    // The delivery and the job can fall in different epochs: each one's work is paid in its own.
    const first = deliveryEpoch > 0n && deliveryEpoch < jobSubmitEpoch ? deliveryEpoch : jobSubmitEpoch;
    const epochs: bigint[] = [];
    for (let e = first; e <= jobEpoch; e++) epochs.push(e);
    const last = epochs[epochs.length - 1];
    log(`== 6. wait for epoch${epochs.length > 1 ? "s" : ""} ${epochs.join(" and ")} to settle (claims, proofs, watcher attestations, scoring, payment)`);
    await until(`epoch ${last} to settle`, async () => ((await q.aro.settlement.Epoch({ epoch: last })).settlement?.phase === EpochPhase.EPOCH_PHASE_SETTLED ? true : undefined), 240_000);
    const rewards: DemoSummary["rewards"] = [];
    for (const a of agents.filter((x) => x.role === "node")) {
      const nodeId = a.run!.nodeId!;
      for (const epoch of epochs) {
        const ex = await explainIfEarned(q, BigInt(nodeId), epoch);
        if (!ex) {
          log(`   node ${nodeId} (${a.name}), epoch ${epoch}: no work claimed, nothing earned`);
          continue;
        }
        rewards.push({ nodeId, epoch: epoch.toString(), reward: ex.reward, formula: ex.formula });
        log(`   node ${nodeId} (${a.name}), epoch ${epoch}: reward ${ex.reward} uaro\n      ${ex.formula.replace(/\n/g, "\n      ")}`);
      }
    }
    return {
      fetch: { bytes: fetched.content.size, verified, servedBy, receipts: fetched.receipts.filter((r) => r.delivered).length },
      job: { id: jobId.toString(), status: JobStatus[job.status], executions, output },
      epochs: epochs.map(String),
      rewards,
    };
  } finally {
    client?.disconnect();
    comet?.disconnect();
    await stopAgents(agents);
    await stopAll(info);
    if (!o.dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runDemo().then(() => log0("demo finished: every process stopped"), (err) => {
    console.error(`demo failed: ${(err as Error).stack}`);
    process.exitCode = 1;
  });
}

/** A node's scored record for an epoch, or undefined if it claimed no work then (the query's NotFound). */
async function explainIfEarned(q: AroExtension, nodeId: bigint, epoch: bigint): Promise<{ reward: string; formula: string } | undefined> {
  try {
    const ex = await q.aro.settlement.Explain({ nodeId, epoch });
    return { reward: ex.record?.reward ?? "0", formula: ex.formula };
  } catch (err) {
    if (/earned nothing/.test((err as Error).message)) return undefined;
    throw err;
  }
}

/** An agent's PeerHVM log lines (to explain a node that did not reveal). */
function hvmLog(a: AgentEntry): string {
  const file = path.join(a.home, "agent.log");
  if (!fs.existsSync(file)) return "      (no log)";
  return fs.readFileSync(file, "utf8").split("\n").filter((l) => l.includes('"hvm"')).slice(-10).map((l) => `      ${l}`).join("\n");
}

function log0(line: string): void {
  console.log(line);
}
