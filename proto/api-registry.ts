import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { createFileRegistry, fromBinary, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";

/**
 * Every service and message arod speaks (Cosmos SDK v0.50, CometBFT, Aro) as protobuf
 * descriptors with their options (google.api.http, amino, cosmos.msg.v1, gogoproto), built by
 * scripts/install-api-protos into .bin/aro-api.binpb. The REST gateway, the gRPC server, the
 * amino JSON signer and the CLI's JSON output all read message shapes from here.
 */
export const API_DESCRIPTORS_ENV = "ARO_API_DESCRIPTORS";

let cached: FileRegistry | undefined;

export function apiDescriptorsPath(): string {
  const fromEnv = process.env[API_DESCRIPTORS_ENV];
  if (fromEnv) return fromEnv;
  // proto/api-registry.ts and a bundle in dist/ both sit one folder below the project root.
  return fileURLToPath(new URL("../.bin/aro-api.binpb", import.meta.url));
}

export function apiRegistry(): FileRegistry {
  if (cached) return cached;
  const file = apiDescriptorsPath();
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new Error(`the API descriptors ${file} are missing: run bash scripts/setup (it builds them with scripts/install-api-protos)`);
  }
  cached = createFileRegistry(fromBinary(FileDescriptorSetSchema, bytes));
  return cached;
}
