import type { HookRegistry } from "../hooks.ts";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import type { Event } from "cosmjs-types/tendermint/abci/types";
import { AppError, toAppError } from "../errors.ts";
import { EventManager } from "../events.ts";
import { GasKV, GasMeter } from "../gas.ts";
import type { BlockInfo, Context, ExecMode, MsgResponse, MsgRoute } from "../module.ts";
import { CacheKV } from "../store/cache.ts";
import type { KVStore } from "../store/kv.ts";
import type { AnteHandler, AnteOptions } from "./ante-options.ts";
import { decodeTx, type DecodedTx } from "./decode.ts";
import type { TxDecodeCache } from "./decode-cache.ts";

export interface TxResult {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly data: Uint8Array;
  readonly gasWanted: bigint;
  readonly gasUsed: bigint;
  readonly events: Event[];
  readonly msgResponses: MsgResponse[];
  readonly tx?: DecodedTx;
}

export interface TxRunner {
  readonly routes: ReadonlyMap<string, MsgRoute>;
  readonly ante: AnteHandler;
  readonly hooks: HookRegistry;
  /** decodes txs it has seen before from memory (simulations always decode afresh) */
  readonly decodeCache?: TxDecodeCache;
}

function failure(err: unknown, gasWanted: bigint, gasUsed: bigint, events: Event[] = [], tx?: DecodedTx): TxResult {
  const e: AppError = toAppError(err);
  return { code: e.code, codespace: e.codespace, log: e.message, data: new Uint8Array(), gasWanted, gasUsed, events, msgResponses: [], tx };
}

/**
 * Runs one tx against `base`: decode, ante (fee and sequence stick even if a message
 * fails), then the messages in a branch that is written only if all succeed.
 * In check/recheck mode only the ante runs, as in the SDK.
 */
export function runTx(runner: TxRunner, mode: ExecMode, bytes: Uint8Array, base: KVStore, block: BlockInfo, opts: AnteOptions): TxResult {
  let tx: DecodedTx;
  try {
    tx = mode !== "simulate" && runner.decodeCache ? runner.decodeCache.decode(bytes) : decodeTx(bytes, runner.routes, { simulate: mode === "simulate" });
  } catch (err) {
    return failure(err, 0n, 0n);
  }
  const gas = new GasMeter(mode === "simulate" ? undefined : tx.gasLimit);
  const anteBranch = new CacheKV(base);
  const anteEvents = new EventManager();
  const ctx = (store: KVStore, events: EventManager): Context => ({ store: new GasKV(store, gas), block, events, gas, mode, hooks: runner.hooks });
  try {
    runner.ante(ctx(anteBranch, anteEvents), tx, opts);
  } catch (err) {
    return failure(err, tx.gasLimit, gas.consumed, [], tx);
  }
  anteBranch.flush();
  if (mode === "check" || mode === "recheck") {
    return { code: 0, codespace: "", log: "", data: new Uint8Array(), gasWanted: tx.gasLimit, gasUsed: gas.consumed, events: [...anteEvents.events], msgResponses: [], tx };
  }

  const msgBranch = new CacheKV(base);
  const events = new EventManager();
  events.appendFrom(anteEvents);
  const msgResponses: MsgResponse[] = [];
  try {
    tx.msgs.forEach((m, i) => {
      const msgEvents = new EventManager();
      msgEvents.emit("message", { action: m.typeUrl, sender: m.route.signers(m.msg)[0] ?? "", module: m.typeUrl.split(".")[1] ?? "" });
      msgResponses.push(m.route.handle(ctx(msgBranch, msgEvents), m.msg));
      events.appendFrom(msgEvents, { msg_index: String(i) });
    });
  } catch (err) {
    const e = toAppError(err);
    const log = tx.msgs.length > 1 ? `failed to execute message; message index: ${msgResponses.length}: ${e.message}` : e.message;
    return failure(new AppError(e.codespace, e.code, log), tx.gasLimit, gas.consumed, [...anteEvents.events], tx);
  }
  msgBranch.flush();
  const data = TxMsgData.encode({ data: [], msgResponses: msgResponses.map((r) => ({ typeUrl: r.typeUrl, value: r.value })) }).finish();
  return { code: 0, codespace: "", log: "", data, gasWanted: tx.gasLimit, gasUsed: gas.consumed, events: [...events.events], msgResponses, tx };
}
