import { registeredErrors, type AppError } from "../../../chain/errors.ts";

/** gRPC status codes (google.rpc.Code), which the SDK's gateway errors carry. */
export const Code = {
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, ABORTED: 10, OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, DATA_LOSS: 15, UNAUTHENTICATED: 16,
} as const;

/** grpc-gateway's HTTPStatusFromCode. */
const HTTP_STATUS: Record<number, number> = {
  0: 200, 1: 408, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429, 9: 400, 10: 409, 11: 400, 12: 501, 13: 500, 14: 503, 15: 500, 16: 401,
};

/** An error answered as the SDK's gateway does: {"code": <gRPC code>, "message": "...", "details": []}. */
export class GatewayError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code] ?? 500;
  }

  body() {
    return { code: this.code, message: this.message, details: [] as unknown[] };
  }

  static invalidArgument(message: string) {
    return new GatewayError(Code.INVALID_ARGUMENT, message);
  }

  static notFound(message: string) {
    return new GatewayError(Code.NOT_FOUND, message);
  }
}

/** The SDK's root errors registered with a gRPC code (types/errors/errors.go RegisterWithGRPCCode and the query paths' status errors). */
const SDK_CODES: Record<number, number> = {
  1: Code.INTERNAL, 2: Code.INVALID_ARGUMENT, 3: Code.INVALID_ARGUMENT, 4: Code.UNAUTHENTICATED, 6: Code.UNIMPLEMENTED, 7: Code.INVALID_ARGUMENT,
  8: Code.INVALID_ARGUMENT, 10: Code.INVALID_ARGUMENT, 18: Code.INVALID_ARGUMENT, 21: Code.INVALID_ARGUMENT, 22: Code.NOT_FOUND,
  26: Code.INVALID_ARGUMENT, 37: Code.UNIMPLEMENTED, 38: Code.NOT_FOUND,
};

let byId: Map<string, string> | undefined;

/** The gRPC code of an app error: the SDK's table for sdk/N, else from what the registered error says it is. */
export function grpcCodeOf(codespace: string, code: number): number {
  if (codespace === "sdk") return SDK_CODES[code] ?? Code.UNKNOWN;
  byId ??= new Map(registeredErrors().map((e) => [`${e.codespace}/${e.code}`, e.description]));
  const description = byId.get(`${codespace}/${code}`) ?? "";
  if (/not found|unknown|does not exist/i.test(description)) return Code.NOT_FOUND;
  if (/invalid|malformed|too (long|large|many)|empty|bad/i.test(description)) return Code.INVALID_ARGUMENT;
  return Code.UNKNOWN;
}

/** An app error (abci_query's codespace, code and log) as the gateway answers it. */
export function fromAppError(e: Pick<AppError, "codespace" | "code" | "message">): GatewayError {
  const code = grpcCodeOf(e.codespace, e.code);
  return new GatewayError(code, `${e.message}: ${e.codespace}/${e.code}`);
}
