/**
 * The media type a publisher records for a file (MsgPublishContent.media_type), by its
 * extension: the common web and AI-model formats, application/octet-stream for the rest.
 * Text types carry "; charset=utf-8" so browsers do not guess the encoding. Every value
 * passes the chain's rule (protocol/media-type.ts).
 */
import { DEFAULT_MEDIA_TYPE } from "../../protocol/media-type.ts";

const UTF8 = "; charset=utf-8";
const OCTETS = DEFAULT_MEDIA_TYPE;

const BY_EXTENSION: ReadonlyMap<string, string> = new Map([
  // web pages, scripts, styles, data
  ["html", "text/html" + UTF8], ["htm", "text/html" + UTF8], ["css", "text/css" + UTF8],
  ["js", "text/javascript" + UTF8], ["mjs", "text/javascript" + UTF8], ["cjs", "text/javascript" + UTF8],
  ["json", "application/json"], ["map", "application/json"], ["webmanifest", "application/manifest+json"],
  ["wasm", "application/wasm"], ["xml", "application/xml"], ["txt", "text/plain" + UTF8], ["md", "text/markdown" + UTF8],
  ["csv", "text/csv" + UTF8], ["yaml", "application/yaml"], ["yml", "application/yaml"], ["toml", "application/toml"],
  ["pdf", "application/pdf"],
  // images
  ["png", "image/png"], ["jpg", "image/jpeg"], ["jpeg", "image/jpeg"], ["gif", "image/gif"], ["svg", "image/svg+xml"],
  ["webp", "image/webp"], ["avif", "image/avif"], ["ico", "image/vnd.microsoft.icon"], ["bmp", "image/bmp"],
  // fonts
  ["woff", "font/woff"], ["woff2", "font/woff2"], ["ttf", "font/ttf"], ["otf", "font/otf"],
  // audio and video
  ["mp4", "video/mp4"], ["webm", "video/webm"], ["mp3", "audio/mpeg"], ["ogg", "audio/ogg"], ["wav", "audio/wav"], ["flac", "audio/flac"],
  // archives
  ["zip", "application/zip"], ["gz", "application/gzip"], ["tar", "application/x-tar"], ["zst", "application/zstd"],
  // AI models and data sets: weights have no registered type, so octets (as Hugging Face serves them)
  ["safetensors", OCTETS], ["gguf", OCTETS], ["onnx", OCTETS], ["bin", OCTETS], ["pt", OCTETS], ["pth", OCTETS],
  ["ckpt", OCTETS], ["model", OCTETS], ["npy", OCTETS], ["npz", "application/zip"], ["tflite", OCTETS],
  ["parquet", "application/vnd.apache.parquet"], ["jsonl", "application/jsonl"],
]);

/** The media type of a file by its name's extension (case-insensitive; any folders in the name are ignored). */
export function mediaTypeOf(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf("/"), fileName.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  // no extension, or a dot file such as ".env"
  if (dot <= 0) return OCTETS;
  return BY_EXTENSION.get(base.slice(dot + 1).toLowerCase()) ?? OCTETS;
}

/** Every extension mediaTypeOf knows, with its type (for tests and documentation). */
export const knownMediaTypes = (): ReadonlyMap<string, string> => BY_EXTENSION;
