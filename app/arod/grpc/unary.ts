import { Metadata, status, type sendUnaryData, type ServerUnaryCall, type ServerMethodDefinition } from "@grpc/grpc-js";

/** A failure answered with a gRPC status code and a message. */
export class GrpcError extends Error {
  constructor(readonly code: status, message: string) {
    super(message);
  }
}

/** A method's request bytes as they arrived, and its response bytes as they leave: the app (de)serializes. */
export function rawMethod(path: string): ServerMethodDefinition<Buffer, Uint8Array> {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestDeserialize: (bytes) => bytes,
    responseSerialize: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  };
}

export type RawCall = ServerUnaryCall<Buffer, Uint8Array>;

/**
 * A unary handler from an async function: its value is the response, its metadata the
 * response headers; a GrpcError becomes its status, anything else INTERNAL (never a crash).
 */
export function unaryHandler(fn: (call: RawCall) => Promise<{ value: Uint8Array; headers?: Metadata }>) {
  return (call: RawCall, callback: sendUnaryData<Uint8Array>): void => {
    fn(call).then(
      ({ value, headers }) => {
        if (headers && !call.cancelled) call.sendMetadata(headers);
        callback(null, value);
      },
      (err: unknown) => {
        const e = err instanceof GrpcError ? err : new GrpcError(status.INTERNAL, err instanceof Error ? err.message : String(err));
        callback({ name: "GrpcError", code: e.code, message: e.message, details: e.message });
      },
    );
  };
}
