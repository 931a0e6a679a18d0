import type { Database } from "lmdb";
import { be64, nodeKey, ORPHAN, orphanKey, parseOrphanKey, rootKey, versionKey } from "./layout.ts";

/**
 * Deletes version d of every store (inside a commit's transaction): each node whose last
 * version was d goes, unless a kept version before d (`prevKept`) still holds it; then
 * it becomes an orphan of that version. The work is the orphans of one version.
 */
export function deleteVersion(db: Database<Buffer, Buffer>, stores: Iterable<string>, d: number, prevKept?: number): void {
  for (const { key, value } of db.getRange({ start: Buffer.concat([Uint8Array.of(ORPHAN), be64(d)]), end: Buffer.concat([Uint8Array.of(ORPHAN), be64(d + 1)]) })) {
    const { store, key: node } = parseOrphanKey(key);
    const first = Number(value.readBigUInt64BE());
    if (prevKept !== undefined && first <= prevKept) db.put(orphanKey(prevKept, store, node), value);
    else db.remove(nodeKey(store, node));
    db.remove(key);
  }
  for (const name of stores) db.remove(rootKey(name, d));
  db.remove(versionKey(d));
}
