import { BinaryReader as CosmReader } from "cosmjs-types/binary";
import { BinaryReader as WireReader } from "@bufbuild/protobuf/wire";
import type { ProtoType } from "./module.ts";

/**
 * Protobuf decoding that refuses what the Cosmos SDK's unknown-field check refuses
 * (codec/unknownproto): a field the type does not define, groups, and bytes left over;
 * for Aro's own types (ts-proto) also a known field sent with the wrong wire type. The
 * cosmjs-types decoders read a known field whatever its wire type, so there such a
 * field is read, not refused (the bytes are signed, so this allows no malleability). Field numbers with bit 11 set (1024)
 * are "non-critical" (ADR-020) and may be skipped where the SDK allows it: in a tx
 * body and the messages inside it, never in auth info.
 *
 * The generated decoders (cosmjs-types for Cosmos types, ts-proto on @bufbuild's wire
 * reader for Aro's) skip unknown fields through the reader they were handed, and hand
 * that same reader to nested messages; a reader whose skip throws makes every level
 * strict without a descriptor table.
 */
export class UnknownFieldError extends Error {}

const NON_CRITICAL_BIT = 1024;

function refuseSkip(fieldNo: number, wireType: number, allowNonCritical: boolean): boolean {
  if (wireType === 3 || wireType === 4) throw new UnknownFieldError(`field ${fieldNo}: groups are not allowed`);
  if (allowNonCritical && (fieldNo & NON_CRITICAL_BIT) !== 0) return false;
  throw new UnknownFieldError(`field ${fieldNo} (wire type ${wireType}) is not a field of this message`);
}

class StrictCosmReader extends CosmReader {
  private lastVarint = 0;
  constructor(buf: Uint8Array, private readonly allowNonCritical: boolean) {
    super(buf);
  }
  override uint32(): number {
    return (this.lastVarint = super.uint32());
  }
  override skipType(wireType: number): this {
    refuseSkip(this.lastVarint >>> 3, wireType, this.allowNonCritical);
    return super.skipType(wireType) as this;
  }
}

class StrictWireReader extends WireReader {
  private lastVarint = 0;
  constructor(buf: Uint8Array, private readonly allowNonCritical: boolean) {
    super(buf);
    // @bufbuild sets uint32 as an own property in its constructor
    const read = this.uint32;
    this.uint32 = () => (this.lastVarint = read.call(this));
  }
  override skip(wireType: number, fieldNo?: number): Uint8Array {
    refuseSkip(fieldNo ?? this.lastVarint >>> 3, wireType, this.allowNonCritical);
    return super.skip(wireType, fieldNo);
  }
}

type ReaderKind = "cosm" | "wire";
const kinds = new WeakMap<object, ReaderKind>();
/** One field the generated types never define (number 2^29-1, varint 0). */
const PROBE = Uint8Array.of(0xf8, 0xff, 0xff, 0xff, 0x0f, 0x00);

/** Which reader a generated type decodes with: only its own class passes its `instanceof` check. */
function readerKind(type: object): ReaderKind {
  let kind = kinds.get(type);
  if (kind) return kind;
  try {
    (type as ProtoType<unknown>).decode(new StrictWireReader(PROBE, false) as unknown as Uint8Array);
    kind = "cosm"; // a cosmjs-types decoder wrapped the foreign reader as an empty buffer
  } catch (err) {
    kind = err instanceof UnknownFieldError ? "wire" : "cosm";
  }
  kinds.set(type, kind);
  return kind;
}

/**
 * Decodes `bytes` as `type`, throwing UnknownFieldError for anything the type does not
 * define (see above) and a plain Error for malformed bytes.
 */
export function decodeStrict<T>(type: ProtoType<T>, bytes: Uint8Array, { allowNonCritical = false } = {}): T {
  const reader = readerKind(type) === "wire" ? new StrictWireReader(bytes, allowNonCritical) : new StrictCosmReader(bytes, allowNonCritical);
  let msg: T;
  try {
    msg = type.decode(reader as unknown as Uint8Array);
  } catch (err) {
    // deeply nested input overflows the decoders' recursion: malformed, not internal
    if (err instanceof RangeError && /call stack/.test(err.message)) throw new Error("message is nested too deeply");
    throw err;
  }
  if (reader.pos !== reader.len) throw new UnknownFieldError(`${reader.len - reader.pos} bytes after the end of the message`);
  return msg;
}
