import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { QueryClient, setupAuthExtension, accountFromAny } from "@cosmjs/stargate";
import { CHAIN_ID, type Funded } from "../../app/testnet/local-node.ts";
import { sendMsg, signTx } from "./sign.ts";

/** Rejects if `p` takes longer than `ms`: a request to a node being killed may never be answered. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
}

/**
 * Keeps signed MsgSends flowing from `senders` to `recipient` (1uaro each) through
 * broadcast_tx_sync until stopped, riding out node restarts. Returns the hashes
 * that CheckTx admitted.
 */
export function startTxFlow(rpc: () => string, senders: Funded[], recipient: string) {
  let running = true;
  const admitted: string[] = [];
  const loop = (async () => {
    while (running) {
      let comet: Comet38Client | undefined;
      try {
        comet = await within(Comet38Client.connect(rpc()), 5000);
        const q = QueryClient.withExtensions(comet, setupAuthExtension);
        for (const s of senders) {
          const any = await within(q.auth.account(s.address), 5000);
          const acct = accountFromAny(any!);
          for (let i = 0; i < 5 && running; i++) {
            const { bytes } = await signTx({
              wallet: s.wallet, chainId: CHAIN_ID, accountNumber: BigInt(acct.accountNumber), sequence: BigInt(acct.sequence + i),
              messages: [sendMsg(s.address, recipient, [{ denom: "uaro", amount: "1" }])],
            });
            const r = await within(comet.broadcastTxSync({ tx: bytes }), 5000);
            if (r.code === 0) admitted.push(Buffer.from(r.hash).toString("hex").toUpperCase());
          }
        }
      } catch {
        // node down or restarting: try again shortly
      } finally {
        comet?.disconnect();
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    admitted,
    async stop() {
      running = false;
      await within(loop, 20_000).catch(() => undefined);
    },
  };
}
