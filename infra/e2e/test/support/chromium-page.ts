import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** Bundle the SDK's TypeScript source, as the workspace resolves it everywhere else, not a possibly stale dist/. */
const SOURCE_CONDITION = '@tunnelvision/source';

/** A test page's script, bundled for the browser as an app's bundler would ship it (imports resolved from `resolveDir`). */
export async function bundlePageScript(entry: string, resolveDir: string): Promise<string> {
  const result = await build({
    stdin: { contents: entry, resolveDir, sourcefile: 'page-entry.js', loader: 'js' },
    conditions: [SOURCE_CONDITION],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/**
 * Opens `url` in a browser context of its own (kept in `contexts` for the
 * file's clean-up; closing a context would end the keepalive requests a
 * closing page leaves behind), collecting the page's uncaught errors and
 * console errors.
 */
export async function openPageCollectingErrors(browser: Browser, contexts: BrowserContext[], url: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  return { page, errors };
}
