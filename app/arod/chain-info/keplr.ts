import { BECH32_PREFIX, VALCONS_PREFIX, VALOPER_PREFIX } from "../../../chain/address.ts";
import type { GasPrice } from "../../../chain/tx/min-gas-price.ts";
import { currenciesOf, currencyOf, type Currency } from "./currency.ts";
import type { Endpoints } from "./endpoints.ts";
import type { ChainFacts } from "./facts.ts";

/** BIP-44 coin type of Aro keys (m/44'/118'/0'/0/0, the Cosmos Hub's). */
export const COIN_TYPE = 118;

export interface GasPriceStep {
  readonly low: number;
  readonly average: number;
  readonly high: number;
}

/** Keplr's ChainInfo (@keplr-wallet/types), the argument of window.keplr.experimentalSuggestChain. */
export interface KeplrChainInfo {
  readonly chainId: string;
  readonly chainName: string;
  readonly rpc: string;
  readonly rest: string;
  readonly bip44: { readonly coinType: number };
  readonly bech32Config: {
    readonly bech32PrefixAccAddr: string;
    readonly bech32PrefixAccPub: string;
    readonly bech32PrefixValAddr: string;
    readonly bech32PrefixValPub: string;
    readonly bech32PrefixConsAddr: string;
    readonly bech32PrefixConsPub: string;
  };
  readonly currencies: Currency[];
  readonly feeCurrencies: Array<Currency & { readonly gasPriceStep: GasPriceStep }>;
  readonly stakeCurrency: Currency;
  readonly features: string[];
  readonly isTestnet?: boolean;
}

/** A gas price as a number of base units per gas (off chain: a wallet's fee estimate). */
export const gasPriceNumber = (p: GasPrice) => Number(p.numerator) / Number(p.denominator);

/**
 * The fee steps a wallet offers, from the node's minimum gas price: CometBFT's mempool is
 * first come first served, so paying above the minimum buys nothing; low and average are the
 * minimum, high twice it (room for validators that ask more than this node).
 */
export function gasPriceStep(p: GasPrice): GasPriceStep {
  const low = gasPriceNumber(p);
  return { low, average: low, high: low * 2 };
}

export interface KeplrOptions {
  readonly chainName: string;
  readonly minGasPrice: GasPrice;
  readonly isTestnet: boolean;
}

export function keplrChainInfo(facts: ChainFacts, endpoints: Endpoints, o: KeplrOptions): KeplrChainInfo {
  const fee = o.minGasPrice.denom;
  return {
    chainId: facts.chainId,
    chainName: o.chainName,
    rpc: endpoints.rpc,
    rest: endpoints.rest,
    bip44: { coinType: COIN_TYPE },
    bech32Config: {
      bech32PrefixAccAddr: BECH32_PREFIX,
      bech32PrefixAccPub: `${BECH32_PREFIX}pub`,
      bech32PrefixValAddr: VALOPER_PREFIX,
      bech32PrefixValPub: `${VALOPER_PREFIX}pub`,
      bech32PrefixConsAddr: VALCONS_PREFIX,
      bech32PrefixConsPub: `${VALCONS_PREFIX}pub`,
    },
    currencies: currenciesOf([facts.bondDenom, fee], facts.denoms),
    feeCurrencies: [{ ...currencyOf(fee, facts.denoms), gasPriceStep: gasPriceStep(o.minGasPrice) }],
    stakeCurrency: currencyOf(facts.bondDenom, facts.denoms),
    // none of Keplr's optional features (cosmwasm, eth-address-gen, osmosis-txfees, …) applies
    features: [],
    ...(o.isTestnet ? { isTestnet: true } : {}),
  };
}
