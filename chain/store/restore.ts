import type { Database } from "lmdb";
import { commitHash } from "./commit-info.ts";
import { TreeImporter, type ExportNode } from "./iavl/export.ts";
import { EMPTY_ROOT, encodeRootRef, iavlNodeKey, type IavlNode } from "./iavl/node.ts";
import { fastKey, metaKey, nodeKey, rootKey, STORE_NAME, versionKey } from "./layout.ts";

const dec = new TextDecoder();

/**
 * Fills an empty state database from a snapshot's items (each store's name, then its
 * nodes in post-order), rebuilding every tree exactly, node versions included, so the
 * roots and the app hash come out as they were. Nothing counts until finish() has
 * checked the app hash against the one the light client trusts; a mismatch wipes it all.
 */
export class StoreRestore {
  private current?: { store: string; importer: TreeImporter };
  private readonly roots = new Map<string, IavlNode | undefined>();

  constructor(
    private readonly db: Database<Buffer, Buffer>,
    readonly height: number,
    private readonly reload: () => void,
  ) {}

  add(item: { store: string } | ExportNode): void {
    if ("store" in item) {
      this.endStore();
      if (!STORE_NAME.test(item.store)) throw new Error(`snapshot: bad store name ${JSON.stringify(item.store.slice(0, 40))}`);
      if (this.roots.has(item.store)) throw new Error(`snapshot: store ${item.store} appears twice`);
      const store = item.store;
      let nonce = 0;
      this.current = {
        store,
        // every restored node is written at the snapshot's height, in the export's order
        importer: new TreeImporter((n) => {
          n.nodeKey = iavlNodeKey(this.height, ++nonce);
          void this.db.put(nodeKey(store, n.nodeKey), Buffer.from(n.encode()));
          if (n.isLeaf) void this.db.put(fastKey(`${store}/${dec.decode(n.key)}`), Buffer.from(n.value!));
        }),
      };
      return;
    }
    if (!this.current) throw new Error("snapshot: a node before any store");
    if (item.version > this.height || item.version < 1) throw new Error(`snapshot: a node of version ${item.version} in a snapshot of height ${this.height}`);
    this.current.importer.add(item);
  }

  /** Waits for what was added to reach the disk (call between chunks, so memory stays bounded). */
  async flush(): Promise<void> {
    await this.db.flushed;
  }

  /** Checks the rebuilt state against `appHash` and makes it the database's version `height`. */
  async finish(appHash: Uint8Array): Promise<void> {
    this.endStore();
    const got = commitHash([...this.roots].map(([name, n]) => ({ name, root: n ? n.hash! : EMPTY_ROOT })));
    if (Buffer.compare(Buffer.from(got), Buffer.from(appHash)) !== 0) {
      await this.abort();
      throw new Error(`snapshot of height ${this.height} rebuilds app hash ${Buffer.from(got).toString("hex")}, not the trusted ${Buffer.from(appHash).toString("hex")}`);
    }
    await this.db.transaction(() => {
      for (const [name, n] of this.roots) this.db.put(rootKey(name, this.height), Buffer.from(encodeRootRef(n)));
      this.db.put(versionKey(this.height), Buffer.from(appHash));
      this.db.put(metaKey("height"), Buffer.from(String(this.height)));
      this.db.put(metaKey("app_hash"), Buffer.from(appHash));
      this.db.put(metaKey("first"), Buffer.from(String(this.height)));
      this.db.put(metaKey("pruned"), Buffer.from(String(this.height - 1)));
      this.db.put(metaKey("deferred"), Buffer.from("[]"));
      this.db.put(metaKey("stores"), Buffer.from(JSON.stringify([...this.roots.keys()].sort())));
    });
    this.reload();
  }

  /** Drops everything written so far (a refused snapshot leaves an empty database). */
  async abort(): Promise<void> {
    await this.db.flushed;
    await this.db.clearAsync();
  }

  private endStore(): void {
    if (!this.current) return;
    this.roots.set(this.current.store, this.current.importer.finish());
    this.current = undefined;
  }
}
