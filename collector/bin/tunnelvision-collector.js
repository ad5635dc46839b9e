#!/usr/bin/env node
// Runs the built collector (npm run build); TypeScript is not needed at run time.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('tunnelvision-collector: not built yet; run `npm run build` in the repository first (npm run collector does it for you).\n');
  process.exit(1);
}
await import(main.href);
