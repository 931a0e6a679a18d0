import type { BatchDBOp, DB } from "@ethereumjs/util";
import type { Level } from "level";

type Value = string | Uint8Array;

/**
 * The trie's node database: new nodes are held in memory until the block commits,
 * then written in the same atomic level batch as the rest of the block.
 */
export class PendingTrieDB implements DB<string, Value> {
  private pending = new Map<string, Value>();

  constructor(private readonly db: Level<string, Uint8Array>, private readonly prefix = "n/") {}

  async get(key: string): Promise<Value | undefined> {
    const p = this.pending.get(key);
    if (p !== undefined) return p;
    return (await this.db.get(this.prefix + key)) ?? undefined;
  }

  async put(key: string, value: Value): Promise<void> {
    this.pending.set(key, value);
  }

  async del(_key: string): Promise<void> {
    // Nodes are never deleted: old roots stay readable for historical proofs.
  }

  async batch(ops: BatchDBOp<string, Value>[]): Promise<void> {
    for (const op of ops) if (op.type === "put") this.pending.set(op.key, op.value);
  }

  shallowCopy(): DB<string, Value> {
    return this;
  }

  async open(): Promise<void> {}

  /** Takes the nodes written since the last call, as level batch operations. */
  takePending(): Array<{ type: "put"; key: string; value: Uint8Array }> {
    const ops = [...this.pending].map(([k, v]) => ({
      type: "put" as const,
      key: this.prefix + k,
      value: typeof v === "string" ? Buffer.from(v, "utf8") : v,
    }));
    this.pending = new Map();
    return ops;
  }
}
