import { adminCommand } from './admin-command.js';
import { deployCommand } from './deploy-command.js';
import { loadgenCommand } from './loadgen-command.js';
import { schemaCommand } from './schema-command.js';

const HELP = `Usage: tunnelvision <command> [options]

Commands:
  admin     create the first admin, API keys, and revoke keys (tunnelvision admin --help)
  deploy    record a deploy marker (tunnelvision deploy --help)
  loadgen   run the live demo's load generator and scenarios (tunnelvision loadgen --help)
  schema    print the ClickHouse DDL (tunnelvision schema --help)
`;

/** `tunnelvision` command-line entry point. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const out = (line: string) => process.stdout.write(`${line.endsWith('\n') ? line : `${line}\n`}`);
  switch (command) {
    case 'admin':
      return adminCommand(rest, process.env, out);
    case 'deploy':
      return deployCommand(rest, process.env, out);
    case 'loadgen':
      return loadgenCommand(rest, process.env, out);
    case 'schema':
      return schemaCommand(rest, (text) => process.stdout.write(text));
    case undefined:
    case '--help':
    case '-h':
      out(HELP);
      return command === undefined ? 2 : 0;
    default:
      out(`tunnelvision: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
