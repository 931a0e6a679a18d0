import { shortAddress } from "../format.ts";
import { connectWallet, disconnectWallet, useWallet } from "./state.ts";

/** The header's wallet: connect (window.keplr), the connected address, disconnect. */
export function WalletBar() {
  const w = useWallet();
  if (w.status === "connected") {
    return (
      <span class="wallet" data-testid="wallet">
        <a href={`#/earnings/${encodeURIComponent(w.address)}`} title={w.address}>{w.name ? `${w.name} · ` : ""}{shortAddress(w.address)}</a>
        <button class="outline secondary small" onClick={disconnectWallet}>Disconnect</button>
      </span>
    );
  }
  return (
    <span class="wallet">
      {w.status === "error" && <small class="error" role="alert">{w.message}</small>}
      <button class="small" onClick={() => void connectWallet()} aria-busy={w.status === "connecting"} disabled={w.status === "connecting"}>
        Connect wallet
      </button>
    </span>
  );
}
