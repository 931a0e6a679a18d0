/** Bytes in a GB: prices are per GB (10^9 bytes, as CDNs bill). */
export const GB = 1_000_000_000n;
