import assert from "node:assert/strict";
import { GasPrice, SigningStargateClient, coin } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { getJson } from "../support/rest-shape.ts";
import { LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";

/** Hostile and mistaken requests get the SDK's coded error JSON, change nothing and never stop the gateway. */
describe("e2e: REST gateway errors, heights, CORS, simulation and Aro's routes", function () {
  let node: LocalNode;
  let alice: Funded;
  let api: string;
  const post = (path: string, body: string, headers: Record<string, string> = { "content-type": "application/json" }) => getJson(api, path, { method: "POST", headers, body });

  before(async () => {
    alice = await newAccount();
    node = await LocalNode.create({ funded: [{ address: alice.address, coins: "1000000000uaro" }], app: [["api.enabled-unsafe-cors", true]] });
    await node.start();
    api = node.api;
  });
  after(async () => node?.cleanup());

  const expectError = async (r: Promise<{ status: number; json: any }>, status: number, code: number, message?: RegExp) => {
    const { status: s, json } = await r;
    assert.equal(s, status, JSON.stringify(json));
    assert.deepEqual(Object.keys(json), ["code", "message", "details"]);
    assert.equal(json.code, code);
    if (message) assert.match(json.message, message);
  };

  it("answers bad requests with {code, message, details} and the gRPC-gateway HTTP status", async () => {
    await expectError(getJson(api, "/cosmos/bank/v1beta1/balances/xyz"), 400, 3, /invalid address/);
    await expectError(getJson(api, "/aro/peernode/v1/nodes/999"), 404, 5, /node not found/);
    await expectError(getJson(api, "/cosmos/gov/v1/proposals/9"), 404, 5);
    await expectError(getJson(api, "/cosmos/bank/v1beta1/nothing"), 404, 5);
    await expectError(getJson(api, "/cosmos/bank/v1beta1/supply", { method: "DELETE" }), 405, 12);
    await expectError(getJson(api, `/cosmos/bank/v1beta1/balances/${alice.address}?pagination.limit=x`), 400, 3);
    await expectError(getJson(api, `/cosmos/bank/v1beta1/balances/${alice.address}?colour=blue`), 400, 3, /no field "colour"/);
    await expectError(getJson(api, "/cosmos/bank/v1beta1/supply", { headers: { "x-cosmos-block-height": "-1" } }), 400, 3, /x-cosmos-block-height/);
    await expectError(getJson(api, "/cosmos/bank/v1beta1/supply", { headers: { "x-cosmos-block-height": "99999999" } }), 400, 3);
    await expectError(post("/cosmos/tx/v1beta1/txs", "{not json"), 400, 3, /not JSON/);
    await expectError(post("/cosmos/tx/v1beta1/txs", "[1]"), 400, 3, /JSON object/);
    await expectError(post("/cosmos/tx/v1beta1/txs", JSON.stringify({ tx_bytes: "", mode: "BROADCAST_MODE_SYNC" })), 400, 3, /tx_bytes is empty/);
    await expectError(post("/cosmos/tx/v1beta1/txs", JSON.stringify({ tx_bytes: "AAAA", mode: "BROADCAST_MODE_BLOCK" })), 400, 3, /BLOCK was removed/);
    await expectError(post("/cosmos/tx/v1beta1/txs", "x".repeat(5 * 1024 * 1024)), 429, 8, /request body over/);
    await expectError(getJson(api, "/cosmos/tx/v1beta1/txs"), 400, 3, /query is empty/);
    await expectError(getJson(api, "/cosmos/base/tendermint/v1beta1/blocks/0"), 400, 3);
    // a garbage tx reaches CheckTx and is refused there, as the SDK answers: 200 with the code
    const junk = await post("/cosmos/tx/v1beta1/txs", JSON.stringify({ tx_bytes: Buffer.from("junk").toString("base64"), mode: "BROADCAST_MODE_SYNC" }));
    assert.equal(junk.status, 200);
    assert.equal(junk.json.tx_response.codespace, "sdk");
    assert.equal(junk.json.tx_response.code, 2, "sdk/2: tx parse error");
    const h = await node.latestHeight();
    await new Promise<void>((resolve, reject) => {
      const t0 = Date.now();
      const tick = async () => ((await node.latestHeight()) > h ? resolve() : Date.now() - t0 > 30_000 ? reject(new Error("no new block")) : setTimeout(tick, 100));
      void tick();
    });
  });

  it("queries at a past height through x-cosmos-block-height, and says which height answered", async () => {
    const client = await SigningStargateClient.connectWithSigner(node.rpc, alice.wallet, { gasPrice: GasPrice.fromString("0.025uaro"), broadcastPollIntervalMs: 200 });
    try {
      const before = await getJson(api, `/cosmos/bank/v1beta1/balances/${alice.address}/by_denom?denom=uaro`);
      const beforeHeight = before.headers.get("grpc-metadata-x-cosmos-block-height")!;
      assert.match(beforeHeight, /^\d+$/);
      const r = await client.sendTokens(alice.address, node.operator.address, [coin("1000", "uaro")], "auto");
      assert.equal(r.code, 0);
      const now = await getJson(api, `/cosmos/bank/v1beta1/balances/${alice.address}/by_denom?denom=uaro`);
      assert.notEqual(now.json.balance.amount, before.json.balance.amount);
      const then = await getJson(api, `/cosmos/bank/v1beta1/balances/${alice.address}/by_denom?denom=uaro`, { headers: { "x-cosmos-block-height": beforeHeight } });
      assert.equal(then.json.balance.amount, before.json.balance.amount);
      assert.equal(then.headers.get("grpc-metadata-x-cosmos-block-height"), beforeHeight);

      const signed = await client.sign(alice.address, [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: alice.address, toAddress: node.operator.address, amount: [coin("1", "uaro")] } }], { amount: [coin("5000", "uaro")], gas: "200000" }, "");
      const sim = await post("/cosmos/tx/v1beta1/simulate", JSON.stringify({ tx_bytes: Buffer.from(TxRaw.encode(signed).finish()).toString("base64") }));
      assert.equal(sim.status, 200, JSON.stringify(sim.json));
      assert.ok(Number(sim.json.gas_info.gas_used) > 0);
      assert.equal(sim.json.result.msg_responses[0]["@type"], "/cosmos.bank.v1beta1.MsgSendResponse");
    } finally {
      client.disconnect();
    }
  });

  it("CORS when enabled-unsafe-cors is on: preflight and answers carry Access-Control-Allow-Origin", async () => {
    const pre = await fetch(`${api}/cosmos/bank/v1beta1/supply`, { method: "OPTIONS", headers: { origin: "http://example.test", "access-control-request-method": "GET" } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), "*");
    const r = await fetch(`${api}/cosmos/bank/v1beta1/supply`, { headers: { origin: "http://example.test" } });
    assert.equal(r.headers.get("access-control-allow-origin"), "*");
  });

  it("serves Aro's queries at their google.api.http paths", async () => {
    assert.equal((await getJson(api, "/aro/peernode/v1/params")).json.params.regions.includes("europe"), true);
    assert.match((await getJson(api, "/aro/gpow/v1/epoch_info")).json.epoch_length, /^\d+$/);
    assert.ok((await getJson(api, "/aro/settlement/v1/params")).json.params);
    assert.deepEqual((await getJson(api, "/aro/peernode/v1/nodes")).json.nodes, []);
    assert.match((await getJson(api, "/aro/base/v1/beacon")).json.height, /^\d+$/);
  });
});
