import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { QueryClient, SigningStargateClient, coin } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { Agent, request } from "undici";
import { aroRegistry, setupAroExtension } from "../../client/index.ts";
import { ClaimStatus, Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { EpochPhase } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import { Blockstore } from "../../client/content/blockstore.ts";
import { fetchContent } from "../../client/fetch/fetch-content.ts";
import { publishContent } from "../../client/publish.ts";
import { ReceiptSigner } from "../../client/receipts/receipt-signer.ts";
import { LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";
import { Keyring } from "../../chain/keyring/keyring.ts";
import { agentBin, editConfig, initAgent, killAgent, metricsUrl, startAgent, stopAgent, tail, type AgentEntry } from "../../app/testnet/agents.ts";
import { eventually } from "../support/eventually.ts";

const EPOCH = 30n;
const FEE = { amount: [coin(50000, "uaro")], gas: "2000000" };

describe("e2e: aro-agent daemons on a real chain — publish, multi-source fetch through routing, receipts, claims and proofs", function () {
  this.timeout(300_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-agents-"));
  let node: LocalNode;
  let customer: Funded;
  /** a second customer that fetches with the `aro-agent client fetch` command */
  let cliCustomer: Funded;
  let client: SigningStargateClient;
  let comet: Comet38Client;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupAroExtension>>>;
  let signer: ReceiptSigner;
  const agents: AgentEntry[] = [];
  const nodeIds = new Map<string, bigint>();
  let routingUrl = "";
  const data = new Uint8Array(randomBytes(200_000));
  let root = "";
  let contentId = 0n;
  /** the epoch agent-a's last delivery receipts are stamped with (what it claims for) */
  let aDeliveryEpoch: bigint | undefined;
  /** the epoch the forged receipts were stamped with */
  let forgedEpoch: bigint | undefined;

  const height = async () => BigInt((await comet.status()).syncInfo.latestBlockHeight);
  const epochNow = async () => (await height()) / EPOCH;
  const waitHeight = async (h: bigint) => {
    while ((await height()) < h) await new Promise((r) => setTimeout(r, 200));
  };

  before(async () => {
    customer = await newAccount();
    cliCustomer = await newAccount();
    signer = await ReceiptSigner.fromMnemonic(customer.mnemonic);
    const setups = [
      { name: "agent-a", role: "node" as const },
      { name: "agent-b", role: "node" as const },
      { name: "agent-c", role: "node" as const },
      // the watcher also serves PeerRouting: it stays up while node agents are killed and restarted
      { name: "watcher-1", role: "watcher" as const, edits: [["routing", "serve", true]] as Array<[string, string, boolean]> },
    ];
    for (const s of setups) agents.push(await initAgent(dir, "http://127.0.0.1:1", "", s));
    node = await LocalNode.create({
      funded: [...agents.map((a) => ({ address: a.operator, coins: "10000000000uaro" })), { address: customer.address, coins: "10000000000uaro" }, { address: cliCustomer.address, coins: "10000000000uaro" }],
      timeoutCommit: "300ms",
      editGenesis: (g) => {
        const s = g.app_state;
        Object.assign(s.settlement.params, { epochLength: EPOCH.toString() });
        Object.assign(s.gpow.params, { claimWindow: "10", proofWindow: "60", alwaysProveBytes: "1", storageWindow: "20" });
        Object.assign(s.watcher.params, { attestWindow: "10", minStake: "1000000" });
        Object.assign(s.peernode.params, { minBond: "1000000" });
        Object.assign(s.market.params, { chunkSize: 16384 });
      },
    });
    await node.start();
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupAroExtension);
    client = await SigningStargateClient.connectWithSigner(node.rpc, customer.wallet as DirectSecp256k1HdWallet, { registry: aroRegistry(), broadcastPollIntervalMs: 200 });
    for (const a of agents) editConfig(a.home, [["", "chain_rpc", node.rpc], ["node", "bond", "5000000uaro"], ["watcher", "stake", "2000000uaro"]]);
  });
  after(async () => {
    for (const a of agents) await killAgent(a).catch(() => undefined);
    client?.disconnect();
    comet?.disconnect();
    await node?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("agents start, register their nodes with a bond (and the watcher its stake), and report status and metrics", async () => {
    const watcherRun = await startAgent(agents[3]);
    routingUrl = watcherRun.routingUrl!;
    assert.match(routingUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    for (const a of agents.slice(0, 3)) editConfig(a.home, [["routing", "url", routingUrl]]);
    for (const a of agents) {
      const status = a.run ?? (await startAgent(a, a.name === "agent-c" ? ["--fault", "corrupt-chunks"] : []));
      if (a.role === "node") nodeIds.set(a.name, BigInt(status.nodeId as string));
      else assert.equal(status.nodeId, undefined, "a watcher-only agent registers no node");
    }
    for (const a of agents.filter((x) => x.role === "node")) {
      const n = (await q.aro.peernode.Node({ nodeId: nodeIds.get(a.name)! })).node!;
      assert.equal(n.operator, a.operator);
      assert.equal(n.peerId, a.peerId);
      assert.equal(n.guaranteeTokens, "5000000");
    }
    assert.ok((await q.aro.watcher.Watcher({ address: agents[3].operator })).watcher);
    const metrics = await (await fetch(`${metricsUrl(agents[0])}/metrics`)).text();
    assert.match(metrics, /aro_chain_height \d+/);
    assert.match(metrics, /aro_tx_seconds_count\{msg="MsgRegisterNode"\} 1/, "the registration tx is timed");
    assert.match(metrics, /aro_operator_balance [1-9]/);
    assert.equal((await fetch(`${metricsUrl(agents[0])}/health`)).status, 200);
    const status = (await (await fetch(`${metricsUrl(agents[0])}/status`)).json()) as { nodeId: string; bond: string; duties: string[] };
    assert.equal(status.nodeId, nodeIds.get("agent-a")!.toString());
    assert.equal(status.bond, "bonded", "its guarantee covers min_bond");
    assert.deepEqual(status.duties, ["hvm", "gpow", "pinning", "addresses", "bond"]);
  });

  it("a published file lands on the replica nodes the chain assigns; a client fetches it from several through routing, the corrupt node gets no receipt", async () => {
    // a node's agent keeps a receipt only as far as the customer's allotment to that node covers it
    await client.signAndBroadcast(customer.address, [
      { typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: customer.address, amount: coin("1000000000", "uaro") } },
      ...[...nodeIds.values()].map((nodeId) => ({ typeUrl: "/aro.market.v1.MsgAllotEscrow", value: { owner: customer.address, nodeId, amount: coin("1000000", "uaro") } })),
    ], FEE);
    const pub = await publishContent(client, q, customer.address, data, { replication: 3, regions: ["europe"], epochs: 10n, fee: FEE });
    root = pub.root;
    contentId = pub.contentId;
    assert.deepEqual(pub.uploads.map((u) => [u.ok, u.error]), [[true, undefined], [true, undefined], [true, undefined]]);
    await eventually(async () => {
      const answer = (await (await fetch(`${routingUrl}/route?content=${root}&region=europe&n=4`)).json()) as { nodes: Array<{ holds: boolean }> };
      assert.equal(answer.nodes.filter((n) => n.holds).length, 3);
    }, 30_000, 500);
    const r = await fetchContent(pub.cid, { routingUrl, region: "europe", store: new Blockstore(path.join(dir, "client")), signer, epoch: epochNow });
    assert.deepEqual(new Uint8Array(fs.readFileSync(r.path)), data);
    const c = nodeIds.get("agent-c")!.toString();
    assert.deepEqual(r.dropped.map((d) => [d.id, d.reason]), [[c, "corrupt"]], JSON.stringify({ dropped: r.dropped, servedBy: [...r.servedBy], route: await (await fetch(`${routingUrl}/route?content=${root}&region=europe&n=4`)).json() }));
    assert.ok(r.receipts.length >= 2 && r.receipts.every((x) => x.delivered && x.nodeId !== c), JSON.stringify(r.receipts, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
    assert.ok(new Set(r.receipts.map((x) => x.nodeId)).size >= 2, "receipts for at least two nodes");
    // failure reports are probed (a random chunk checked against the root): the corrupt node is
    // left out (already, from the client's own report, or now), an honest one is kept
    const report = async (nodeId: string) => (await (await fetch(`${routingUrl}/failed`, { method: "POST", body: JSON.stringify({ nodeId, content: root }) })).json()) as { outcome: string };
    const onCorrupt = await report(c);
    assert.ok(["already-down", "excluded"].includes(onCorrupt.outcome), JSON.stringify(onCorrupt));
    const honest = [...r.servedBy.keys()][0];
    const onHonest = await report(honest);
    assert.ok(["alive", "recently-alive"].includes(onHonest.outcome), JSON.stringify(onHonest));
    // the client's measured chunk times now rank the nodes for its region
    await eventually(async () => {
      const answer = (await (await fetch(`${routingUrl}/route?content=${root}&region=europe&n=4`)).json()) as { nodes: Array<{ nodeId: string; breakdown: { latencyMeasured: boolean } }> };
      const measured = answer.nodes.filter((n) => n.breakdown.latencyMeasured).map((n) => n.nodeId);
      assert.ok(measured.length >= 2, `measured latency for ${JSON.stringify(measured)}`);
    }, 10_000, 300);
  });

  it("`aro-agent client fetch` allots what the receipts cost to each serving node, so their agents keep them", async () => {
    const home = path.join(dir, "cli-customer");
    await new Keyring(home, "test").add("buyer", cliCustomer.mnemonic);
    const cli = await SigningStargateClient.connectWithSigner(node.rpc, cliCustomer.wallet as DirectSecp256k1HdWallet, { registry: aroRegistry(), broadcastPollIntervalMs: 200 });
    const dep = await cli.signAndBroadcast(cliCustomer.address, [{ typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: cliCustomer.address, amount: coin("1000000000", "uaro") } }], FEE);
    assert.equal(dep.code, 0, dep.rawLog);
    // its own content, so what it fetches leaves the other tests' served-bytes books alone
    const own = new Uint8Array(randomBytes(100_000));
    const pub = await publishContent(cli, q, cliCustomer.address, own, { replication: 2, regions: ["europe"], epochs: 10n, fee: FEE });
    cli.disconnect();
    assert.ok(pub.uploads.every((u) => u.ok), JSON.stringify(pub.uploads.map((u) => u.error)));
    await eventually(async () => {
      const answer = (await (await fetch(`${routingUrl}/route?content=${pub.root}&region=europe&n=4`)).json()) as { nodes: Array<{ holds: boolean }> };
      assert.equal(answer.nodes.filter((n) => n.holds).length, 2);
    }, 30_000, 500);
    const out = path.join(dir, "cli-fetched.bin");
    const run = (...extra: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [agentBin, "client", "fetch", pub.cid, "--routing", routingUrl, "--from", "buyer", "--home", home, "--keyring-backend", "test", "--chain-rpc", node.rpc, "-o", out, ...extra]);
      let stdout = "";
      let stderr = "";
      p.stdout.on("data", (d) => (stdout += d));
      p.stderr.on("data", (d) => (stderr += d));
      p.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
    const r = await run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(new Uint8Array(fs.readFileSync(out)), own);
    const res = JSON.parse(r.stdout) as { allotted: Record<string, string>; receipts: Array<{ nodeId: string; delivered: boolean; error?: string }> };
    const served = res.receipts.map((x) => x.nodeId);
    assert.ok(served.length > 0 && res.receipts.every((x) => x.delivered), r.stdout);
    for (const id of served) {
      assert.match(res.allotted[id] ?? "", /^[1-9][0-9]*uaro$/, `allotted to node ${id}: ${r.stdout}`);
      const { allotment } = await q.aro.market.Allotment({ owner: cliCustomer.address, nodeId: BigInt(id) });
      assert.ok(BigInt(allotment!.amount) > 0n, `node ${id} has an allotment on chain`);
    }
  });

  it("every replica node answers its storage challenge on its own, with the challenged segment's bytes read from its store", async () => {
    // the first epoch that starts after a replica's node acked it on chain challenges it
    const replicas = agents.slice(0, 3);
    const acks = await eventually(async () => {
      const c = (await q.aro.market.Content({ contentId })).content!;
      assert.equal(c.acks.length, 3, `acks so far: ${JSON.stringify(c.acks.map((x) => x.nodeId.toString()))}`);
      return c.acks;
    }, 60_000, 500);
    const firstChallenged = (name: string) => (acks.find((x) => x.nodeId === nodeIds.get(name)!)!.height - 1n) / EPOCH + 1n;
    const epochOf = new Map(replicas.map((a) => [a.name, firstChallenged(a.name)]));
    await eventually(async () => {
      for (const a of replicas) {
        const epoch = epochOf.get(a.name)!;
        const ch = await q.aro.gpow.StorageChallenge({ nodeId: nodeIds.get(a.name)!, contentId, epoch });
        assert.ok(ch.answered, `${a.name} has not answered chunk ${ch.chunkIndex} segment ${ch.segmentIndex} of epoch ${epoch}\n${tail(a)}`);
      }
    }, 60_000, 500);
    for (const a of replicas) {
      const epoch = epochOf.get(a.name)!;
      const ch = await q.aro.gpow.StorageChallenge({ nodeId: nodeIds.get(a.name)!, contentId, epoch });
      // the log line may reach the file a moment after the tx is in a block
      await eventually(async () => {
        const answered = tail(a, 1_000_000).split("\n").filter((l) => l.includes("storage challenge answered")).map((l) => JSON.parse(l) as { content: string; epoch: string; chunk: number; segment: number });
        assert.ok(
          answered.some((l) => l.content === contentId.toString() && l.epoch === epoch.toString() && l.chunk === Number(ch.chunkIndex) && l.segment === Number(ch.segmentIndex)),
          `${a.name} answered ${JSON.stringify(answered)}, the chain drew chunk ${ch.chunkIndex} segment ${ch.segmentIndex}`,
        );
      }, 15_000, 300);
      assert.match(await (await fetch(`${metricsUrl(a)}/metrics`)).text(), /aro_gpow_storage_proofs_total [1-9]/);
    }
  });

  it("forged receipts are refused at the door: no escrow, bytes never served, content not held (the node keeps only what the chain will accept)", async () => {
    const a = agents[0];
    const id = nodeIds.get("agent-a")!;
    forgedEpoch = await epochNow();
    const post = async (r: Receipt) => {
      const res = await fetch(`${a.run!.dtsUrl}/receipt`, { method: "POST", body: Receipt.encode(r).finish() });
      return { status: res.status, text: await res.text() };
    };
    // the node really serves chunk 0 to the stranger, so only the escrow check can refuse it
    const chunk = await fetch(`${a.run!.dtsUrl}/chunk/${root}/0`);
    assert.equal(chunk.status, 200);
    const served = BigInt((await chunk.arrayBuffer()).byteLength);
    const stranger = await ReceiptSigner.fromPrivateKey(randomBytes(32)); // no account, no escrow
    const noEscrow = await post(await stranger.sign({ nodeId: id, contentId: root, rangeStart: 0n, rangeEnd: served, epoch: forgedEpoch, nonce: 1n }));
    assert.equal(noEscrow.status, 400, noEscrow.text);
    assert.match(noEscrow.text, /has no escrow on chain/);
    // a paying customer's receipt for 1 TiB of a 200 kB content, and for bytes the node never served
    const tib = await post(await signer.sign({ nodeId: id, contentId: root, rangeStart: 0n, rangeEnd: 1n << 40n, epoch: forgedEpoch, nonce: 2n }));
    assert.equal(tib.status, 400, tib.text);
    assert.match(tib.text, /not within the content's 200000 bytes/);
    // A watcher's probe is served like any client's request (it must look like one), so what
    // no receipt covers grows while the test runs; once it reaches the whole content, a
    // receipt for all of it covers real bytes. The paying client receipts the whole content
    // until less than that is left uncovered: the next such receipt must be refused.
    let nonce = 100n;
    const whole = async () => post(await signer.sign({ nodeId: id, contentId: root, rangeStart: 0n, rangeEnd: BigInt(data.length), epoch: forgedEpoch!, nonce: nonce++ }));
    let twice = await whole();
    while (twice.status === 200) {
      assert.ok(nonce < 130n, "the node keeps accepting receipts for the whole content");
      twice = await whole();
    }
    assert.equal(twice.status, 400, twice.text);
    assert.match(twice.text, /this node served \d+ bytes of it that no receipt covers yet/);
    const elsewhere = await post(await signer.sign({ nodeId: id, contentId: "ab".repeat(32), rangeStart: 0n, rangeEnd: 10n, epoch: forgedEpoch, nonce: 4n }));
    assert.equal(elsewhere.status, 400, elsewhere.text);
    assert.match(elsewhere.text, /which this node does not hold/);
    // a chunk served is receiptable by a paying client (fetched again: the receipts above may have covered the stranger's)
    const again = await fetch(`${a.run!.dtsUrl}/chunk/${root}/0`);
    assert.equal(again.status, 200);
    await again.arrayBuffer();
    const honest = await post(await signer.sign({ nodeId: id, contentId: root, rangeStart: 0n, rangeEnd: served, epoch: forgedEpoch, nonce: 5n }));
    assert.equal(honest.status, 200, honest.text);
  });

  it("pre-emptive placement: a content whose requests surge is prefetched by another node before it is asked to serve", async () => {
    // one replica, on an honest node (agent-c corrupts what it serves: nobody could prefetch from it)
    const corrupt = nodeIds.get("agent-c")!;
    let pub = await publishContent(client, q, customer.address, new Uint8Array(randomBytes(100_000)), { replication: 1, regions: ["europe"], epochs: 10n, fee: FEE });
    for (let tries = 1; pub.replicas[0] === corrupt; tries++) {
      assert.ok(tries < 10, "the chain kept placing the replica on the corrupt node");
      pub = await publishContent(client, q, customer.address, new Uint8Array(randomBytes(100_000)), { replication: 1, regions: ["europe"], epochs: 10n, fee: FEE });
    }
    assert.ok(pub.uploads.every((u) => u.ok));
    const holder = pub.replicas[0].toString();
    const url = `${routingUrl}/route?content=${pub.root}&region=europe&n=1`;
    // a surge of requests from one region by 20 distinct clients (127.0.0.20-39): routing counts
    // each client once per content and region per 30 s, so one client alone could not make it hot
    const clients = Array.from({ length: 20 }, (_, i) => new Agent({ localAddress: `127.0.0.${20 + i}` }));
    try {
      await eventually(async () => {
        for (const dispatcher of clients) await (await request(url, { dispatcher })).body.dump();
        const others = agents.slice(0, 3).filter((a) => a.run?.nodeId !== holder);
        const statuses = await Promise.all(others.map(async (a) => (await (await fetch(`${metricsUrl(a)}/status`)).json()) as { contents: string[] }));
        if (!statuses.some((st) => st.contents.includes(pub.root))) {
          const plans = await Promise.all(agents.slice(0, 3).map(async (a) => [a.run?.nodeId, await (await fetch(`${routingUrl}/prefetch?node=${a.run?.nodeId}`)).json()]));
          const logs = agents.slice(0, 3).map((a) => tail(a, 200).split("\n").filter((l) => l.includes("prefetch") || l.includes("routing-link")).slice(-3).join("\n"));
          assert.fail(`no other node prefetched the rising content yet (holder ${holder}); plans ${JSON.stringify(plans)}\n${logs.join("\n")}`);
        }
      }, 40_000, 500);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it("a node killed mid-download: the client finishes from the others, and routing stops sending clients to it", async () => {
    const big = new Uint8Array(randomBytes(3_000_000));
    const pub = await publishContent(client, q, customer.address, big, { replication: 3, regions: ["europe"], epochs: 10n, fee: FEE });
    assert.ok(pub.uploads.every((u) => u.ok), JSON.stringify(pub.uploads.map((u) => u.error)));
    await eventually(async () => {
      const answer = (await (await fetch(`${routingUrl}/route?content=${pub.root}&region=europe&n=4`)).json()) as { nodes: Array<{ holds: boolean }> };
      assert.equal(answer.nodes.filter((n) => n.holds).length, 3);
    }, 30_000, 500);
    const b = agents[1];
    const bId = nodeIds.get("agent-b")!.toString();
    let killed: Promise<void> | undefined;
    const r = await fetchContent(pub.cid, {
      routingUrl, region: "europe", store: new Blockstore(path.join(dir, "client-2")), signer, epoch: async () => (aDeliveryEpoch = await epochNow()), chunkTimeoutMs: 3_000,
      onProgress: (p) => {
        if (!killed && p.chunksDone >= 20) killed = killAgent(b);
      },
    });
    await killed;
    assert.deepEqual(new Uint8Array(fs.readFileSync(r.path)), big);
    const reasons = Object.fromEntries(r.dropped.map((d) => [d.id, d.reason]));
    assert.ok(reasons[bId] === "failed" || reasons[bId] === "slow", JSON.stringify(r.dropped));
    assert.ok((r.servedBy.get(nodeIds.get("agent-a")!.toString())?.length ?? 0) > 0);
    assert.ok(r.receipts.some((x) => x.nodeId === nodeIds.get("agent-a")!.toString() && x.delivered), JSON.stringify(r.receipts, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
    // routing probes the reported node (connection refused) before it leaves it out
    await eventually(async () => {
      const answer = (await (await fetch(`${routingUrl}/route?content=${pub.root}&region=europe&n=4`)).json()) as { nodes: Array<{ nodeId: string }> };
      assert.ok(!answer.nodes.some((n) => n.nodeId === bId), `routing still offers the killed node: ${JSON.stringify(answer.nodes.map((n) => n.nodeId))}`);
    }, 10_000, 200);
  });

  it("an agent restarted between its claim and its proof still proves and the claim is accepted", async () => {
    const a = agents[0];
    const id = nodeIds.get("agent-a")!;
    // the epoch of agent-a's last deliveries (the previous test): the current one may be
    // later on a slow machine, and agent-a has nothing to claim there
    const epoch = aDeliveryEpoch ?? (await epochNow());
    const claimEnd = (epoch + 1n) * EPOCH + 10n;
    await eventually(async () => assert.ok((await q.aro.gpow.Claim({ nodeId: id, epoch })).claim), 60_000, 500);
    await killAgent(a);
    await waitHeight(claimEnd + 1n);
    await startAgent(a);
    const claim = await eventually(async () => {
      const c = (await q.aro.gpow.Claim({ nodeId: id, epoch })).claim!;
      assert.equal(c.status, ClaimStatus.CLAIM_STATUS_ACCEPTED, `claim is ${ClaimStatus[c.status]}\n${tail(a)}`);
      return c;
    }, 60_000, 500);
    assert.ok(claim.totalBytes > 0n);
    // and it is paid for the epoch
    await eventually(async () => assert.equal((await q.aro.settlement.Epoch({ epoch })).settlement!.phase, EpochPhase.EPOCH_PHASE_SETTLED), 90_000, 500);
    const ex = await q.aro.settlement.Explain({ nodeId: id, epoch });
    assert.ok(BigInt(ex.record!.reward) > 0n, ex.formula);
    // the main customer's bytes are paid work (a few KB another customer fetched may cost less than 1 uaro: unpaid, not work)
    const mainBytes = claim.clientTotals.find((t) => t.client === customer.address)?.bytes ?? 0n;
    assert.ok(mainBytes > 0n && BigInt(ex.record!.work!.deliveredBytes) >= mainBytes, ex.formula);
    // the forged receipts never reached a claim: no claim of this node was voided (a void costs bond)
    for (let e = forgedEpoch!; e <= epoch; e++) {
      const c = (await q.aro.gpow.Claim({ nodeId: id, epoch: e }).catch(() => undefined))?.claim;
      assert.notEqual(c?.status, ClaimStatus.CLAIM_STATUS_VOID, `claim of epoch ${e} was voided`);
    }
  });

  it("the watcher agent probed the nodes it was assigned and attested each epoch on chain", async () => {
    const watcher = agents[3].operator;
    const id = nodeIds.get("agent-a")!;
    const epoch = (await epochNow()) - 1n;
    await eventually(async () => {
      const found = [];
      for (let e = epoch; e >= 1n && e >= epoch - 3n; e--) found.push(...(await q.aro.watcher.Reports({ nodeId: id, epoch: e })).reports.filter((r) => r.watcher === watcher));
      assert.ok(found.length > 0, `no report by the watcher on node ${id}:\n${tail(agents[3])}`);
      assert.ok(found.some((r) => r.report!.uptimePermille > 0));
    }, 60_000, 1000);
    await stopAgent(agents[0]);
  });
});
