import path from "node:path";
import { createRequire } from "node:module";
import { toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { loadSync, type PackageDefinition } from "@grpc/proto-loader";
import { apiRegistry } from "../../../proto/api-registry.ts";

/** The reflection services themselves, listed beside the app's (as an SDK node lists them). */
export const REFLECTION_SERVICES = ["grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"];

/** Method names by full service name, from gRPC method paths ("/cosmos.bank.v1beta1.Query/Balance" → "cosmos.bank.v1beta1.Query": ["Balance"]). */
export function methodsByService(paths: readonly string[]): Map<string, string[]> {
  const services = new Map<string, string[]>();
  for (const p of paths) {
    const m = /^\/([\w.]+)\/(\w+)$/.exec(p);
    if (!m) throw new Error(`${JSON.stringify(p)} is not a gRPC method path`);
    services.set(m[1], [...(services.get(m[1]) ?? []), m[2]]);
  }
  return services;
}

/**
 * What @grpc/reflection's ReflectionService reads: every file of the API descriptors as it
 * was compiled (options and all, under its own name, e.g. cosmos/bank/v1beta1/query.proto),
 * and the reflection protos, so `grpcurl list` and `grpcurl describe` work.
 */
export function reflectionPackage(): PackageDefinition {
  const files = [...apiRegistry().files].map((f) => Buffer.from(toBinary(FileDescriptorProtoSchema, f.proto)));
  // the reflection service reads only fileDescriptorProtos of each entry
  const api = { format: "Protocol Buffer 3 DescriptorProto", type: {}, fileDescriptorProtos: files } as unknown as PackageDefinition[string];
  const protoDir = path.join(path.dirname(createRequire(import.meta.url).resolve("@grpc/reflection")), "..", "proto");
  const own = loadSync(["grpc/reflection/v1/reflection.proto", "grpc/reflection/v1alpha/reflection.proto"], { includeDirs: [protoDir] });
  return { ...own, "aro.api-descriptors": api };
}
