// cosmjs-types 0.11's BinaryWriter.alloc calls `pool(...)(size)`: it makes a new 8 KiB
// pool on every call, so each encode().finish() of a small message allocates 8 KiB and
// hands back a view into it (1.4 s of a 17.8 s CPU profile of arod under a 20,000-tx
// load, plus the GC it causes). A plain allocation of the needed size is what it means.
// Imported for its effect by the app before anything encodes.
import { BinaryWriter } from "cosmjs-types/binary";

BinaryWriter.alloc = (size: number): Uint8Array => new Uint8Array(size);
