import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, Result } from 'axe-core';

/** axe-core's browser bundle, injected into the page under test. */
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core');

/** One violation, worded for a failure message: rule, impact, help and where. */
function describeViolation(violation: Result): string {
  const nodes = violation.nodes
    .slice(0, 5)
    .map((node) => `    at ${node.target.join(' ')}\n      ${(node.failureSummary ?? '').replace(/\n\s*/g, ' ')}`)
    .join('\n');
  const more = violation.nodes.length > 5 ? `\n    … and ${violation.nodes.length - 5} more` : '';
  return `[${violation.impact ?? 'n/a'}] ${violation.id}: ${violation.help} (${violation.helpUrl})\n${nodes}${more}`;
}

/**
 * Runs axe-core's WCAG 2 A and AA rules on the page as it is now and
 * returns each violation as readable text (empty when there are none), so
 * a test can `expect(await wcagViolations(page)).toEqual([])`.
 */
export async function wcagViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(
    () => (window as unknown as { axe: { run: (options: unknown) => Promise<AxeResults> } }).axe.run({ runOnly: ['wcag2a', 'wcag2aa'] }) as Promise<AxeResults>,
  );
  return results.violations.map(describeViolation);
}
