import type { GraphQLSchema as Schema } from 'graphql';

/** The parts of the `graphql` module the schema is built with. */
type GraphQLModule = Pick<typeof import('graphql'), 'GraphQLInt' | 'GraphQLObjectType' | 'GraphQLSchema' | 'GraphQLString'>;

/**
 * The schema the graphql-ws tests serve: hello, a query; countdown(from), a
 * subscription that yields from..1 and completes; ticks, one that never
 * ends. Built from the caller's `graphql` module: graphql-ws's server
 * refuses a schema from another copy of it ("from another module or
 * realm"), and under vitest an import would load the ES build while the
 * server, loaded by Node, gets the CommonJS one.
 */
export function graphQLTestSchema({ GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString }: GraphQLModule): Schema {
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString, resolve: () => 'world' } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        countdown: {
          type: GraphQLInt,
          args: { from: { type: GraphQLInt } },
          subscribe: async function* (_: unknown, { from }: { from: number }) {
            for (let n = from; n > 0; n--) yield { countdown: n };
          },
        },
        ticks: {
          type: GraphQLInt,
          subscribe: async function* () {
            for (let n = 1; ; n++) {
              yield { ticks: n };
              await new Promise((resolve) => setTimeout(resolve, 20));
            }
          },
        },
      },
    }),
  });
}
