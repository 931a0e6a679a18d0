/** Hand-made protobuf wire bytes, for tests that send what no well-behaved encoder would. */

/** A varint; `pad` adds that many redundant continuation bytes (a non-minimal encoding). */
export function varint(value: number | bigint, pad = 0): Uint8Array {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n || pad > 0) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  for (let i = 0; i < pad; i++) out.push(i === pad - 1 ? 0x00 : 0x80);
  return Uint8Array.from(out);
}

export const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

/** A length-delimited field: tag, length, payload. */
export function lenField(fieldNo: number, payload: Uint8Array, { wireType = 2, lengthPad = 0, lengthAdd = 0n } = {}): Uint8Array {
  return concat(tag(fieldNo, wireType), varint(BigInt(payload.length) + lengthAdd, lengthPad), payload);
}

/** A varint field. */
export const varintField = (fieldNo: number, value: number | bigint): Uint8Array => concat(tag(fieldNo, 0), varint(value));

/** A field's tag (field numbers go up to 2^29 - 1, past what `<< 3` keeps in 32 bits). */
export const tag = (fieldNo: number, wireType: number): Uint8Array => varint(BigInt(fieldNo) * 8n + BigInt(wireType));

/** The top-level fields of a message, in order (tag number and raw field bytes). */
export function fields(bytes: Uint8Array): Array<{ no: number; raw: Uint8Array; payload?: Uint8Array }> {
  const out: Array<{ no: number; raw: Uint8Array; payload?: Uint8Array }> = [];
  let pos = 0;
  const read = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = bytes[pos++];
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
  };
  while (pos < bytes.length) {
    const start = pos;
    const tag = Number(read());
    const wt = tag & 7;
    let payload: Uint8Array | undefined;
    if (wt === 0) read();
    else if (wt === 2) {
      const len = Number(read());
      payload = bytes.subarray(pos, pos + len);
      pos += len;
    } else if (wt === 1) pos += 8;
    else if (wt === 5) pos += 4;
    else throw new Error(`wire type ${wt} not handled`);
    out.push({ no: tag >>> 3, raw: bytes.subarray(start, pos), payload });
  }
  return out;
}
