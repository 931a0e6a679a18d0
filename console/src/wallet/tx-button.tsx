import { useState } from "preact/hooks";
import { signAndSend, useWallet, type TxOutcome, type TxRequest } from "./state.ts";

type TxState = { step: "idle" } | { step: "busy"; stage: string } | { step: "done"; outcome: TxOutcome } | { step: "failed"; message: string };

/** A button that signs `request` with the connected wallet and shows the tx's fate. */
export function TxButton({ label, request, onDone, class: cls }: { label: string; request: () => TxRequest; onDone?: (o: TxOutcome) => void; class?: string }) {
  const w = useWallet();
  const [s, setS] = useState<TxState>({ step: "idle" });
  const run = async () => {
    setS({ step: "busy", stage: "loading the signer" });
    try {
      const outcome = await signAndSend(request(), (stage) => setS({ step: "busy", stage }));
      setS({ step: "done", outcome });
      onDone?.(outcome);
    } catch (err) {
      setS({ step: "failed", message: (err as Error).message });
    }
  };
  const busy = s.step === "busy";
  return (
    <>
      <button class={cls} onClick={() => void run()} disabled={w.status !== "connected" || busy} aria-busy={busy} title={w.status !== "connected" ? "connect a wallet first" : undefined}>
        {busy ? `${label}: ${s.stage}…` : label}
      </button>
      {s.step === "done" && <TxOutcomeNote outcome={s.outcome} />}
      {s.step === "failed" && <div class="notice error" role="alert" data-testid="tx-result"><strong>Not sent:</strong> {s.message}</div>}
    </>
  );
}

export function TxOutcomeNote({ outcome: o }: { outcome: TxOutcome }) {
  if (o.code !== 0) {
    return <div class="notice error" role="alert" data-testid="tx-result"><strong>The chain refused the tx (code {o.code}):</strong> {o.rawLog} <br /><small>tx {o.txhash}</small></div>;
  }
  return (
    <div class="notice ok" role="status" data-testid="tx-result">
      <strong>Done:</strong> included in block {o.height} (gas {o.gasUsed} of {o.gasWanted}). <br /><small>tx <code>{o.txhash}</code></small>
    </div>
  );
}
