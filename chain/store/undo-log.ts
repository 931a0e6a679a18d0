import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";

/** For one block: the value each written key had before the block (undefined: absent). */
export type UndoLog = Map<string, Uint8Array | undefined>;

export function encodeUndoLog(log: UndoLog): Uint8Array {
  const w = new BinaryWriter();
  w.uint32(log.size);
  for (const [k, v] of [...log].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    w.string(k);
    w.bool(v !== undefined);
    if (v !== undefined) w.bytes(v);
  }
  return w.finish();
}

export function decodeUndoLog(bytes: Uint8Array): UndoLog {
  const r = new BinaryReader(bytes);
  const n = r.uint32();
  const log: UndoLog = new Map();
  for (let i = 0; i < n; i++) {
    const k = r.string();
    log.set(k, r.bool() ? r.bytes() : undefined);
  }
  return log;
}
