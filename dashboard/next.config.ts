import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const here = dirname(fileURLToPath(import.meta.url));

/** Next.js settings for the dashboard. It only talks to the collector through its own route handler. */
const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The npm workspace root holds the lockfile and the hoisted node_modules.
  turbopack: { root: join(here, '..') },
  outputFileTracingRoot: join(here, '..'),
};

export default config;
