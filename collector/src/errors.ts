/**
 * The collector's error types. Each carries a stable `code` a caller can
 * branch on and a message that says what to fix.
 */

/** A configuration value is missing or invalid; thrown once at start. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** An OTLP request body could not be decoded (bad protobuf, bad JSON, wrong shape). */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
  readonly code = 'OTLP_DECODE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A query-API parameter is missing or invalid; answered with 400. */
export class QueryParamError extends Error {
  override readonly name = 'QueryParamError';
  readonly code = 'BAD_PARAMETER';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

/** ClickHouse could not be reached or rejected a statement. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code = 'STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}


/** The thing a query names does not exist; answered with 404. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  readonly code = 'NOT_FOUND';
  constructor(message: string) {
    super(message);
  }
}
