import type { Event } from "cosmjs-types/tendermint/abci/types";

/** Collects SDK-style events; every attribute is indexed so tx_search can find it. */
export class EventManager {
  private readonly list: Event[] = [];

  emit(type: string, attributes: Record<string, string>): void {
    this.list.push({
      type,
      attributes: Object.entries(attributes).map(([key, value]) => ({ key, value, index: true })),
    });
  }

  /** Adds msg_index to every event emitted by a message, as SDK v0.50 does. */
  appendFrom(other: EventManager, extra?: Record<string, string>): void {
    for (const e of other.events) {
      const attrs = [...e.attributes];
      if (extra) for (const [key, value] of Object.entries(extra)) attrs.push({ key, value, index: true });
      this.list.push({ type: e.type, attributes: attrs });
    }
  }

  get events(): readonly Event[] {
    return this.list;
  }
}
