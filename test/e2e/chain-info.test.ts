import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fromBech32 } from "@cosmjs/encoding";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { GasPrice, QueryClient, SigningStargateClient, setupBankExtension, setupStakingExtension } from "@cosmjs/stargate";
import { arodBin, LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";
import { readAppConfig } from "../../app/arod/node/home.ts";

function chainInfo(args: string[]) {
  const r = spawnSync(process.execPath, [arodBin, "chain-info", ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Keys a chain-registry file may hold (additionalProperties: false in chain.schema.json / assetlist.schema.json). */
const CHAIN_KEYS = ["$schema", "chain_name", "chain_id", "pre_fork_chain_name", "pretty_name", "website", "update_link", "status", "network_type", "bech32_prefix",
  "bech32_config", "daemon_name", "node_home", "key_algos", "slip44", "alternative_slip44s", "fees", "staking", "codebase", "images", "logo_URIs", "description",
  "peers", "apis", "explorers", "keywords", "extra_codecs"];
const FEE_TOKEN_KEYS = ["denom", "fixed_min_gas_price", "low_gas_price", "average_gas_price", "high_gas_price", "gas_costs"];
const ASSET_KEYS = ["deprecated", "description", "extended_description", "denom_units", "type_asset", "address", "base", "name", "display", "symbol", "traces", "ibc",
  "logo_URIs", "images", "coingecko_id", "keywords", "socials"];
const subset = (obj: object, allowed: string[], what: string) => {
  for (const k of Object.keys(obj)) assert.ok(allowed.includes(k), `${what}: ${k} is not in the schema`);
};

/** Keplr's ChainInfo (@keplr-wallet/types): the fields experimentalSuggestChain requires, with their types. */
function checkKeplrShape(info: any) {
  for (const k of ["chainId", "chainName", "rpc", "rest"]) assert.equal(typeof info[k], "string", k);
  assert.equal(info.bip44.coinType, 118);
  for (const k of ["AccAddr", "AccPub", "ValAddr", "ValPub", "ConsAddr", "ConsPub"]) assert.match(info.bech32Config[`bech32Prefix${k}`], /^[a-z]+$/, k);
  const currency = (c: any) => {
    assert.equal(typeof c.coinDenom, "string");
    assert.match(c.coinMinimalDenom, /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/);
    assert.ok(Number.isInteger(c.coinDecimals) && c.coinDecimals >= 0 && c.coinDecimals <= 18);
  };
  assert.ok(info.currencies.length >= 1);
  info.currencies.forEach(currency);
  currency(info.stakeCurrency);
  assert.ok(info.feeCurrencies.length >= 1);
  for (const f of info.feeCurrencies) {
    currency(f);
    const s = f.gasPriceStep;
    assert.ok(typeof s.low === "number" && s.low <= s.average && s.average <= s.high, JSON.stringify(s));
  }
  assert.ok(Array.isArray(info.features));
}

describe("e2e: arod chain-info — Keplr's ChainInfo and chain-registry files for a node's chain", function () {
  let node: LocalNode;
  let alice: Funded;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-registry-"));

  before(async () => {
    alice = await newAccount();
    node = await LocalNode.create({ funded: [{ address: alice.address, coins: "1000000000uaro" }] });
  });
  after(async () => {
    await node?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("with the node stopped: from genesis.json, the home's endpoints and app.toml's minimum gas price", () => {
    const r = chainInfo(["--home", node.home]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /read from genesis\.json/);
    const info = JSON.parse(r.out);
    checkKeplrShape(info);
    const cfg = readAppConfig(node.home);
    assert.equal(info.chainId, node.chainId);
    assert.equal(info.rpc, node.rpc);
    assert.equal(info.rest, cfg.servers.api.address.replace("tcp://", "http://"));
    assert.deepEqual(info.stakeCurrency, { coinDenom: "ARO", coinMinimalDenom: "uaro", coinDecimals: 6 });
    assert.deepEqual(info.feeCurrencies[0].gasPriceStep, { low: 0.025, average: 0.025, high: 0.05 });
    assert.equal(info.isTestnet, true);
    assert.equal(fromBech32(alice.address).prefix, info.bech32Config.bech32PrefixAccAddr);
  });

  it("with the node running: read from it, and a wallet configured from it works (addresses, denoms, fees, REST)", async () => {
    await node.start();
    const r = chainInfo(["--home", node.home, "--chain-name", "Aro Local"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /read from the running node/);
    const info = JSON.parse(r.out);
    checkKeplrShape(info);
    assert.equal(info.chainName, "Aro Local");

    const comet = await Comet38Client.connect(info.rpc);
    const q = QueryClient.withExtensions(comet, setupBankExtension, setupStakingExtension);
    assert.equal((await comet.status()).nodeInfo.network, info.chainId);
    assert.equal((await q.staking.params()).params!.bondDenom, info.stakeCurrency.coinMinimalDenom);
    const meta = await q.bank.denomMetadata(info.stakeCurrency.coinMinimalDenom);
    assert.equal(info.stakeCurrency.coinDecimals, meta.denomUnits.find((u) => u.denom === meta.display)!.exponent);
    const [validator] = (await q.staking.validators("BOND_STATUS_BONDED")).validators;
    assert.equal(fromBech32(validator.operatorAddress).prefix, info.bech32Config.bech32PrefixValAddr);
    comet.disconnect();

    // what Keplr does with it: fees at the average step are accepted, balances come from rest
    const fee = info.feeCurrencies[0];
    const client = await SigningStargateClient.connectWithSigner(info.rpc, alice.wallet, { gasPrice: GasPrice.fromString(`${fee.gasPriceStep.average}${fee.coinMinimalDenom}`) });
    const bob = await newAccount();
    const sent = await client.sendTokens(alice.address, bob.address, [{ denom: fee.coinMinimalDenom, amount: "1000" }], "auto");
    client.disconnect();
    assert.equal(sent.code, 0, sent.rawLog);
    const res = await fetch(`${info.rest}/cosmos/bank/v1beta1/balances/${bob.address}`);
    assert.equal(res.status, 200);
    assert.deepEqual(((await res.json()) as any).balances, [{ denom: "uaro", amount: "1000" }]);
  });

  it("--registry writes chain.json and assetlist.json in the chain registry's shapes, with the public URLs given", () => {
    const r = chainInfo(["--home", node.home, "--registry", dir, "--rest", "https://lcd.example.org/", "--grpc", "grpc.example.org:443", "--network-type", "testnet", "--provider", "Aro test"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).rest, "https://lcd.example.org");
    const chain = JSON.parse(fs.readFileSync(path.join(dir, "chain.json"), "utf8"));
    subset(chain, CHAIN_KEYS, "chain.json");
    assert.match(chain.$schema, /^(\.\.\/)+chain\.schema\.json$/);
    assert.match(chain.chain_name, /^[a-z0-9]+$/);
    assert.equal(chain.chain_name, "arotestnet");
    assert.equal(chain.chain_id, node.chainId);
    assert.equal(chain.bech32_prefix, "aro");
    assert.equal(chain.network_type, "testnet");
    assert.ok(["live", "upcoming", "killed"].includes(chain.status));
    assert.equal(chain.slip44, 118);
    for (const t of chain.fees.fee_tokens) subset(t, FEE_TOKEN_KEYS, "fee_token");
    assert.deepEqual(chain.fees.fee_tokens[0], { denom: "uaro", fixed_min_gas_price: 0.025, low_gas_price: 0.025, average_gas_price: 0.025, high_gas_price: 0.05 });
    assert.deepEqual(chain.staking, { staking_tokens: [{ denom: "uaro" }] });
    assert.deepEqual(chain.apis.rest, [{ address: "https://lcd.example.org", provider: "Aro test" }]);
    assert.deepEqual(chain.apis.grpc, [{ address: "grpc.example.org:443", provider: "Aro test" }]);
    assert.deepEqual(chain.apis.rpc, [{ address: node.rpc, provider: "Aro test" }]);
    assert.equal(chain.codebase.consensus.type, "cometbft");
    assert.match(chain.codebase.consensus.version, /^0\.38\./);

    const assets = JSON.parse(fs.readFileSync(path.join(dir, "assetlist.json"), "utf8"));
    assert.deepEqual(Object.keys(assets).sort(), ["$schema", "assets", "chain_name"]);
    assert.match(assets.$schema, /^(\.\.\/)+assetlist\.schema\.json$/);
    assert.equal(assets.chain_name, chain.chain_name);
    for (const a of assets.assets) {
      subset(a, ASSET_KEYS, "asset");
      for (const k of ["denom_units", "base", "display", "name", "symbol"]) assert.ok(a[k], `asset.${k}`);
      assert.ok(a.name.length <= 42);
      const units = a.denom_units.map((u: any) => u.denom);
      assert.ok(units.includes(a.base) && units.includes(a.display));
      for (const u of a.denom_units) assert.ok(Number.isInteger(u.exponent));
    }
    const aro = assets.assets.find((a: any) => a.base === "uaro");
    assert.deepEqual([aro.display, aro.symbol, aro.type_asset], ["aro", "ARO", "sdk.coin"]);
  });

  it("refuses bad flags with a clear error", () => {
    for (const [args, message] of [
      [["--rpc", "ftp://x"], /--rpc must be an http\(s\) URL/],
      [["--grpc", "no-port"], /--grpc must be host:port/],
      [["--gas-price", "cheap"], /cannot parse gas price/],
      [["--registry", dir, "--registry-name", "Aro!"], /lower-case letters and digits/],
      [["--network-type", "moon"], /Allowed choices are mainnet, testnet, devnet/],
    ] as const) {
      const r = chainInfo(["--home", node.home, ...args]);
      assert.equal(r.code, 1, `${args.join(" ")}: ${r.out}`);
      assert.match(r.err, message);
    }
  });
});
