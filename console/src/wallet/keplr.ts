/** What the console uses of a Keplr-like wallet (window.keplr: Keplr, Leap, Cosmostation's Keplr mode). */
export interface KeplrKey {
  readonly name: string;
  readonly bech32Address: string;
  readonly pubKey: Uint8Array;
}

export interface DirectSignDoc {
  readonly bodyBytes: Uint8Array;
  readonly authInfoBytes: Uint8Array;
  readonly chainId: string;
  readonly accountNumber: bigint;
}

export interface KeplrSigner {
  getAccounts(): Promise<ReadonlyArray<{ address: string; pubkey: Uint8Array; algo: string }>>;
  signDirect(signer: string, doc: DirectSignDoc): Promise<{ signed: DirectSignDoc; signature: { signature: string } }>;
}

export interface Keplr {
  enable(chainId: string): Promise<void>;
  getKey(chainId: string): Promise<KeplrKey>;
  getOfflineSigner(chainId: string): KeplrSigner;
  experimentalSuggestChain?(info: unknown): Promise<void>;
}

declare global {
  interface Window {
    keplr?: Keplr;
  }
}

/** The chain as Keplr's experimentalSuggestChain wants it, for a chain it does not know yet (as `arod chain-info` prints it: low = average = the minimum gas price). */
export function chainInfo(chainId: string, rest: string, rpc: string, denom: string, gasPrice: number) {
  const unit = denom.startsWith("u") ? denom.slice(1).toUpperCase() : denom.toUpperCase();
  const currency = { coinDenom: unit, coinMinimalDenom: denom, coinDecimals: denom.startsWith("u") ? 6 : 0 };
  return {
    chainId, chainName: `Aro (${chainId})`, rest, rpc,
    bip44: { coinType: 118 },
    bech32Config: { bech32PrefixAccAddr: "aro", bech32PrefixAccPub: "aropub", bech32PrefixValAddr: "arovaloper", bech32PrefixValPub: "arovaloperpub", bech32PrefixConsAddr: "arovalcons", bech32PrefixConsPub: "arovalconspub" },
    currencies: [currency],
    feeCurrencies: [{ ...currency, gasPriceStep: { low: gasPrice, average: gasPrice, high: gasPrice * 2 } }],
    stakeCurrency: currency,
    features: [],
  };
}
