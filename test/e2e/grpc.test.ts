import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { Metadata, status } from "@grpc/grpc-js";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { QueryBalanceRequest, QueryBalanceResponse, QueryDenomOwnersRequest } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { QueryAccountRequest } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { BroadcastMode, BroadcastTxRequest, BroadcastTxResponse, GetTxRequest, GetTxResponse, SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import {
  GetBlockByHeightRequest, GetLatestBlockRequest, GetLatestBlockResponse, GetLatestValidatorSetRequest, GetLatestValidatorSetResponse, GetNodeInfoRequest, GetNodeInfoResponse,
} from "cosmjs-types/cosmos/base/tendermint/v1beta1/query";
import { QueryParamsRequest, QueryParamsResponse } from "../../proto/gen/aro/peernode/v1/query.ts";
import { readAppConfig } from "../../app/arod/node/home.ts";
import { LocalNode, newAccount, repoRoot, type Funded } from "../../app/testnet/local-node.ts";
import { RawGrpcClient, ReflectionClient } from "../support/grpc-client.ts";
import { eventually } from "../support/eventually.ts";

const BALANCE = "/cosmos.bank.v1beta1.Query/Balance";
const HEIGHT = "x-cosmos-block-height";
const atHeight = (h: number | string) => {
  const md = new Metadata();
  md.set(HEIGHT, String(h));
  return md;
};

describe("e2e: gRPC — arod start serves every query service, the tx service and reflection on [grpc] address", function () {
  let node: LocalNode;
  let address: string;
  let grpc: RawGrpcClient;
  let alice: Funded;
  let bob: Funded;
  let signer: SigningStargateClient;

  const balanceOf = async (who: string, md?: Metadata) => {
    const r = await grpc.call(BALANCE, QueryBalanceRequest.encode({ address: who, denom: "uaro" }).finish(), md);
    assert.ifError(r.error);
    return { amount: QueryBalanceResponse.decode(r.value!).balance!.amount, height: Number(r.headers!.get(HEIGHT)[0]) };
  };

  before(async () => {
    alice = await newAccount();
    bob = await newAccount();
    node = await LocalNode.create({ funded: [{ address: alice.address, coins: "1000000000uaro" }] });
    await node.start();
    address = readAppConfig(node.home).servers.grpc.address;
    grpc = new RawGrpcClient(address);
    signer = await SigningStargateClient.connectWithSigner(node.rpc, alice.wallet, { gasPrice: GasPrice.fromString("0.025uaro") });
  });
  after(async () => {
    grpc?.close();
    signer?.disconnect();
    await node?.cleanup();
  });

  it("reflection lists the SDK's and Aro's query services and the tx service, and describes their files", async () => {
    const reflection = new ReflectionClient(address);
    try {
      const services = await reflection.listServices();
      for (const s of ["cosmos.bank.v1beta1.Query", "cosmos.staking.v1beta1.Query", "cosmos.tx.v1beta1.Service", "aro.peernode.v1.Query", "aro.gpow.v1.Query", "cosmos.base.tendermint.v1beta1.Service", "grpc.reflection.v1.ServerReflection"]) {
        assert.ok(services.includes(s), `${s} not in ${services.join(", ")}`);
      }
      assert.ok(!services.includes("cosmos.bank.v1beta1.Msg"), "Msg services are not served over gRPC queries");
      const files = (await reflection.fileContainingSymbol("cosmos.bank.v1beta1.Query")).map((b) => fromBinary(FileDescriptorProtoSchema, b));
      assert.equal(files[0].name, "cosmos/bank/v1beta1/query.proto");
      const query = files[0].service.find((s) => s.name === "Query")!;
      assert.ok(query.method.some((m) => m.name === "Balance" && m.inputType === ".cosmos.bank.v1beta1.QueryBalanceRequest"));
    } finally {
      reflection.close();
    }
  });

  it("bank Balance answers the same bytes as abci_query, with the height in x-cosmos-block-height", async () => {
    const req = QueryBalanceRequest.encode({ address: alice.address, denom: "uaro" }).finish();
    const r = await grpc.call(BALANCE, req);
    assert.ifError(r.error);
    assert.equal(QueryBalanceResponse.decode(r.value!).balance!.amount, "1000000000");
    const height = BigInt(r.headers!.get(HEIGHT)[0] as string);
    assert.ok(height >= 1n);
    const comet = await Comet38Client.connect(node.rpc);
    const abci = await comet.abciQuery({ path: BALANCE, data: req, height: Number(height) });
    comet.disconnect();
    assert.deepEqual(Buffer.from(r.value!), Buffer.from(abci.value));
  });

  it("an Aro query (aro.peernode.v1.Query/Params) decodes with proto/gen's types", async () => {
    const r = await grpc.call("/aro.peernode.v1.Query/Params", QueryParamsRequest.encode({}).finish());
    assert.ifError(r.error);
    const params = QueryParamsResponse.decode(r.value!).params!;
    assert.ok(params.regions.includes("europe"));
    assert.ok(BigInt(params.minBond) > 0n);
  });

  it("cosmos.base.tendermint.v1beta1.Service (the REST gateway's methods over CometBFT's RPC): node info, latest block, validator set", async () => {
    const S = "/cosmos.base.tendermint.v1beta1.Service/";
    const info = await grpc.call(S + "GetNodeInfo", GetNodeInfoRequest.encode({}).finish());
    assert.ifError(info.error);
    assert.equal(GetNodeInfoResponse.decode(info.value!).defaultNodeInfo!.network, node.chainId);
    const block = await grpc.call(S + "GetLatestBlock", GetLatestBlockRequest.encode({}).finish());
    assert.ifError(block.error);
    const b = GetLatestBlockResponse.decode(block.value!);
    assert.ok(b.block!.header.height >= 1n);
    assert.match(b.sdkBlock!.header!.proposerAddress, /^arovalcons1/);
    const set = await grpc.call(S + "GetLatestValidatorSet", GetLatestValidatorSetRequest.encode({}).finish());
    assert.ifError(set.error);
    assert.equal(GetLatestValidatorSetResponse.decode(set.value!).validators.length, 1);
    const bad = await grpc.call(S + "GetBlockByHeight", GetBlockByHeightRequest.encode({ height: 0n }).finish());
    assert.equal(bad.error?.code, status.INVALID_ARGUMENT);
  });

  it("x-cosmos-block-height reads the state at a past height", async () => {
    const sent = await signer.sendTokens(alice.address, bob.address, [{ denom: "uaro", amount: "12345" }], "auto");
    assert.equal(sent.code, 0, sent.rawLog);
    const now = await balanceOf(bob.address);
    assert.equal(now.amount, "12345");
    assert.ok(now.height >= sent.height);
    const before = await balanceOf(bob.address, atHeight(sent.height - 1));
    assert.deepEqual(before, { amount: "0", height: sent.height - 1 });
    assert.deepEqual(await balanceOf(bob.address, atHeight(sent.height)), { amount: "12345", height: sent.height });
  });

  it("hostile requests get coded statuses, never a crash: malformed bytes, bad heights, unknown records and methods, oversized messages", async () => {
    const code = async (path: string, bytes: Uint8Array, md?: Metadata) => {
      const r = await grpc.call(path, bytes, md);
      assert.ok(r.error, `${path} should fail`);
      return { code: r.error.code, details: r.error.details };
    };
    const malformed = await code(BALANCE, Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]));
    assert.equal(malformed.code, status.INVALID_ARGUMENT);
    assert.match(malformed.details, /cannot decode the request/);
    assert.equal((await code(BALANCE, QueryBalanceRequest.encode({ address: "aro1nope", denom: "uaro" }).finish())).code, status.INVALID_ARGUMENT);
    const good = QueryBalanceRequest.encode({ address: alice.address, denom: "uaro" }).finish();
    for (const h of ["abc", "-1", "1.5", "99999999999999999999"]) assert.equal((await code(BALANCE, good, atHeight(h))).code, status.INVALID_ARGUMENT, h);
    const future = await code(BALANCE, good, atHeight(10_000_000));
    assert.equal(future.code, status.INVALID_ARGUMENT);
    assert.match(future.details, /not committed yet/);
    const fresh = await newAccount();
    const unknown = await code("/cosmos.auth.v1beta1.Query/Account", QueryAccountRequest.encode({ address: fresh.address }).finish());
    assert.equal(unknown.code, status.NOT_FOUND);
    assert.match(unknown.details, /not found/);
    assert.equal((await code("/cosmos.bank.v1beta1.Query/DenomOwners", QueryDenomOwnersRequest.encode({ denom: "uaro" }).finish())).code, status.UNIMPLEMENTED);
    assert.equal((await code("/no.such.v1.Query/Thing", new Uint8Array())).code, status.UNIMPLEMENTED);
    assert.equal((await code(BALANCE, new Uint8Array(3 * 1024 * 1024))).code, status.RESOURCE_EXHAUSTED);
    assert.equal((await balanceOf(alice.address)).amount !== undefined, true, "the server still answers");
  });

  it("cosmos.tx.v1beta1.Service: Simulate, BroadcastTx (sync) and GetTx; a second broadcast is answered as the SDK does (code 19)", async () => {
    const msg = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: alice.address, toAddress: bob.address, amount: [{ denom: "uaro", amount: "7" }] } };
    const tx = await signer.sign(alice.address, [msg], { amount: [{ denom: "uaro", amount: "5000" }], gas: "200000" }, "grpc");
    const txBytes = TxRaw.encode(tx).finish();
    const sim = await grpc.call("/cosmos.tx.v1beta1.Service/Simulate", SimulateRequest.encode({ txBytes }).finish());
    assert.ifError(sim.error);
    assert.ok(SimulateResponse.decode(sim.value!).gasInfo!.gasUsed > 0n);

    const broadcast = async () => {
      const r = await grpc.call("/cosmos.tx.v1beta1.Service/BroadcastTx", BroadcastTxRequest.encode({ txBytes, mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish());
      assert.ifError(r.error);
      return BroadcastTxResponse.decode(r.value!).txResponse!;
    };
    const first = await broadcast();
    assert.equal(first.code, 0, first.rawLog);
    assert.match(first.txhash, /^[0-9A-F]{64}$/);
    const got = await eventually(async () => {
      const r = await grpc.call("/cosmos.tx.v1beta1.Service/GetTx", GetTxRequest.encode({ hash: first.txhash }).finish());
      assert.ifError(r.error);
      return GetTxResponse.decode(r.value!);
    });
    assert.equal(got.txResponse!.code, 0);
    assert.equal(got.tx!.body!.memo, "grpc");
    const again = await broadcast();
    assert.deepEqual([again.code, again.codespace, again.txhash], [19, "sdk", first.txhash]);

    const empty = await grpc.call("/cosmos.tx.v1beta1.Service/BroadcastTx", BroadcastTxRequest.encode({ txBytes: new Uint8Array(), mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish());
    assert.equal(empty.error?.code, status.INVALID_ARGUMENT);
    const block = await grpc.call("/cosmos.tx.v1beta1.Service/BroadcastTx", BroadcastTxRequest.encode({ txBytes, mode: BroadcastMode.BROADCAST_MODE_BLOCK }).finish());
    assert.equal(block.error?.code, status.INVALID_ARGUMENT);
  });

  it("grpcurl (built by scripts/install-grpcurl) lists the services and calls a query at a height", function () {
    this.timeout(600_000);
    execFileSync("bash", [path.join(repoRoot, "scripts", "install-grpcurl")], { stdio: ["ignore", "ignore", "inherit"] });
    const grpcurl = (...args: string[]) => execFileSync(path.join(repoRoot, ".bin", "grpcurl"), ["-plaintext", ...args], { encoding: "utf8" });
    const list = grpcurl(address, "list").split("\n");
    for (const s of ["cosmos.bank.v1beta1.Query", "aro.settlement.v1.Query", "cosmos.tx.v1beta1.Service"]) assert.ok(list.includes(s), s);
    assert.match(grpcurl(address, "describe", "aro.peernode.v1.Query.Params"), /rpc Params \( \.aro\.peernode\.v1\.QueryParamsRequest \)/);
    const out = grpcurl("-d", JSON.stringify({ address: alice.address, denom: "uaro" }), "-H", `${HEIGHT}: 1`, "-v", address, "cosmos.bank.v1beta1.Query/Balance");
    assert.match(out, /x-cosmos-block-height: 1\n/);
    assert.match(out, /"amount": "1000000000"/);
  });
});
