// CometBFT (libs/protoio) frames every ABCI message as an unsigned varint length
// followed by the protobuf bytes. Tendermint <= 0.34 used zigzag varints: not here.

// InitChain carries the whole genesis app state (100,000 PeerNodes are ~150 MB of JSON).
const MAX_FRAME_BYTES = 1024 * 1024 * 1024;

export function encodeFrame(payload: Uint8Array): Uint8Array {
  const header: number[] = [];
  let n = payload.length;
  while (n >= 0x80) {
    header.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  header.push(n);
  const out = new Uint8Array(header.length + payload.length);
  out.set(header, 0);
  out.set(payload, header.length);
  return out;
}

/** Accumulates socket chunks and yields every complete frame, in order. */
export class FrameDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Uint8Array[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Uint8Array[] = [];
    for (;;) {
      const header = readUvarint(this.buffer);
      if (header === undefined) break;
      const { value: length, bytesRead } = header;
      if (length > MAX_FRAME_BYTES) throw new Error(`ABCI frame of ${length} bytes exceeds ${MAX_FRAME_BYTES}`);
      if (this.buffer.length < bytesRead + length) break;
      frames.push(this.buffer.subarray(bytesRead, bytesRead + length));
      this.buffer = this.buffer.subarray(bytesRead + length);
    }
    return frames;
  }
}

function readUvarint(buf: Uint8Array): { value: number; bytesRead: number } | undefined {
  let value = 0;
  let shift = 0;
  for (let i = 0; i < buf.length && i < 10; i++) {
    const byte = buf[i];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return { value, bytesRead: i + 1 };
    shift += 7;
  }
  if (buf.length >= 10) throw new Error("malformed ABCI frame length varint");
  return undefined;
}
