import type { AppError } from "../../../chain/errors.ts";
import { Code, grpcStatusOf } from "../grpc/status-codes.ts";

export { Code };

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

/** An app error (abci_query's codespace, code and log) as the gateway answers it: the gRPC server's code, grpc-gateway's HTTP status. */
export function fromAppError(e: Pick<AppError, "codespace" | "code" | "message">): GatewayError {
  return new GatewayError(grpcStatusOf(e.codespace, e.code), `${e.message}: ${e.codespace}/${e.code}`);
}
