import { isNotFound, rest } from "./api.ts";

/** How many past epochs the node and earnings pages look back over (bounded by the chain's record retention). */
export const LOOKBACK_EPOCHS = 12;

export interface EpochView {
  readonly epoch: number;
  readonly phase: string;
}

/** The current epoch and the past ones still on record (newest first), with their settlement phase. */
export async function recentEpochs(signal: AbortSignal, count = LOOKBACK_EPOCHS): Promise<{ current: number; past: EpochView[] }> {
  const [info, params] = await Promise.all([rest("/aro/gpow/v1/epoch_info", { signal }), rest("/aro/settlement/v1/params", { signal })]);
  const current = Number(info.epoch ?? 0);
  const keep = Math.min(count, Number(params.params?.record_retention_epochs ?? count));
  const numbers = Array.from({ length: Math.min(keep, current) }, (_, i) => current - 1 - i).filter((e) => e >= 0);
  const past = await Promise.all(numbers.map(async (epoch) => {
    try {
      const s = await rest(`/aro/settlement/v1/epochs/${epoch}`, { signal });
      return { epoch, phase: String(s.settlement?.phase ?? "EPOCH_PHASE_UNSPECIFIED") };
    } catch (err) {
      if (isNotFound(err)) return undefined; // pruned
      throw err;
    }
  }));
  return { current, past: past.filter((p): p is EpochView => p !== undefined) };
}

export const isSettled = (e: EpochView) => e.phase === "EPOCH_PHASE_SETTLED";

/** settlement's explain of a node's epoch: its record, the epoch, the formula; undefined when the node earned nothing then. */
export async function explain(nodeId: string | number, epoch: number, signal: AbortSignal): Promise<any | undefined> {
  try {
    return await rest(`/aro/settlement/v1/explain/${nodeId}/${epoch}`, { signal });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Runs `fn` over `items` with at most `limit` at once (the browser and the node both stay responsive). */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
