#!/usr/bin/env node
// Runs the built CLI (npm run build); TypeScript is not needed at run time.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('tunnelvision: not built yet; run `npm run build` in the repository first.\n');
  process.exit(1);
}
await import(main.href);
