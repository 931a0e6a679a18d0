import path from "node:path";
import { createRequire } from "node:module";
import * as grpc from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";

/** The answer of one unary call: response bytes and headers, or the status it failed with. */
export interface UnaryResult {
  readonly value?: Uint8Array;
  readonly headers?: grpc.Metadata;
  readonly error?: grpc.ServiceError;
}

const raw = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** A plain @grpc/grpc-js client calling any method by path with bytes the test encodes and decodes. */
export class RawGrpcClient {
  readonly client: grpc.Client;

  constructor(readonly address: string) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure(), { "grpc.max_send_message_length": -1 });
  }

  call(path: string, request: Uint8Array, metadata = new grpc.Metadata()): Promise<UnaryResult> {
    return new Promise((resolve) => {
      let headers: grpc.Metadata | undefined;
      const call = this.client.makeUnaryRequest(path, raw, (b: Buffer) => new Uint8Array(b), request, metadata, { deadline: Date.now() + 30_000 }, (error, value) =>
        resolve(error ? { error, headers } : { value, headers }),
      );
      call.on("metadata", (md) => (headers = md));
    });
  }

  close(): void {
    this.client.close();
  }
}

/** The gRPC server reflection client (grpc.reflection.v1), built from @grpc/reflection's own proto with proto-loader. */
export class ReflectionClient {
  private readonly stub: grpc.Client & { ServerReflectionInfo(): grpc.ClientDuplexStream<object, ReflectionResponse> };

  constructor(address: string) {
    const protoDir = path.join(path.dirname(createRequire(import.meta.url).resolve("@grpc/reflection")), "..", "proto");
    const pkg = grpc.loadPackageDefinition(loadSync("grpc/reflection/v1/reflection.proto", { includeDirs: [protoDir], keepCase: true })) as any;
    this.stub = new pkg.grpc.reflection.v1.ServerReflection(address, grpc.credentials.createInsecure());
  }

  private ask(request: object): Promise<ReflectionResponse> {
    return new Promise((resolve, reject) => {
      const stream = this.stub.ServerReflectionInfo();
      stream.once("data", (r: ReflectionResponse) => {
        resolve(r);
        stream.end();
      });
      stream.once("error", reject);
      stream.write(request);
    });
  }

  async listServices(): Promise<string[]> {
    const r = await this.ask({ list_services: "*" });
    return r.list_services_response!.service.map((s) => s.name);
  }

  /** The serialized FileDescriptorProtos of the file declaring `symbol` and those it needs. */
  async fileContainingSymbol(symbol: string): Promise<Uint8Array[]> {
    const r = await this.ask({ file_containing_symbol: symbol });
    if (r.error_response) throw new Error(`reflection: ${r.error_response.error_message}`);
    return r.file_descriptor_response!.file_descriptor_proto;
  }

  close(): void {
    this.stub.close();
  }
}

interface ReflectionResponse {
  list_services_response?: { service: Array<{ name: string }> };
  file_descriptor_response?: { file_descriptor_proto: Uint8Array[] };
  error_response?: { error_code: number; error_message: string };
}
