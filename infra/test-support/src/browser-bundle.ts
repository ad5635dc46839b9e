import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The size of one browser bundle. */
export interface BrowserBundleSize {
  /** Minified bytes. */
  readonly minBytes: number;
  /** Minified, then gzipped (level 9) bytes. */
  readonly gzipBytes: number;
  /** The packages whose code is in it (from node_modules), sorted; the entry's own files are not listed. */
  readonly packages: readonly string[];
}

/** `@scope/name` or `name` of a bundled file inside node_modules. */
const PACKAGE_IN_PATH = /node_modules\/((?:@[^/]+\/)?[^/]+)\//;

/** Where and how to bundle: an entry file, or module source resolved from `resolveDir`. */
export type BrowserBundleEntry = { readonly file: string } | { readonly source: string };

/**
 * Bundles an entry the way an app's bundler ships it for the browser
 * (bundle, minify, ESM, platform browser, so packages' browser builds are
 * used) and measures it. `conditions` adds export conditions, e.g. the
 * workspace's source condition; leave it out to resolve as an app would.
 */
export async function measureBrowserBundle(entry: BrowserBundleEntry, resolveDir: string, conditions: string[] = []): Promise<BrowserBundleSize> {
  const result = await build({
    ...('file' in entry ? { entryPoints: [entry.file] } : { stdin: { contents: entry.source, resolveDir, sourcefile: 'bundle-entry.ts', loader: 'ts' as const } }),
    absWorkingDir: resolveDir,
    conditions,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  const packages = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const name = PACKAGE_IN_PATH.exec(input)?.[1];
    if (name !== undefined) packages.add(name);
  }
  return { minBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength, packages: [...packages].sort() };
}
