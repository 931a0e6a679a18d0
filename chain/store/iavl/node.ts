import crypto from "node:crypto";

/**
 * A node of an IAVL+ tree, hashed exactly as cosmos/iavl hashes it, so that ICS23's
 * `iavlSpec` verifies our proofs:
 *
 *   leaf  = sha256(zz(0) zz(1) zz(version) uvarint(len key) key uvarint(32) sha256(value))
 *   inner = sha256(zz(height) zz(size) zz(version) uvarint(32) leftHash uvarint(32) rightHash)
 *
 * (zz: signed zigzag varint, as Go's binary.PutVarint.) An inner node's key is the
 * smallest key of its right subtree. A persisted node never changes; the working tree
 * copies a persisted node before changing it (and the copy's version is the new one).
 *
 * On disk a node is found by its node key, (version it was written at, its order among
 * that version's new nodes), as in cosmos/iavl v1: a block's nodes are written side by
 * side, not scattered by their hashes. An inner node records its children's hashes (for
 * its own hash and proofs) and their node keys (to load them).
 */
export class IavlNode {
  /** Children of a node of the working tree; a persisted node refers to them by hash and node key only. */
  left?: IavlNode;
  right?: IavlNode;
  /** Where a persisted node is stored (see iavlNodeKey). */
  nodeKey?: Uint8Array;
  leftKey?: Uint8Array;
  rightKey?: Uint8Array;

  constructor(
    public key: Uint8Array,
    public value: Uint8Array | undefined,
    public height: number,
    public size: number,
    public version: number,
    public leftHash?: Uint8Array,
    public rightHash?: Uint8Array,
    /** Set once computed; a node of the working tree loses it when it changes. */
    public hash?: Uint8Array,
    public persisted = false,
  ) {}

  static leaf(key: Uint8Array, value: Uint8Array, version: number): IavlNode {
    return new IavlNode(key, value, 0, 1, version);
  }

  get isLeaf(): boolean {
    return this.height === 0;
  }

  /** A working copy of a persisted node, at `version`. */
  copy(version: number): IavlNode {
    const n = new IavlNode(this.key, this.value, this.height, this.size, version, this.leftHash, this.rightHash);
    n.leftKey = this.leftKey;
    n.rightKey = this.rightKey;
    n.left = this.left;
    n.right = this.right;
    return n;
  }

  /** This node's hash; its children's hashes must be known. */
  computeHash(): Uint8Array {
    if (this.hash) return this.hash;
    const w = new Writer();
    w.zz(this.height).zz(this.size).zz(this.version);
    if (this.isLeaf) w.bytes(this.key).bytes(sha256(this.value!));
    else w.bytes(this.leftHash ?? this.left!.hash!).bytes(this.rightHash ?? this.right!.hash!);
    this.hash = sha256(w.finish());
    return this.hash;
  }

  /** The record kept on disk (not the hashed bytes: those carry sha256(value), not the value). Children must have node keys. */
  encode(): Uint8Array {
    const w = new Writer();
    w.zz(this.height).zz(this.size).zz(this.version).bytes(this.key);
    if (this.isLeaf) w.bytes(this.value!);
    else {
      w.raw(this.leftHash ?? this.left!.hash!).raw(this.rightHash ?? this.right!.hash!);
      w.raw(this.leftKey ?? this.left!.nodeKey!).raw(this.rightKey ?? this.right!.nodeKey!);
    }
    return w.finish();
  }

  /** A persisted node from its record, its node key and its hash (which its parent, or its root record, holds). */
  static decode(nodeKey: Uint8Array, hash: Uint8Array, b: Uint8Array): IavlNode {
    const r = new Reader(b);
    const height = r.zz();
    const size = r.zz();
    const version = r.zz();
    const key = r.bytes();
    const n = height === 0
      ? new IavlNode(key, r.bytes(), 0, size, version, undefined, undefined, hash, true)
      : new IavlNode(key, undefined, height, size, version, r.raw(32), r.raw(32), hash, true);
    if (height !== 0) {
      n.leftKey = r.raw(NODE_KEY_BYTES);
      n.rightKey = r.raw(NODE_KEY_BYTES);
    }
    n.nodeKey = nodeKey;
    return n;
  }
}

/** A node key's length: be64 version, then be32 order within the version. */
export const NODE_KEY_BYTES = 12;

/** The node key of the `nonce`th node (from 1) written at `version`. */
export function iavlNodeKey(version: number, nonce: number): Uint8Array {
  const b = Buffer.alloc(NODE_KEY_BYTES);
  b.writeBigUInt64BE(BigInt(version));
  b.writeUInt32BE(nonce, 8);
  return b;
}

/** A store's root record: the root's node key and hash (empty: an empty tree). */
export function encodeRootRef(root: IavlNode | undefined): Uint8Array {
  return root ? Buffer.concat([root.nodeKey!, root.hash!]) : new Uint8Array();
}

export function decodeRootRef(b: Uint8Array): { nodeKey: Uint8Array; hash: Uint8Array } | undefined {
  if (b.length === 0) return undefined;
  if (b.length !== NODE_KEY_BYTES + 32) throw new Error(`a root record of ${b.length} bytes (a database of another format?)`);
  return { nodeKey: b.subarray(0, NODE_KEY_BYTES), hash: b.subarray(NODE_KEY_BYTES) };
}

export function sha256(b: Uint8Array): Uint8Array {
  const d = crypto.hash("sha256", b, "buffer");
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** The empty tree's hash (as cosmos/iavl reports it). */
export const EMPTY_ROOT = sha256(new Uint8Array());

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

/** Appends varints and length-prefixed bytes. */
export class Writer {
  private parts: number[] = [];
  private chunks: Uint8Array[] = [];

  private flush(): void {
    if (this.parts.length) {
      this.chunks.push(Uint8Array.from(this.parts));
      this.parts = [];
    }
  }

  uvarint(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`uvarint out of range: ${n}`);
    while (n >= 0x80) {
      this.parts.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.parts.push(n);
    return this;
  }

  /** Signed zigzag varint (Go's binary.PutVarint). */
  zz(n: number): this {
    return this.uvarint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  raw(b: Uint8Array): this {
    this.flush();
    this.chunks.push(b);
    return this;
  }

  bytes(b: Uint8Array): this {
    return this.uvarint(b.length).raw(b);
  }

  finish(): Uint8Array {
    this.flush();
    return Buffer.concat(this.chunks);
  }
}

export class Reader {
  private pos = 0;
  constructor(private readonly b: Uint8Array) {}

  uvarint(): number {
    let n = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.b.length) throw new RangeError("truncated varint");
      const byte = this.b[this.pos++];
      n += (byte & 0x7f) * mul;
      if (byte < 0x80) return n;
      mul *= 0x80;
      if (mul > 2 ** 56) throw new RangeError("varint too long");
    }
  }

  zz(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  raw(n: number): Uint8Array {
    if (this.pos + n > this.b.length) throw new RangeError("truncated bytes");
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  bytes(): Uint8Array {
    return this.raw(this.uvarint());
  }

  get done(): boolean {
    return this.pos === this.b.length;
  }

  /** Bytes read so far. */
  get offset(): number {
    return this.pos;
  }
}
