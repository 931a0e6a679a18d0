import { registeredErrors } from "../../../chain/errors.ts";

/**
 * gRPC status codes (google.rpc.Code) as numbers, the same as grpc-js's `status`: kept apart
 * from grpc-js so the REST gateway and the CLI, which share this table, do not load it.
 */
export const Code = {
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, ABORTED: 10, OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, DATA_LOSS: 15, UNAUTHENTICATED: 16,
} as const;
const status = Code;

/**
 * The gRPC status code of an app error (codespace/code), as an SDK node's gRPC server
 * answers the same failure. SDK query servers return status errors (codes.NotFound for a
 * missing record, codes.InvalidArgument for a bad request or address), which baseapp's
 * gRPCErrorToSDKError turns into the ABCI codes sdk/22, sdk/18, sdk/4 (types/errors): this is
 * that table read backwards, with the root errors a request can cause. Module errors map by
 * what they say they are; the rest are UNKNOWN, as the SDK's own registered errors are.
 */
const SDK_CODES: Readonly<Record<number, number>> = {
  1: status.INTERNAL, // internal
  2: status.INVALID_ARGUMENT, // tx parse error
  4: status.UNAUTHENTICATED, // unauthorized
  6: status.UNIMPLEMENTED, // unknown request (an unknown path)
  7: status.INVALID_ARGUMENT, // invalid address
  8: status.INVALID_ARGUMENT, // invalid pubkey
  9: status.NOT_FOUND, // unknown address
  10: status.INVALID_ARGUMENT, // invalid coins
  18: status.INVALID_ARGUMENT, // invalid request (also: request bytes that do not decode)
  21: status.INVALID_ARGUMENT, // tx too large
  22: status.NOT_FOUND, // key not found
  26: status.INVALID_ARGUMENT, // invalid height (future or pruned)
  29: status.INVALID_ARGUMENT, // invalid type
  37: status.UNIMPLEMENTED, // feature not supported
  38: status.NOT_FOUND, // not found
};

let descriptions: Map<string, string> | undefined;

export function grpcStatusOf(codespace: string, code: number): number {
  if (codespace === "sdk") return SDK_CODES[code] ?? status.UNKNOWN;
  descriptions ??= new Map(registeredErrors().map((e) => [`${e.codespace}/${e.code}`, e.description]));
  const description = descriptions.get(`${codespace}/${code}`) ?? "";
  if (/not found|does not exist|doesn't exist|^no |^unknown proposal/i.test(description)) return status.NOT_FOUND;
  if (/^invalid |^empty /i.test(description)) return status.INVALID_ARGUMENT;
  return status.UNKNOWN;
}
