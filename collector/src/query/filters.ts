import { z } from 'zod';
import { label } from './query-params.js';

/** Filters shared by the rollup-backed endpoints. */
export const filterParams = {
  service: label.optional(),
  environment: label.optional(),
  version: label.optional(),
  server: label.optional(),
  /** Which side's view to count: the clients' (default) or the servers'. */
  role: z.enum(['client', 'server']).default('client'),
};

export interface Filters {
  service?: string | undefined;
  environment?: string | undefined;
  version?: string | undefined;
  server?: string | undefined;
  role: 'client' | 'server';
}

/**
 * SQL conditions for the filters, as bound parameters. Events with no
 * `tv.role` count as client events, since instrumented apps are clients
 * unless they say otherwise.
 */
export function filterSql(filters: Filters): { where: string; params: Record<string, string> } {
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  const add = (column: string, name: string, value: string | undefined) => {
    if (value === undefined) return;
    clauses.push(`${column} = {${name}:String}`);
    params[name] = value;
  };
  add('ServiceName', 'f_service', filters.service);
  add('Environment', 'f_environment', filters.environment);
  add('ServiceVersion', 'f_version', filters.version);
  add('ServerAddress', 'f_server', filters.server);
  clauses.push(filters.role === 'server' ? `Role = 'server'` : `Role != 'server'`);
  return { where: clauses.join(' AND '), params };
}
