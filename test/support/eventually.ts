/** Retries an assertion until it passes or `ms` runs out (for effects that land a few blocks later). */
export async function eventually<T>(fn: () => Promise<T>, ms = 20_000, every = 200): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, every));
    }
  }
}
