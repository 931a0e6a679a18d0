import { sdkErrors } from "../errors.ts";

/**
 * ASCII armor as the Cosmos SDK writes it (crypto.EncodeArmor, golang.org/x/crypto/openpgp/armor,
 * RFC 4880 §6.2): a BEGIN line, "key: value" headers, a blank line, the data in base64 lines of
 * 64, "=" and the CRC-24 of the data, an END line.
 */
export interface Armored {
  readonly blockType: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
}

/** Longest armor accepted: an armored key is well under 1 KB. */
export const MAX_ARMOR_CHARS = 64 * 1024;

/** RFC 4880's CRC-24 (init 0xB704CE, generator 0x1864CFB): the armor's checksum, not a MAC. */
export function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

const crcText = (data: Uint8Array) => {
  const c = crc24(data);
  return Buffer.from([c >> 16, (c >> 8) & 0xff, c & 0xff]).toString("base64");
};

export function encodeArmor({ blockType, headers, data }: Armored): string {
  const body = Buffer.from(data).toString("base64").match(/.{1,64}/g) ?? [];
  const head = Object.keys(headers).sort().map((k) => `${k}: ${headers[k]}`);
  return [`-----BEGIN ${blockType}-----`, ...head, "", ...body, `=${crcText(data)}`, `-----END ${blockType}-----`].join("\n");
}

const bad = (why: string) => sdkErrors.invalidRequest.wrap(`not an armored block: ${why}`);

/** Parses armor, checking its framing and checksum; throws sdk/18 (invalid request) on anything else. */
export function decodeArmor(text: string): Armored {
  if (typeof text !== "string" || text.length > MAX_ARMOR_CHARS) throw bad(`expected text of at most ${MAX_ARMOR_CHARS} characters`);
  const lines = text.replace(/\r\n/g, "\n").trim().split("\n").map((l) => l.trimEnd());
  const begin = /^-----BEGIN ([A-Z0-9 ]{1,64})-----$/.exec(lines[0] ?? "");
  if (!begin) throw bad("no -----BEGIN ...----- line");
  const blockType = begin[1];
  if (lines[lines.length - 1] !== `-----END ${blockType}-----`) throw bad(`no -----END ${blockType}----- line`);
  const headers: Record<string, string> = {};
  let i = 1;
  for (; i < lines.length - 1 && lines[i] !== ""; i++) {
    const h = /^([A-Za-z0-9_-]{1,32}): ?(.{0,256})$/.exec(lines[i]);
    if (!h) throw bad(`malformed header line ${JSON.stringify(lines[i].slice(0, 80))}`);
    if (Object.hasOwn(headers, h[1])) throw bad(`header ${h[1]} given twice`);
    headers[h[1]] = h[2];
  }
  if (lines[i] !== "") throw bad("no blank line after the headers");
  const body = lines.slice(i + 1, -1);
  const checksum = body.length > 0 && body[body.length - 1].startsWith("=") ? body.pop()!.slice(1) : undefined;
  const b64 = body.join("");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) throw bad("the body is not base64");
  const data = new Uint8Array(Buffer.from(b64, "base64"));
  if (checksum !== undefined && checksum !== crcText(data)) throw bad("checksum mismatch (the text was changed or cut)");
  return { blockType, headers, data };
}
