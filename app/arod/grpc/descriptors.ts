import path from "node:path";
import { createRequire } from "node:module";
import { toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { loadSync, type PackageDefinition } from "@grpc/proto-loader";
import { apiRegistry } from "../../../proto/api-registry.ts";

/** The reflection services themselves, listed beside the app's (as an SDK node lists them). */
export const REFLECTION_SERVICES = ["grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"];

export interface ServedMethods {
  /** Method names by full service name, e.g. "cosmos.bank.v1beta1.Query" → ["AllBalances", "Balance", …]. */
  readonly services: Map<string, string[]>;
  /** Paths the app serves whose method is not in the API descriptors (not served over gRPC). */
  readonly undescribed: string[];
}

/** Groups gRPC method paths ("/cosmos.bank.v1beta1.Query/Balance") by service, keeping those the descriptors describe. */
export function servedMethods(paths: readonly string[]): ServedMethods {
  const registry = apiRegistry();
  const services = new Map<string, string[]>();
  const undescribed: string[] = [];
  for (const p of paths) {
    const m = /^\/([\w.]+)\/(\w+)$/.exec(p);
    const service = m ? registry.getService(m[1]) : undefined;
    if (!m || !service?.methods.some((x) => x.name === m[2])) {
      undescribed.push(p);
      continue;
    }
    const list = services.get(m[1]) ?? [];
    list.push(m[2]);
    services.set(m[1], list);
  }
  return { services, undescribed };
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
