/**
 * Epoch arithmetic, the one definition the chain and the agents share: with epochs of
 * `length` blocks, epoch e covers heights [e·length + 1, (e+1)·length].
 */
export const epochOfHeight = (length: bigint, height: bigint): bigint => (height < 1n ? 0n : (height - 1n) / length);
export const epochStartHeight = (length: bigint, epoch: bigint): bigint => epoch * length + 1n;
export const epochEndHeight = (length: bigint, epoch: bigint): bigint => (epoch + 1n) * length;
