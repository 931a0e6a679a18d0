import { useCallback, useEffect, useRef, useState } from "preact/hooks";

export interface Loaded<T> {
  readonly data?: T;
  readonly error?: Error;
  readonly loading: boolean;
  reload(): void;
}

/**
 * Runs `load` when `key` changes (none while key is null) and again every `refreshMs` when
 * given; keeps the last data while a refresh runs and drops answers that arrive out of turn.
 */
export function useLoad<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>, refreshMs?: number): Loaded<T> {
  const [state, setState] = useState<{ key: string | null; data?: T; error?: Error; loading: boolean }>({ key, loading: key !== null });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    if (key === null) return setState({ key, loading: false });
    const ctl = new AbortController();
    setState((s) => (s.key === key ? { ...s, loading: true } : { key, loading: true }));
    loadRef.current(ctl.signal).then(
      (data) => !ctl.signal.aborted && setState({ key, data, loading: false }),
      (error) => !ctl.signal.aborted && setState((s) => ({ key, data: s.key === key ? s.data : undefined, error, loading: false })),
    );
    return () => ctl.abort();
  }, [key, tick]);
  useEffect(() => {
    if (!refreshMs || key === null) return;
    const t = setInterval(() => setTick((n) => n + 1), refreshMs);
    return () => clearInterval(t);
  }, [key, refreshMs]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  if (state.key !== key) return { loading: key !== null, reload };
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** The part of location.hash after "#/", split on "/" ("#/nodes/7" → ["nodes", "7"]). */
export function useRoute(): string[] {
  const read = () => location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeSafely);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return route;
}

function decodeSafely(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
