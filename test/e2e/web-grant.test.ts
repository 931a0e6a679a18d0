import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { QueryClient, SigningStargateClient, coin } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { chromium, type Browser } from "playwright-core";
import { aroRegistry, setupAroExtension } from "../../client/index.ts";
import { COLLECTION_MEDIA_TYPE } from "../../client/content/collection.ts";
import { prepareCollection, type PreparedCollection } from "../../client/content/collection-source.ts";
import { publishContent } from "../../client/publish.ts";
import { grantId, signGrant } from "../../client/receipts/grant.ts";
import { DeliveryGrant, GrantReceiptSigner, generateSessionKey } from "../../client/receipts/session-signer.ts";
import { Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { CHAIN_ID, LocalNode, newAccount, repoRoot, type Funded } from "../../app/testnet/local-node.ts";
import { editConfig, initAgent, killAgent, startAgent, tail, type AgentEntry } from "../../app/testnet/agents.ts";
import { eventually } from "../support/eventually.ts";

const CHROMIUM = "/usr/bin/chromium";
const EPOCH = 20n;
const FEE = { amount: [coin(100000, "uaro")], gas: "4000000" };

/** A w×h PNG of one colour, made here (no image in the repository). */
function png(w: number, h: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.concat(Array.from({ length: h }, () => Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, 0x7f)])));
  return new Uint8Array(Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]));
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>aro web</title><img id="logo" alt="logo">
<script type="module">
import { AroWeb, DeliveryGrant, sessionKeyFrom } from "./aro-web.js";
const c = window.ARO;
const hex = (s) => Uint8Array.from(s.match(/../g), (b) => parseInt(b, 16));
window.done = (async () => {
  const web = new AroWeb({ routingUrl: c.routingUrl, restUrl: c.restUrl, region: "europe", grant: DeliveryGrant.fromJSON(c.grant), sessionKey: sessionKeyFrom(hex(c.sessionKey)) });
  const img = document.getElementById("logo");
  const loaded = new Promise((r, e) => { img.onload = r; img.onerror = () => e(new Error("the image did not load")); });
  const logo = await web.get(c.root, "logo.png");
  img.src = URL.createObjectURL(new Blob([logo.bytes], { type: logo.mediaType }));
  await loaded;
  const script = document.createElement("script");
  const ran = new Promise((r) => (script.onload = r));
  script.src = await web.objectUrl(c.root, "app.js");
  document.body.append(script);
  await ran;
  const app = await web.get(c.root, "app.js");
  return { width: img.naturalWidth, ran: window.aroScriptRan, logoType: logo.mediaType, receipts: [...logo.receipts, ...app.receipts] };
})().catch((e) => ({ error: String(e && e.stack || e) }));
</script>`;

describe("e2e: a web page in Chromium loads an image and a script from Aro nodes with a publisher's grant (client/web), and the chain charges the publisher within the cap", function () {
  this.timeout(600_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-web-"));
  let node: LocalNode;
  let publisher: Funded;
  let comet: Comet38Client;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupAroExtension>>>;
  const agents: AgentEntry[] = [];
  const nodeIds: bigint[] = [];
  let routingUrl = "";
  let site: PreparedCollection;
  let browser: Browser | undefined;
  let page: http.Server | undefined;
  let pageUrl = "";
  const session = generateSessionKey();
  let grant: DeliveryGrant;
  let cap = 0n;

  const height = async () => BigInt((await comet.status()).syncInfo.latestBlockHeight);

  before(async () => {
    execFileSync("bash", [path.join(repoRoot, "scripts", "install-chromium")], { stdio: ["ignore", "ignore", "inherit"] });
    execFileSync("bash", [path.join(repoRoot, "scripts", "build-web")], { stdio: ["ignore", "ignore", "inherit"] });
    publisher = await newAccount();
    for (const s of [{ name: "node-a", role: "node" as const }, { name: "node-b", role: "node" as const }, { name: "watcher", role: "watcher" as const, edits: [["routing", "serve", true]] as Array<[string, string, boolean]> }]) {
      agents.push(await initAgent(dir, "http://127.0.0.1:1", "", s));
    }
    node = await LocalNode.create({
      funded: [...agents.map((a) => ({ address: a.operator, coins: "10000000000uaro" })), { address: publisher.address, coins: "100000000000uaro" }],
      timeoutCommit: "300ms",
      app: [["api.enabled-unsafe-cors", true]],
      editGenesis: (g) => {
        const s = g.app_state;
        Object.assign(s.settlement.params, { epochLength: EPOCH.toString(), unreportedUptimePermille: 1000 });
        Object.assign(s.gpow.params, { claimWindow: "8", proofWindow: "30", alwaysProveBytes: "1", storageWindow: "10" });
        // 1 uaro a byte delivered: the charge reads as bytes
        Object.assign(s.market.params.prices, { perGbDelivered: "1000000000.000000000000000000" });
        Object.assign(s.market.params, { chunkSize: 16384 });
        Object.assign(s.watcher.params, { minStake: "1000000" });
        Object.assign(s.peernode.params, { minBond: "1000000" });
      },
    });
    await node.start();
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupAroExtension);
    for (const a of agents) editConfig(a.home, [["", "chain_rpc", node.rpc], ["node", "bond", "5000000uaro"], ["watcher", "stake", "2000000uaro"]]);
    routingUrl = (await startAgent(agents[2])).routingUrl!;
    for (const a of agents.slice(0, 2)) {
      editConfig(a.home, [["routing", "url", routingUrl]]);
      nodeIds.push(BigInt((await startAgent(a)).nodeId!));
    }
    const folder = path.join(dir, "site");
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, "logo.png"), png(64, 48));
    // big enough to be several chunks, so both nodes serve part of it
    fs.writeFileSync(path.join(folder, "app.js"), `window.aroScriptRan = 42;\n/*${"x".repeat(60_000)}*/\n`);
    const c = await SigningStargateClient.connectWithSigner(node.rpc, publisher.wallet, { registry: aroRegistry(), broadcastPollIntervalMs: 200 });
    await eventually(async () => assert.ok(await c.getAccount(publisher.address)), 30_000, 200);
    const dep = await c.signAndBroadcast(publisher.address, [
      { typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: publisher.address, amount: coin("10000000", "uaro") } },
      ...nodeIds.map((nodeId) => ({ typeUrl: "/aro.market.v1.MsgAllotEscrow", value: { owner: publisher.address, nodeId, amount: coin("1000000", "uaro") } })),
    ], FEE);
    assert.equal(dep.code, 0, dep.rawLog);
    site = await prepareCollection(folder, 16384);
    const pub = await publishContent(c, q, publisher.address, site.source, { info: site.info, mediaType: COLLECTION_MEDIA_TYPE, replication: 2, regions: ["europe"], epochs: 500n, fee: FEE });
    assert.ok(pub.uploads.every((u) => u.ok), pub.uploads.map((u) => u.error).join("; "));
    c.disconnect();
    await eventually(async () => {
      const answer = (await (await fetch(`${routingUrl}/route?content=${site.info.root}&region=europe&n=4`)).json()) as { nodes: Array<{ holds: boolean }> };
      assert.equal(answer.nodes.filter((n) => n.holds).length, 2);
    }, 60_000, 500);
    // the page is served from its own origin: everything Aro it reaches is cross-origin (CORS)
    page = http.createServer((req, res) => {
      if (req.url === "/aro-web.js") return void res.writeHead(200, { "content-type": "text/javascript" }).end(fs.readFileSync(path.join(repoRoot, ".bin", "aro-web.js")));
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
    });
    await new Promise<void>((r) => page!.listen(0, "127.0.0.1", r));
    pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM });
  });
  after(async () => {
    await browser?.close();
    await new Promise<void>((r) => (page ? page.close(() => r()) : r()));
    for (const a of agents) await killAgent(a).catch(() => undefined);
    comet?.disconnect();
    await node?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the page fetches both files through routing (every chunk checked in the browser), shows the image, runs the script, and its session key's receipts reach the nodes", async () => {
    const epoch = (await height()) / EPOCH;
    cap = BigInt(site.info.size) * 3n;
    grant = await signGrant(await Secp256k1HdWallet.fromMnemonic(publisher.mnemonic, { prefix: "aro" }), { chainId: CHAIN_ID, publisher: publisher.address, sessionKey: session.publicKey, roots: [site.info.root], capBytes: cap, expiresEpoch: epoch + 20n, nonce: 1n });
    const tab = await browser!.newPage();
    const config = { routingUrl, restUrl: node.api, root: site.info.root, grant: DeliveryGrant.toJSON(grant), sessionKey: Buffer.from(session.privateKey).toString("hex") };
    await tab.addInitScript((c) => ((globalThis as unknown as { ARO: unknown }).ARO = c), config);
    await tab.goto(pageUrl);
    const r = (await tab.evaluate(() => (globalThis as unknown as { done: Promise<unknown> }).done)) as { error?: string; width: number; ran: number; logoType: string; receipts: Array<{ nodeId: string; bytes: number; delivered: boolean; error?: string }> };
    await tab.close();
    assert.equal(r.error, undefined, r.error);
    assert.equal(r.width, 64, "the image decoded");
    assert.equal(r.ran, 42, "the script ran");
    assert.equal(r.logoType, "image/png");
    assert.ok(r.receipts.length > 0 && r.receipts.every((x) => x.delivered), JSON.stringify(r.receipts));
    assert.equal(new Set(r.receipts.map((x) => x.nodeId)).size, 2, `both nodes served: ${JSON.stringify(r.receipts)}`);
  });

  it("the nodes claim what the session key signed, and the chain charges the publisher's escrow under the grant, within its cap", async () => {
    const id = grantId(grant);
    const usage = await eventually(async () => {
      const u = (await q.aro.gpow.GrantUsage({ grantId: id })).usage;
      assert.ok(u && u.chargedBytes > 0n, `no charge under the grant yet; node-a's log:\n${tail(agents[0], 15)}`);
      return u!;
    }, 240_000, 1000);
    assert.equal(usage.publisher, publisher.address);
    assert.ok(usage.chargedBytes <= cap, `charged ${usage.chargedBytes} of a ${cap}-byte cap`);
  });

  it("a node refuses receipts under an expired grant, and a signer refuses to go over the cap", async () => {
    const epoch = (await height()) / EPOCH;
    const wallet = await Secp256k1HdWallet.fromMnemonic(publisher.mnemonic, { prefix: "aro" });
    const expired = await signGrant(wallet, { chainId: CHAIN_ID, publisher: publisher.address, sessionKey: session.publicKey, roots: [site.info.root], capBytes: 1000n, expiresEpoch: epoch, nonce: 2n });
    // what a page that ignores its own checks could send: signed by the session key all the same
    const unsigned: Receipt = { nodeId: nodeIds[0], client: publisher.address, clientPubkey: session.publicKey, contentId: site.info.root, rangeStart: 0n, rangeEnd: 100n, bytes: 100n, epoch, nonce: 77n, signature: new Uint8Array(), totalBytes: 100n, grant: expired };
    const forged = { ...unsigned, signature: secp256k1.sign(Receipt.encode(unsigned).finish(), session.privateKey) };
    const dtsUrl = agents[0].run!.dtsUrl!;
    // bytes served that no receipt covers yet, so only the grant can be the reason for a refusal
    assert.equal((await fetch(`${dtsUrl}/chunk/${site.info.root}/0`)).status, 200);
    const res = await fetch(`${dtsUrl}/receipt`, { method: "POST", body: Receipt.encode(forged).finish() });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /expired/);
    const small = await signGrant(wallet, { chainId: CHAIN_ID, publisher: publisher.address, sessionKey: session.publicKey, roots: [site.info.root], capBytes: 100n, expiresEpoch: epoch + 5n, nonce: 3n });
    assert.throws(() => new GrantReceiptSigner(session, small).sign({ nodeId: nodeIds[0], contentId: site.info.root, rangeStart: 0n, rangeEnd: 200n, epoch }), /cap is 100 bytes/);
  });
});
