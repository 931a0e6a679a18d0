import { useEffect, useState } from "preact/hooks";
import { rest } from "../api.ts";
import { chainInfo } from "./keplr.ts";
import type { TxOutcome, TxRequest } from "./sign.ts";

export type { TxOutcome, TxRequest };

export type WalletState =
  | { readonly status: "disconnected" }
  | { readonly status: "connecting" }
  | { readonly status: "connected"; readonly address: string; readonly name: string; readonly chainId: string }
  | { readonly status: "error"; readonly message: string };

let state: WalletState = { status: "disconnected" };
const listeners = new Set<(s: WalletState) => void>();
const set = (s: WalletState) => {
  state = s;
  for (const l of listeners) l(s);
};

export function useWallet(): WalletState {
  const [s, setS] = useState(state);
  useEffect(() => {
    listeners.add(setS);
    setS(state);
    return () => void listeners.delete(setS);
  }, []);
  return s;
}

/** The node's chain id (node_info) and minimum gas price (/console-config.json). */
export async function chainSettings(): Promise<{ chainId: string; gasPrice: string; rpc: string }> {
  const [info, cfg] = await Promise.all([rest("/cosmos/base/tendermint/v1beta1/node_info"), rest<{ min_gas_price: string; rpc?: string }>("/console-config.json")]);
  return { chainId: String(info.default_node_info?.network ?? ""), gasPrice: cfg.min_gas_price || "0uaro", rpc: cfg.rpc ?? "" };
}

/** Asks the wallet (window.keplr) for this chain's key; a chain the wallet does not know is suggested to it first. */
export async function connectWallet(): Promise<void> {
  const keplr = window.keplr;
  if (!keplr) return set({ status: "error", message: "No Keplr-like wallet in this browser (window.keplr): install Keplr or Leap, then reload." });
  set({ status: "connecting" });
  try {
    const { chainId, gasPrice, rpc } = await chainSettings();
    try {
      await keplr.enable(chainId);
    } catch (err) {
      if (!keplr.experimentalSuggestChain) throw err;
      const m = /^(\d+(?:\.\d+)?)([a-z][a-z0-9/]*)$/.exec(gasPrice);
      await keplr.experimentalSuggestChain(chainInfo(chainId, location.origin, rpc, m?.[2] ?? "uaro", Number(m?.[1] ?? "0.025")));
      await keplr.enable(chainId);
    }
    const key = await keplr.getKey(chainId);
    set({ status: "connected", address: key.bech32Address, name: key.name, chainId });
  } catch (err) {
    set({ status: "error", message: `The wallet did not connect: ${(err as Error).message}` });
  }
}

export const disconnectWallet = () => set({ status: "disconnected" });

/** Signs with the wallet and broadcasts; the signing code (CosmJS) is loaded only now. */
export async function signAndSend(req: TxRequest, onStage?: (stage: string) => void): Promise<TxOutcome> {
  const s = state;
  if (s.status !== "connected" || !window.keplr) throw new Error("connect a wallet first");
  const [{ signAndBroadcast }, settings] = await Promise.all([import("./sign.ts"), chainSettings()]);
  return signAndBroadcast(window.keplr.getOfflineSigner(s.chainId), s.address, settings.chainId, settings.gasPrice, req, onStage);
}
