/**
 * The parts of graphql-ws's client options the instrumentation wraps,
 * typed structurally so the SDK needs no import of graphql-ws (an optional
 * peer dependency); graphql-ws 5 and 6 ClientOptions fit.
 */
export interface GraphQLWsClientOptionsLike {
  url: unknown;
  /** Listeners registered before the client starts: the only way to see its first 'connecting'. */
  on?: Partial<Record<'connecting' | 'opened' | 'connected' | 'ping' | 'pong' | 'message' | 'closed' | 'error', (...args: any[]) => void>> | undefined;
  retryAttempts?: number | undefined;
  shouldRetry?: ((errOrCloseEvent: unknown) => boolean) | undefined;
  generateID?: ((payload: any) => string) | undefined;
  jsonMessageReplacer?: ((this: any, key: string, value: any) => any) | undefined;
}

/** A message of the GraphQL over WebSocket protocol, as the client's 'message' event and JSON replacer see it. */
export interface GraphQLWsMessageLike {
  type?: unknown;
  id?: unknown;
}
