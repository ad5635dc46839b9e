// Public surface of @tunnelvision/sdk/graphql-ws: a graphql-ws client, instrumented through its createClient options.
export { instrumentGraphQLWsClient } from './integrations/graphql-ws/instrument-graphql-ws-client.js';
export type { InstrumentGraphQLWsClientOptions } from './integrations/graphql-ws/instrument-graphql-ws-client.js';
export type { GraphQLWsClientOptionsLike, GraphQLWsMessageLike } from './integrations/graphql-ws/graphql-ws-types.js';
