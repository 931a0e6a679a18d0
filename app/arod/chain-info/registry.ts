import { BECH32_PREFIX } from "../../../chain/address.ts";
import type { GasPrice } from "../../../chain/tx/min-gas-price.ts";
import { currencyOf } from "./currency.ts";
import type { Endpoints } from "./endpoints.ts";
import type { ChainFacts } from "./facts.ts";
import { COIN_TYPE, gasPriceStep } from "./keplr.ts";

export type NetworkType = "mainnet" | "testnet" | "devnet";
export const NETWORK_TYPES: readonly NetworkType[] = ["mainnet", "testnet", "devnet"];

export interface RegistryOptions {
  /** The registry's chain_name: lower-case letters and digits (e.g. "arodevnet"). */
  readonly chainName: string;
  readonly prettyName: string;
  readonly networkType: NetworkType;
  readonly minGasPrice: GasPrice;
  readonly appVersion: string;
  /** Who runs the endpoints (the registry's "provider"). */
  readonly provider?: string;
}

/** An asset as the chain registry's assetlist.schema.json describes it. */
interface RegistryAsset {
  description?: string;
  denom_units: Array<{ denom: string; exponent: number; aliases?: string[] }>;
  base: string;
  name: string;
  display: string;
  symbol: string;
  type_asset: "sdk.coin";
}

/** The chain's chain.json and assetlist.json for the Cosmos chain registry (chain.schema.json, assetlist.schema.json). */
export function registryFiles(facts: ChainFacts, endpoints: Endpoints, o: RegistryOptions) {
  if (!/^[a-z0-9]+$/.test(o.chainName)) throw new Error(`the registry's chain name must be lower-case letters and digits, got ${JSON.stringify(o.chainName)}`);
  // mainnets sit at <name>/chain.json in the registry, testnets and devnets at testnets/<name>/chain.json
  const up = o.networkType === "mainnet" ? "../" : "../../";
  const step = gasPriceStep(o.minGasPrice);
  const endpoint = (address: string) => [{ address, ...(o.provider ? { provider: o.provider } : {}) }];
  const chain = {
    $schema: `${up}chain.schema.json`,
    chain_name: o.chainName,
    status: "live",
    network_type: o.networkType,
    pretty_name: o.prettyName,
    chain_id: facts.chainId,
    bech32_prefix: BECH32_PREFIX,
    daemon_name: "arod",
    node_home: "$HOME/.arod",
    key_algos: ["secp256k1"],
    slip44: COIN_TYPE,
    fees: {
      fee_tokens: [{ denom: o.minGasPrice.denom, fixed_min_gas_price: step.low, low_gas_price: step.low, average_gas_price: step.average, high_gas_price: step.high }],
    },
    staking: { staking_tokens: [{ denom: facts.bondDenom }] },
    codebase: {
      recommended_version: `v${o.appVersion}`,
      compatible_versions: [`v${o.appVersion}`],
      consensus: { type: "cometbft", ...(facts.cometbftVersion ? { version: facts.cometbftVersion } : {}) },
    },
    apis: { rpc: endpoint(endpoints.rpc), rest: endpoint(endpoints.rest), grpc: endpoint(endpoints.grpc) },
  };
  const assetlist = { $schema: `${up}assetlist.schema.json`, chain_name: o.chainName, assets: assetsOf(facts, o.minGasPrice.denom) };
  return { chain, assetlist };
}

function assetsOf(facts: ChainFacts, feeDenom: string): RegistryAsset[] {
  const bases = [...new Set([facts.bondDenom, feeDenom, ...facts.denoms.map((d) => d.base)])];
  return bases.map((base) => {
    const meta = facts.denoms.find((d) => d.base === base);
    if (meta && meta.units.some((u) => u.denom === meta.display)) {
      return {
        ...(meta.description ? { description: meta.description } : {}),
        denom_units: meta.units.map((u) => ({ denom: u.denom, exponent: u.exponent, ...(u.aliases.length ? { aliases: [...u.aliases] } : {}) })),
        base,
        name: (meta.name || meta.symbol || base).slice(0, 42),
        display: meta.display,
        symbol: meta.symbol || meta.display.toUpperCase(),
        type_asset: "sdk.coin",
      };
    }
    // no metadata on chain: the display unit the wallet config uses
    const c = currencyOf(base, facts.denoms);
    const display = c.coinDecimals > 0 ? c.coinDenom.toLowerCase() : base;
    const units = c.coinDecimals > 0 ? [{ denom: base, exponent: 0 }, { denom: display, exponent: c.coinDecimals }] : [{ denom: base, exponent: 0 }];
    return { denom_units: units, base, name: c.coinDenom, display, symbol: c.coinDenom, type_asset: "sdk.coin" };
  });
}
