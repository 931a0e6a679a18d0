import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { AminoTypes, QueryClient, SigningStargateClient, coin, createDefaultAminoConverters, type DeliverTxResponse } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { aroAminoConverters } from "../../client/amino.ts";
import { aroRegistry, setupAroExtension } from "../../client/index.ts";
import { NatType, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { chainMediaTypes } from "../../workers/dts/media-types.ts";
import { LocalNode, arodBin, newAccount, type Funded } from "../../app/testnet/local-node.ts";

const FEE = { amount: [coin(50000, "uaro")], gas: "2000000" };
const PEER = "12D3KooW" + "A".repeat(44);
const root = () => Buffer.from(randomBytes(32)).toString("hex");

describe("e2e: content media types — published with the content, returned by Content and ContentByRoot (gRPC, REST, CLI)", function () {
  let node: LocalNode;
  let alice: Funded;
  let direct: SigningStargateClient;
  let amino: SigningStargateClient;
  let comet: Comet38Client;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupAroExtension>>>;
  const ok = (r: DeliverTxResponse) => (assert.equal(r.code, 0, r.rawLog), r);
  const publish = (owner: string, r: string, mediaType?: string) => ({
    typeUrl: "/aro.market.v1.MsgPublishContent",
    value: { owner, root: r, size: 4096n, replication: 1, regions: ["europe"], epochs: 2n, ...(mediaType === undefined ? {} : { mediaType }) },
  });

  before(async () => {
    alice = await newAccount();
    node = await LocalNode.create({
      funded: [{ address: alice.address, coins: "100000000000uaro" }],
      editGenesis: (g) => Object.assign(g.app_state.peernode.params, { minBond: "1000000" }),
    });
    await node.start();
    const opts = { registry: aroRegistry(), broadcastPollIntervalMs: 200 };
    direct = await SigningStargateClient.connectWithSigner(node.rpc, alice.wallet, opts);
    const aminoWallet = await Secp256k1HdWallet.fromMnemonic(alice.mnemonic, { prefix: "aro" });
    amino = await SigningStargateClient.connectWithSigner(node.rpc, aminoWallet, { ...opts, aminoTypes: new AminoTypes({ ...createDefaultAminoConverters(), ...aroAminoConverters() }) });
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupAroExtension);
    ok(await direct.signAndBroadcast(alice.address, [
      {
        typeUrl: "/aro.peernode.v1.MsgRegisterNode",
        value: {
          owner: alice.address, operator: alice.address, peerId: PEER, multiaddrs: ["/ip4/127.0.0.1/tcp/4100"], endpoints: [], region: "europe",
          resources: { bandwidthMbps: 100n, storageGb: 10n, cpuMillicores: 1000n, memoryMb: 1024n, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC,
          services: [Service.SERVICE_CDN], commission: "0.1", bond: coin("10000000", "uaro"),
        },
      },
      { typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: alice.address, amount: coin("10000000", "uaro") } },
    ], FEE));
  });
  after(async () => {
    direct?.disconnect();
    amino?.disconnect();
    comet?.disconnect();
    await node?.cleanup();
  });

  it("a media type signed in amino JSON (Ledger) and in direct mode is stored; none stays empty (omitted in amino JSON)", async () => {
    const [html, css, none] = [root(), root(), root()];
    ok(await amino.signAndBroadcast(alice.address, [publish(alice.address, html, "text/html; charset=utf-8")], FEE));
    ok(await amino.signAndBroadcast(alice.address, [publish(alice.address, none)], FEE));
    ok(await direct.signAndBroadcast(alice.address, [publish(alice.address, css, "text/css")], FEE));
    assert.deepEqual(aroAminoConverters()["/aro.market.v1.MsgPublishContent"].toAmino(publish(alice.address, none).value), {
      owner: alice.address, root: none, size: "4096", replication: 1, regions: ["europe"], epochs: "2",
    });

    const byRoot = async (r: string) => (await q.aro.market.ContentByRoot({ root: r })).content!;
    assert.equal((await byRoot(html)).mediaType, "text/html; charset=utf-8");
    assert.equal((await byRoot(css)).mediaType, "text/css");
    assert.equal((await byRoot(none)).mediaType, "");
    const c = await byRoot(css);
    assert.equal((await q.aro.market.Content({ contentId: c.id })).content!.mediaType, "text/css");
    assert.equal(c.root, css);

    const rest = await fetch(`${node.api}/aro/market/v1/content_by_root/${html}`);
    assert.equal(rest.status, 200);
    const json = (await rest.json()) as { content: { root: string; media_type: string; id: string } };
    assert.equal(json.content.media_type, "text/html; charset=utf-8");
    assert.equal(json.content.root, html);
    assert.equal((await (await fetch(`${node.api}/aro/market/v1/contents/${json.content.id}`)).json() as typeof json).content.media_type, "text/html; charset=utf-8");

    const types = chainMediaTypes(q.aro.market, { size: 2 });
    assert.equal(await types.mediaTypeOf(html), "text/html; charset=utf-8", "the node's resolver asks the chain");
    assert.equal(await types.mediaTypeOf(none), "application/octet-stream");
    assert.equal(await types.mediaTypeOf(root()), "application/octet-stream", "an unknown root");

    const cli = spawnSync(process.execPath, [arodBin, "query", "market", "content-by-root", css, "--node", node.rpc], { encoding: "utf8", timeout: 60_000 });
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /"mediaType": "text\/css"|"media_type": "text\/css"/);
  });

  it("a malformed media type is refused with market/13 and publishes nothing; an unknown or malformed root is a clear query error", async () => {
    const r = root();
    const before = (await q.aro.market.Escrow({ owner: alice.address })).escrow!;
    await assert.rejects(direct.signAndBroadcast(alice.address, [publish(alice.address, r, "Text/HTML")], FEE), /code 13 \(codespace: market\).*invalid media type/s);
    await assert.rejects(direct.signAndBroadcast(alice.address, [publish(alice.address, r, "text/html\r\nset-cookie: x=1")], FEE), /codespace: market/);
    await assert.rejects(q.aro.market.ContentByRoot({ root: r }), /content not found/);
    await assert.rejects(q.aro.market.ContentByRoot({ root: "XYZ" }), /64 lower-case hex digits/);
    assert.deepEqual((await q.aro.market.Escrow({ owner: alice.address })).escrow, before);
    const rest = await fetch(`${node.api}/aro/market/v1/content_by_root/${r}`);
    assert.equal(rest.status, 404);
  });
});
