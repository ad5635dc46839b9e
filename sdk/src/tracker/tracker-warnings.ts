/** Receives one of the SDK's warnings, with the error behind it if any. */
export type WarningSink = (message: string, error?: unknown) => void;

/** Where a tracker, and every connection handle it hands out, sends the SDK's warnings. */
export const WARNINGS: unique symbol = Symbol('@tunnelvision/sdk warnings');

/** The console, for warnings with no tracker of this SDK to route them. */
export const consoleWarnings: WarningSink = (message, error) => console.warn(message, ...(error === undefined ? [] : [error]));

/**
 * The warning sink of a tracker or connection handle this SDK made, so an
 * integration warns where the tracker it was given does; the console for
 * any other object (an app's own Tracker, a no-op handle).
 */
export function warningsOf(owner: object | undefined): WarningSink {
  return (owner as { [WARNINGS]?: WarningSink } | undefined)?.[WARNINGS] ?? consoleWarnings;
}
