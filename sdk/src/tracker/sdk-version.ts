/**
 * Version of @tunnelvision/sdk, sent as the instrumentation scope version.
 * A constant rather than a JSON import so browser bundles stay plain; a test
 * checks it against package.json.
 */
export const SDK_VERSION = '0.1.0';

/** Instrumentation scope name of every logger and meter the SDK creates. */
export const SDK_SCOPE_NAME = '@tunnelvision/sdk';
