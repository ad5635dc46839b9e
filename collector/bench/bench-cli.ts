/** What the collector's benches share: flag parsing, progress lines and how a run ends. */

/** A `--flag N` value: a positive integer (underscores allowed, 10_000_000), or the fallback when absent. */
export function positiveInt(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** A progress printer: lines go to stderr so the tables on stdout stay clean. */
export function progressTo(prefix: string): (message: string) => void {
  return (message) => process.stderr.write(`[${prefix}] ${message}\n`);
}

/**
 * Runs a bench: parses its flags (a bad flag exits 2 naming it; `--help`
 * prints `help`), then its main, which returns the run's problems. It exits
 * non-zero when there are problems (a measurement that went wrong is
 * reported, not hidden behind a number) or main throws.
 */
export function runBench<Options>(bench: {
  parse: (argv: string[]) => Options | 'help';
  help: string;
  main: (options: Options) => Promise<readonly string[]>;
}): void {
  let options: Options | 'help';
  try {
    options = bench.parse(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message} (see --help)`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    console.log(bench.help);
    return;
  }
  bench.main(options).then(
    (problems) => {
      if (problems.length === 0) return;
      console.error(`\nFAILED (${problems.length}):`);
      for (const p of problems) console.error(`  - ${p}`);
      process.exitCode = 1;
    },
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exitCode = 1;
    },
  );
}
