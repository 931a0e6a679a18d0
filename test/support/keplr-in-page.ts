import type { Page } from "playwright-core";
import type { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";

/** What the page's wallet signed, as the Node side saw it. */
export interface SignedLog {
  readonly chainId: string;
  readonly accountNumber: bigint;
  readonly signer: string;
}

const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, "base64"));

/**
 * Gives the page a Keplr-like `window.keplr` whose keys live in this Node process: a real
 * DirectSecp256k1HdWallet signs every SignDoc the page hands it (SIGN_MODE_DIRECT), so the
 * chain verifies a real signature. Bytes cross the page boundary as base64.
 */
export async function injectKeplr(page: Page, wallet: DirectSecp256k1HdWallet, name = "test wallet"): Promise<SignedLog[]> {
  const signed: SignedLog[] = [];
  await page.exposeFunction("__aroWalletAccount", async () => {
    const [a] = await wallet.getAccounts();
    return { address: a.address, pubkey: b64(a.pubkey), algo: a.algo, name };
  });
  await page.exposeFunction("__aroWalletSignDirect", async (signer: string, doc: { bodyBytes: string; authInfoBytes: string; chainId: string; accountNumber: string }) => {
    const r = await wallet.signDirect(signer, { bodyBytes: unb64(doc.bodyBytes), authInfoBytes: unb64(doc.authInfoBytes), chainId: doc.chainId, accountNumber: BigInt(doc.accountNumber) });
    signed.push({ chainId: doc.chainId, accountNumber: BigInt(doc.accountNumber), signer });
    return {
      signed: { bodyBytes: b64(r.signed.bodyBytes), authInfoBytes: b64(r.signed.authInfoBytes), chainId: r.signed.chainId, accountNumber: r.signed.accountNumber.toString() },
      signature: r.signature,
    };
  });
  await page.addInitScript({ content: KEPLR_SCRIPT });
  return signed;
}

/**
 * window.keplr in the page: plain JavaScript source (a function from this file would carry the
 * TypeScript loader's helpers, which the page does not have), calling the two functions above.
 */
const KEPLR_SCRIPT = `(() => {
  const toB64 = (u) => btoa(Array.from(u, (c) => String.fromCharCode(c)).join(""));
  const fromB64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const account = async () => {
    const a = await window.__aroWalletAccount();
    return { ...a, pubkey: fromB64(a.pubkey) };
  };
  const enabled = new Set();
  const mustBeEnabled = (chainId) => {
    if (!enabled.has(chainId)) throw new Error("chain " + chainId + " is not enabled");
  };
  window.keplr = {
    enable: async (chainId) => void enabled.add(chainId),
    getKey: async (chainId) => {
      mustBeEnabled(chainId);
      const a = await account();
      return { name: a.name, bech32Address: a.address, pubKey: a.pubkey, algo: a.algo };
    },
    getOfflineSigner: (chainId) => ({
      getAccounts: async () => {
        mustBeEnabled(chainId);
        const a = await account();
        return [{ address: a.address, pubkey: a.pubkey, algo: a.algo }];
      },
      signDirect: async (signer, doc) => {
        mustBeEnabled(chainId);
        const r = await window.__aroWalletSignDirect(signer, { bodyBytes: toB64(doc.bodyBytes), authInfoBytes: toB64(doc.authInfoBytes), chainId: doc.chainId, accountNumber: String(doc.accountNumber) });
        return {
          signed: { bodyBytes: fromB64(r.signed.bodyBytes), authInfoBytes: fromB64(r.signed.authInfoBytes), chainId: r.signed.chainId, accountNumber: BigInt(r.signed.accountNumber) },
          signature: r.signature,
        };
      },
    }),
  };
})();`;
