/**
 * Cosmos-style errors: each has a codespace and a code that clients can rely on,
 * registered once per module, and a log line a person can read.
 */
export class AppError extends Error {
  constructor(readonly codespace: string, readonly code: number, message: string) {
    super(message);
  }
}

export interface ErrorType {
  readonly codespace: string;
  readonly code: number;
  readonly description: string;
  /** An error whose log reads "<detail>: <description>", as the SDK's errors.Wrap does. */
  wrap(detail: string): AppError;
  is(err: unknown): boolean;
}

const registered = new Map<string, ErrorType>();

export function registerError(codespace: string, code: number, description: string): ErrorType {
  const id = `${codespace}/${code}`;
  if (registered.has(id)) throw new Error(`error ${id} registered twice`);
  const type: ErrorType = {
    codespace,
    code,
    description,
    wrap: (detail) => new AppError(codespace, code, detail ? `${detail}: ${description}` : description),
    is: (err) => err instanceof AppError && err.codespace === codespace && err.code === code,
  };
  registered.set(id, type);
  return type;
}

export function registeredErrors(): ErrorType[] {
  return [...registered.values()];
}

// The SDK's root codespace (types/errors/errors.go): same numbers, so clients and
// explorers that know Cosmos codes read ours correctly.
export const sdkErrors = {
  internal: registerError("sdk", 1, "internal"),
  txDecode: registerError("sdk", 2, "tx parse error"),
  invalidSequence: registerError("sdk", 3, "invalid sequence"),
  unauthorized: registerError("sdk", 4, "unauthorized"),
  insufficientFunds: registerError("sdk", 5, "insufficient funds"),
  unknownRequest: registerError("sdk", 6, "unknown request"),
  invalidAddress: registerError("sdk", 7, "invalid address"),
  invalidPubKey: registerError("sdk", 8, "invalid pubkey"),
  unknownAddress: registerError("sdk", 9, "unknown address"),
  invalidCoins: registerError("sdk", 10, "invalid coins"),
  outOfGas: registerError("sdk", 11, "out of gas"),
  memoTooLarge: registerError("sdk", 12, "memo too large"),
  insufficientFee: registerError("sdk", 13, "insufficient fee"),
  tooManySignatures: registerError("sdk", 14, "maximum number of signatures exceeded"),
  noSignatures: registerError("sdk", 15, "no signatures supplied"),
  invalidRequest: registerError("sdk", 18, "invalid request"),
  txTooLarge: registerError("sdk", 21, "tx too large"),
  keyNotFound: registerError("sdk", 22, "key not found"),
  invalidHeight: registerError("sdk", 26, "invalid height"),
  invalidChainId: registerError("sdk", 28, "invalid chain-id"),
  invalidType: registerError("sdk", 29, "invalid type"),
  txTimeoutHeight: registerError("sdk", 30, "tx timeout height"),
  unknownExtensionOptions: registerError("sdk", 31, "unknown extension options"),
  wrongSequence: registerError("sdk", 32, "incorrect account sequence"),
  notSupported: registerError("sdk", 37, "feature not supported"),
  notFound: registerError("sdk", 38, "not found"),
  invalidGasLimit: registerError("sdk", 41, "invalid gas limit"),
} as const;

/** Any thrown value as an AppError; unexpected exceptions become sdk/1 so they never reach CometBFT. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return sdkErrors.internal.wrap(err instanceof Error ? err.message : String(err));
}
