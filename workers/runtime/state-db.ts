import { Level } from "level";
import type { AbstractSublevel } from "abstract-level";

export type Sub = AbstractSublevel<Level<string, Uint8Array>, string | Uint8Array | Buffer, string, Uint8Array>;

/**
 * The agent's own database (LevelDB): what it must not forget across a restart —
 * receipts it was given, claims it made, salts of committed job results, pinned
 * contents and its node id. Receipts are written with sync so a crash cannot lose one
 * the client already saw accepted.
 */
export class AgentDb {
  readonly receipts: Sub;
  readonly claims: Sub;
  readonly jobs: Sub;
  readonly meta: Sub;
  readonly storage: Sub;

  private constructor(readonly db: Level<string, Uint8Array>) {
    const sub = (name: string) => db.sublevel<string, Uint8Array>(name, { keyEncoding: "utf8", valueEncoding: "view" });
    this.receipts = sub("receipts");
    this.claims = sub("claims");
    this.jobs = sub("jobs");
    this.meta = sub("meta");
    this.storage = sub("storage");
  }

  static async open(dir: string): Promise<AgentDb> {
    const db = new Level<string, Uint8Array>(dir, { keyEncoding: "utf8", valueEncoding: "view" });
    try {
      await db.open();
    } catch (err) {
      const cause = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
      throw new Error(`cannot open the agent database ${dir}: ${cause} (is another aro-agent running on this home?)`);
    }
    return new AgentDb(db);
  }

  async getJson<T>(sub: Sub, key: string): Promise<T | undefined> {
    const v = await sub.get(key);
    return v === undefined ? undefined : (JSON.parse(Buffer.from(v).toString("utf8")) as T);
  }

  async putJson(sub: Sub, key: string, value: unknown): Promise<void> {
    await putSync(sub, key, new TextEncoder().encode(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v))));
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

/** Zero-padded decimal, so keys sort numerically. */
export const pad = (n: bigint | number): string => n.toString().padStart(20, "0");

/** A durable write: LevelDB's sync flag (classic-level honours it; the typings omit it). */
export function putSync(sub: Sub, key: string, value: Uint8Array): Promise<void> {
  return sub.put(key, value, { sync: true } as object);
}
