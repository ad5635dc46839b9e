import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCollectorConfig, startCollector, type RunningCollector } from '@tunnelvision/collector';
import type { AlertInstance, AlertsResponse, ObjectivesResponse, SilencesResponse } from '@tunnelvision/collector/api-types';
import { launchChromium } from '@tunnelvision/test-support';
import { wcagViolations } from './support/axe.js';
import { DASHBOARD_DIR, ensureBuild, startDashboard, type RunningDashboard } from './support/next-app.js';
import { postReconnects } from './support/reconnect-burst.js';
import { seedReliability, type SeededReliability } from './support/seed-reliability.js';
import { seedSupportCases, type SeededSupportCases } from './support/seed-support-cases.js';
import { seedTelemetry, type SeededTelemetry } from './support/seed-telemetry.js';

/**
 * The dashboard in real headless Chromium: a production build (`next build`,
 * reused when newer than the sources) served by `next start`, reading a
 * real collector started in-process on a fresh embedded store. The store
 * is first empty, then seeded with a known half hour of telemetry around a
 * deploy (test/support/seed-telemetry.ts). Each page is checked for what a
 * user would see, screenshots go to dashboard/screenshots/, and the
 * overview's load time and API latency are measured and printed. The
 * collector evaluates one alert rule (reconnects above 5/min) every 500 ms;
 * a burst of reconnects makes it fire for the alerting checks. Every page
 * is checked with axe-core (WCAG 2 A and AA) at desktop and phone width.
 */

const SCREENSHOTS = join(DASHBOARD_DIR, 'screenshots');
const dataDir = mkdtempSync(join(tmpdir(), 'tv-dashboard-chromium-'));
const rulesDir = mkdtempSync(join(tmpdir(), 'tv-dashboard-rules-'));
/** The rule the alerting checks make fire: any group with more than 5 reconnects in the last minute pages at once. */
const TEST_RULE = { id: 'test-reconnects', name: 'Reconnects above 5/min', kind: 'threshold', signal: 'reconnects', window: '1m', op: '>', value: 5, for: '0s', severity: 'page' };
/** Reconnects per burst: well above the rule's 5 per minute. */
const BURST = 30;
let collector: RunningCollector;
let dashboard: RunningDashboard;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
const timings: Record<string, string> = {};
let seeded: SeededTelemetry;
let cases: SeededSupportCases;

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/** Charts on the overview and the number of lines each draws. */
const OVERVIEW_CHARTS = ['reconnects', 'active-connections', 'latency', 'closes', 'lost-messages'] as const;

async function newPage(viewport: { width: number; height: number } = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport, timezoneId: 'UTC', locale: 'en-US', reducedMotion: 'reduce' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  return page;
}

const dots = (page: Page, chart: string) => page.locator(`figure[data-chart="${chart}"] .recharts-line-dot`);
const stat = (page: Page, id: string) => page.locator(`[data-stat="${id}"] .tv-stat-value`);
const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
const customRange = (s: SeededTelemetry) => `range=custom&from=${new Date(s.start).toISOString()}&to=${new Date(s.end).toISOString()}`;

/** The test rule's alerts, straight from the collector's query API. */
async function testRuleAlerts(state: 'firing' | 'all' = 'firing'): Promise<AlertInstance[]> {
  const response = await fetch(`${collector.url}/api/v1/alerts?state=${state}`);
  const body = (await response.json()) as AlertsResponse;
  return body.alerts.filter((a) => a.rule_id === TEST_RULE.id);
}

/** Waits until `read` returns `expected`, polling until the deadline. */
async function until<T>(read: () => Promise<T>, expected: T, timeoutMillis = 15_000): Promise<void> {
  await expect.poll(read, { timeout: timeoutMillis, interval: 100 }).toEqual(expected);
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const started = performance.now();
  const alertRulesFile = join(rulesDir, 'rules.json');
  writeFileSync(alertRulesFile, JSON.stringify({ rules: [TEST_RULE] }));
  const [running, build] = await Promise.all([
    startCollector(
      loadCollectorConfig({}, [], { port: 0, dataDir, logLevel: 'silent', alertRulesFile, alertEvaluationIntervalMillis: 500 }),
    ),
    ensureBuild(),
  ]);
  collector = running;
  timings['next build'] = build.reused ? 'reused (newer than the sources)' : `${Math.round(build.millis)} ms`;
  const startedDashboard = performance.now();
  [dashboard, browser] = await Promise.all([
    startDashboard(collector.url),
    launchChromium(),
  ]);
  timings['next start + chromium launch'] = `${Math.round(performance.now() - startedDashboard)} ms`;
  timings['set-up total'] = `${Math.round(performance.now() - started)} ms`;
}, 240_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await dashboard?.stop();
  await collector?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(rulesDir, { recursive: true, force: true });
  console.log(`\nDashboard timings\n${Object.entries(timings).map(([k, v]) => `  ${k.padEnd(44)} ${v}`).join('\n')}\n`);
}, 60_000);

describe('before any telemetry arrives', { timeout: 60_000 }, () => {
  it('the overview says there is no data yet and where the SDK should send it', async () => {
    const page = await newPage();
    await page.goto(`${dashboard.url}/`);
    const empty = page.locator('[data-state="empty"]');
    await expect.poll(() => empty.textContent(), { timeout: 15_000 }).toContain(`No data yet: is the SDK pointed at ${collector.url}?`);
    await expect(page.locator('nav[aria-label="Main"] a[aria-current="page"]').textContent()).resolves.toBe('Overview');
    // Nothing fires on an empty store, so there is no banner.
    await expect(page.locator('[data-firing-banner]').count()).resolves.toBe(0);
    expect(await wcagViolations(page)).toEqual([]);
    await shot(page, 'empty');
  });
});

describe('reliability: objectives and a cohort comparison over known telemetry', { timeout: 60_000 }, () => {
  // Seeded before the other telemetry, so the objectives count only these five days and every figure is known.
  let reliability: SeededReliability;
  beforeAll(async () => {
    const started = performance.now();
    reliability = await seedReliability(collector.url);
    // Ingest is batched: wait until the objectives count everything, so the page's first answer is the whole story.
    const deadline = Date.now() + 20_000;
    const totals = async () => {
      const body = (await (await fetch(`${collector.url}/api/v1/objectives`)).json()) as ObjectivesResponse;
      return body.objectives.map((o) => o.total).join(',');
    };
    while ((await totals()) !== '100000,400') {
      if (Date.now() > deadline) throw new Error(`the seeded reliability telemetry was not counted within 20 s: ${await totals()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    timings['seed reliability telemetry'] = `${Math.round(performance.now() - started)} ms`;
  }, 30_000);

  it('shows each objective against its target, the budget left, the daily trend and the hours that burned it, then compares the cohorts', async () => {
    const page = await newPage();
    await page.goto(`${dashboard.url}/reliability`);
    await expect(page.locator('nav[aria-label="Main"] a[aria-current="page"]').textContent()).resolves.toBe('Reliability');

    // Connection reliability: 99,960 of 100,000 samples, within the 99.9% target, 60% of the budget left.
    const connection = page.locator('[data-objective="connection-reliability"]');
    await until(() => connection.locator('[data-attainment]').textContent(), '99.960%');
    await expect(connection.locator('.tv-objective-headline').textContent()).resolves.toBe('99.960%Target 99.9% over 90 days · met');
    await expect(connection.locator('[data-budget]').textContent()).resolves.toBe('60.0% of the error budget left');
    await expect(connection.locator('[data-burn="window"] dd').textContent()).resolves.toBe('0.4×');
    await expect(connection.locator('[data-burn="1h"] dd').textContent()).resolves.toBe('0×');
    // One point per day with data; the one day under target (day 3: 99.85%) stands out.
    await until(() => dots(page, 'trend-connection-reliability').count(), 5);
    await expect(page.locator('figure[data-chart="trend-connection-reliability"] .tv-spike').count()).resolves.toBe(1);
    const burns = connection.locator('li[data-burn-from]');
    await expect(burns.count()).resolves.toBe(2);
    await expect(burns.first().getAttribute('data-burn-from')).resolves.toBe(reliability.expected.worstHour.from);
    await expect(burns.first().textContent()).resolves.toMatch(/^\w{3} \d{1,2}, 10:00–11:00 30 of 20,000 connection samples failed, 30\.0% of the budget$/);
    await expect(burns.nth(1).textContent()).resolves.toContain('10 of 20,000 connection samples failed, 10.0% of the budget');

    // Delivery success: 380 of 400 messages acked within 1 s against 99.5%: the budget of 2 messages overspent tenfold.
    const delivery = page.locator('[data-objective="delivery-success"]');
    await expect(delivery.locator('[data-attainment]').textContent()).resolves.toBe('95.000%');
    await expect(delivery.locator('.tv-objective-headline').textContent()).resolves.toBe('95.000%Target 99.5% over 30 days, acked within 1,000 ms · missed');
    await expect(delivery.locator('[data-budget="overspent"]').textContent()).resolves.toBe('Error budget overspent: 1,000% of it used');
    await until(() => dots(page, 'trend-delivery-success').count(), 5);
    await expect(page.locator('figure[data-chart="trend-delivery-success"] .tv-spike').count()).resolves.toBe(2);

    // The cohorts, flag on against off over the last 30 days.
    const row = (measure: string) => page.locator(`[data-section="cohort-comparison"] tr[data-measure="${measure}"]`);
    await until(() => row('connection_reliability').locator('td[data-cohort="b"] .tv-rel-value').textContent(), '99.92%');
    await expect(page.locator('[data-section="cohort-comparison"] .tv-cohort-table thead th').allTextContents()).resolves.toEqual([
      'Measure',
      'A: feature_flag.resilience=on',
      'B: feature_flag.resilience=off',
      'Difference (A − B)',
      'Verdict',
    ]);
    await expect(row('connection_reliability').locator('td[data-cohort]').allTextContents()).resolves.toEqual([
      '100.00% (better)50,000 of 50,000 connection samples',
      '99.92%49,960 of 50,000 connection samples',
    ]);
    await expect(row('connection_reliability').locator('td.tv-better').getAttribute('data-cohort')).resolves.toBe('a');
    await expect(row('connection_reliability').locator('[data-difference]').textContent()).resolves.toBe('+0.08 points');
    await expect(row('connection_reliability').locator('[data-verdict]').textContent()).resolves.toBe(
      'Connection reliability: 100.00% for feature_flag.resilience=on against 99.92% for feature_flag.resilience=off, 0.08 points higher for feature_flag.resilience=on; more than noise (p < 0.001): feature_flag.resilience=on is better.p < 0.001',
    );
    await expect(row('delivery_success').locator('td[data-cohort]').allTextContents()).resolves.toEqual(['100.00% (better)200 of 200 messages', '90.00%180 of 200 messages']);
    await expect(row('delivery_success').locator('[data-verdict]').textContent()).resolves.toBe(
      'Delivery success: 100.00% for feature_flag.resilience=on against 90.0% for feature_flag.resilience=off, 10.00 points higher for feature_flag.resilience=on; more than noise (p < 0.001): feature_flag.resilience=on is better.p < 0.001',
    );
    // Four zombies of 36 closes are too few to call: no cohort is marked better.
    await expect(row('zombie_connections').locator('td[data-cohort]').allTextContents()).resolves.toEqual(['0.00%0 of 20 closes', '25.00%4 of 16 closes']);
    await expect(row('zombie_connections').getAttribute('data-better')).resolves.toBe('none');
    await expect(row('zombie_connections').locator('[data-caveat]').textContent()).resolves.toBe('Found only by heartbeats: a cohort without them shows none, not fewer.');
    const queue = page.locator('[data-section="cohort-comparison"] .tv-queue-table');
    await expect(queue.locator('tr[data-cohort="a"] [data-queue="max"]').textContent()).resolves.toBe('5');
    await expect(queue.locator('tr[data-cohort="b"] [data-queue="max"]').textContent()).resolves.toBe('20');
    expect(await wcagViolations(page)).toEqual([]);
    await shot(page, 'reliability', true);

    // A burned hour opens the Overview over exactly that hour.
    await burns.first().getByRole('link').click();
    await page.waitForURL((url) => url.pathname === '/' && url.searchParams.get('range') === 'custom', { timeout: 10_000 });
    const url = new URL(page.url());
    expect([url.searchParams.get('from'), url.searchParams.get('to')]).toEqual([reliability.expected.worstHour.from, reliability.expected.worstHour.to]);
    await expect
      .poll(() => page.locator('[data-page="overview"] .tv-overview').getAttribute('data-from'), { timeout: 15_000 })
      .toBe(String(Date.parse(reliability.expected.worstHour.from)));
    expect(pageErrors).toEqual([]);
  });

  it('a shorter window and an invalid cohort say so plainly', async () => {
    const page = await newPage();
    await page.goto(`${dashboard.url}/reliability`);
    const verdict = page.locator('[data-section="cohort-comparison"] tr[data-measure="connection_reliability"] [data-verdict]');
    await expect.poll(() => verdict.textContent(), { timeout: 15_000 }).toContain('feature_flag.resilience=on is better.');

    // The seeded days are all older than 24 hours.
    await page.getByLabel('Window').selectOption('24h');
    await page.waitForURL(/[?&]window=24h(&|$)/, { timeout: 10_000 });
    await expect
      .poll(() => verdict.textContent(), { timeout: 15_000 })
      .toBe('Connection reliability: nothing counted for feature_flag.resilience=on in this window, so no comparison.');

    await page.getByLabel('Cohort B').fill('user.id:alice');
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL((url) => url.searchParams.get('b') === 'user.id:alice', { timeout: 10_000 });
    const error = page.locator('[data-section="cohort-comparison"] [data-state="error"]');
    await expect.poll(() => error.textContent(), { timeout: 15_000 }).toContain('"user.id" cannot split the reliability measures; use one of service.name, service.version');
    await expect(error.getAttribute('data-problem')).resolves.toBe('bad_request');
    await expect(page.locator('[data-section="cohort-comparison"] table').count()).resolves.toBe(0);
    await expect(page.getByLabel('Cohort B').inputValue()).resolves.toBe('user.id:alice');
    expect(await wcagViolations(page)).toEqual([]);
    await page.locator('[data-section="cohort-comparison"]').scrollIntoViewIfNeeded();
    await shot(page, 'reliability-invalid-cohort');
    expect(pageErrors).toEqual([]);
  });
});

describe('with known telemetry around a deploy', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    const started = performance.now();
    seeded = await seedTelemetry(collector.url);
    cases = await seedSupportCases(collector.url, seeded.start);
    timings['seed telemetry (OTLP/JSON + deploys)'] = `${Math.round(performance.now() - started)} ms`;
  }, 60_000);

  it('the overview draws every chart with one point per bucket, the spike and the deploy marker', async () => {
    const page = await newPage();
    const started = performance.now();
    await page.goto(`${dashboard.url}/?${customRange(seeded)}`);
    const e = seeded.expected;
    await until(() => dots(page, 'reconnects').count(), e.buckets);
    await until(() => dots(page, 'lost-messages').count(), e.buckets);
    await until(() => dots(page, 'closes').count(), 3 * e.buckets);
    await until(() => dots(page, 'active-connections').count(), e.activeBuckets);
    await until(() => dots(page, 'latency').count(), 3 * e.latencyBuckets);
    timings['overview load (goto -> all charts drawn)'] = `${Math.round(performance.now() - started)} ms`;

    // One deploy inside the window: a marker on every time chart.
    for (const chart of OVERVIEW_CHARTS) {
      await expect(page.locator(`figure[data-chart="${chart}"] .tv-deploy-marker`).count()).resolves.toBe(1);
    }
    // The storm bucket stands out.
    await expect(page.locator('figure[data-chart="reconnects"] .tv-spike').count()).resolves.toBe(1);
    await expect(page.locator('figure[data-chart="reconnects"] .tv-callout-alert').textContent()).resolves.toMatch(/Reconnect spike: 20\/min at \d\d:\d\d/);
    // Headline numbers with units.
    await expect(stat(page, 'reconnects').textContent()).resolves.toBe(String(e.reconnects));
    await expect(stat(page, 'abnormal').textContent()).resolves.toBe(String(e.abnormalCloses));
    await expect(page.locator('[data-stat="abnormal"] .tv-stat-note').textContent()).resolves.toBe('13% of 23 closes');
    await expect(stat(page, 'lost').textContent()).resolves.toBe(String(e.lostMessages));
    await expect(stat(page, 'p99').textContent()).resolves.toMatch(/^\d[\d,.]* ms$/);
    await expect(page.locator('[data-stat="reconnects"] .tv-stat-note').textContent()).resolves.toBe('peak 20/min');
    // Close codes in words.
    const codes = page.locator('[data-section="close-codes"] tbody tr');
    await expect(codes.count()).resolves.toBe(2);
    await expect(codes.nth(0).textContent()).resolves.toContain('going away');
    await expect(page.locator('[data-section="close-codes"] tr[data-code="1006"]').textContent()).resolves.toMatch(/abnormal.*connection lost without a close frame.*3.*13%/);
    await expect(page.locator('[data-live="off"]').count()).resolves.toBe(1);
    await shot(page, 'overview', true);

    // The deploy marker's tooltip, by pointer and by keyboard.
    await page.locator('figure[data-chart="latency"] .tv-deploy-marker rect').hover();
    const tooltip = page.locator('figure[data-chart="latency"] .tv-deploy-tooltip');
    await expect.poll(() => tooltip.textContent(), { timeout: 5_000 }).toContain('2.15.0');
    await expect(tooltip.textContent()).resolves.toContain(seeded.commit.slice(0, 7));
    await page.mouse.move(5, 5);
    await page.locator('figure[data-chart="reconnects"] .tv-deploy-marker').focus();
    await expect
      .poll(() => page.locator('figure[data-chart="reconnects"] .tv-deploy-tooltip').textContent(), { timeout: 5_000 })
      .toMatch(/Deploy chat-web 2\.15\.0.*Commit9f1c2ab/);
    await shot(page, 'deploy-marker');
    expect(pageErrors).toEqual([]);
  });

  it('filters narrow the data, update the URL and change the charts', async () => {
    const page = await newPage();
    await page.goto(`${dashboard.url}/?${customRange(seeded)}`);
    await until(() => dots(page, 'latency').count(), 3 * seeded.expected.latencyBuckets);
    const line = page.locator('figure[data-chart="reconnects"] .recharts-line-curve');
    const before = await line.getAttribute('d');
    // The server picker offers the servers that reported in the range (GET /api/v1/labels).
    await until(
      async () => (await page.locator('#filter-server-options option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).join(','),
      'ws-eu-1,ws-eu-2',
    );

    await page.getByLabel('Server').fill('ws-eu-2');
    await page.getByLabel('Server').press('Enter');
    await page.waitForURL(/[?&]server=ws-eu-2(&|$)/, { timeout: 10_000 });
    expect(new URL(page.url()).searchParams.get('range')).toBe('custom');
    await until(() => stat(page, 'reconnects').textContent(), String(seeded.expected.reconnectsOnWsEu2));
    await until(() => dots(page, 'latency').count(), 3 * seeded.expected.latencyBucketsOnWsEu2);
    await expect(page.locator('figure[data-chart="reconnects"] .tv-spike').count()).resolves.toBe(0);
    await expect(line.getAttribute('d')).resolves.not.toBe(before);
    await expect(page.locator('[data-section="close-codes"] tbody tr').count()).resolves.toBe(1);

    // The back button returns to the unfiltered view.
    await page.goBack();
    await page.waitForURL((url) => !url.searchParams.has('server'), { timeout: 10_000 });
    await until(() => stat(page, 'reconnects').textContent(), String(seeded.expected.reconnects));

    // A filter that matches nothing says so, and offers to clear it.
    await page.getByLabel('Service').fill('no-such-service');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/service=no-such-service/, { timeout: 10_000 });
    await expect.poll(() => page.locator('[data-state="empty"]').textContent(), { timeout: 10_000 }).toContain('No data matches these filters');
    await page.locator('[data-state="empty"]').getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((url) => !url.searchParams.has('service'), { timeout: 10_000 });
    await until(() => stat(page, 'reconnects').textContent(), String(seeded.expected.reconnects));
    expect(pageErrors).toEqual([]);
  });

  it('a live range refreshes in place, keeping the charts on screen', async () => {
    const page = await newPage();
    await page.goto(`${dashboard.url}/?${customRange(seeded)}`);
    await until(() => dots(page, 'reconnects').count(), seeded.expected.buckets);
    await page.locator('button[data-range="1h"]').click();
    await page.waitForURL((url) => url.searchParams.get('range') === '1h' && !url.searchParams.has('from'), { timeout: 10_000 });
    // An hour at one-minute buckets: 60 points, 61 when the hour does not start on a minute.
    await expect.poll(async () => [60, 61].includes(await dots(page, 'reconnects').count()), { timeout: 15_000 }).toBe(true);
    await expect(page.locator('button[data-range="1h"]').getAttribute('aria-pressed')).resolves.toBe('true');
    const live = page.locator('[data-live="on"]');
    const firstStatus = await live.textContent();
    const svg = await page.locator('figure[data-chart="reconnects"] svg.recharts-surface').elementHandle();
    // The next refresh (every 5 s) changes the "updated" time but not the chart element: no flicker.
    await expect.poll(() => live.textContent(), { timeout: 12_000, interval: 200 }).not.toBe(firstStatus);
    await expect(svg!.evaluate((el) => el.isConnected)).resolves.toBe(true);
    await expect(page.locator('figure.tv-chart').count()).resolves.toBe(OVERVIEW_CHARTS.length);
    await expect(page.locator('[data-state="loading"]').count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('looking up the lost message shows its verdict in plain language, the timeline around it and a shareable link', async () => {
    const page = await newPage();
    await page.goto(`${dashboard.url}/lookup`);
    await page.getByLabel('User, session, connection or message id').fill(seeded.lostMessageId);
    await page.getByLabel('User, session, connection or message id').press('Enter');
    await page.waitForURL(/\/lookup\?q=m-1003$/, { timeout: 10_000 });
    const verdict = page.locator('.tv-focus-verdict[data-verdict="dropped"]');
    await expect
      .poll(() => verdict.textContent(), { timeout: 15_000 })
      .toContain('Dropped, never delivered: it waited in the offline queue longer than its time to live.');
    await expect(page.locator('[data-lookup-kind]').getAttribute('data-lookup-kind')).resolves.toBe('message_id');

    // The connection's story around the message: the drop in words, backoff with delays, the offline period, the resume.
    const timeline = page.locator('[data-section="timeline"]');
    await expect(timeline.locator('li[data-event="conn.close"]').first().textContent()).resolves.toMatch(/Connection lost.*1006: connection lost without a close frame/);
    // The refused reconnect attempt is a failed attempt with its reason, not a lost connection.
    await expect(timeline.locator('li[data-event="conn.close"]').nth(1).textContent()).resolves.toContain(
      'Connection attempt failedNever opened: connection refused (ECONNREFUSED)',
    );
    await expect(timeline.locator('li[data-event="conn.reconnect.scheduled"]').first().textContent()).resolves.toContain(
      'attempt 1 in 1,340 ms; 340 ms of it random jitter',
    );
    await expect(timeline.locator('li[data-event="conn.reconnect.scheduled"]').nth(1).textContent()).resolves.toContain('attempt 2 in 2,600 ms');
    await expect(timeline.locator('li[data-item="offline"]').textContent()).resolves.toContain('Client offline for 4,000 ms');
    await expect(timeline.locator('li[data-event="session.resume"]').textContent()).resolves.toContain('from sequence 41; 1 message replayed');
    await expect(timeline.locator('li[data-event="msg.dropped"]').textContent()).resolves.toContain('outlived its time to live');
    await expect(page.locator('[data-message-id="m-1003"][data-verdict="dropped"] .tv-journey li').count()).resolves.toBe(2);

    const href = await page.locator('a[data-share-link]').getAttribute('href');
    expect(href).toBe('/lookup?q=m-1003&kind=message_id');
    await shot(page, 'lookup-message');

    // The shared link opens the same answer.
    const shared = await newPage();
    await shared.goto(`${dashboard.url}${href}`);
    await expect.poll(() => shared.locator('.tv-focus-verdict').getAttribute('data-verdict'), { timeout: 15_000 }).toBe('dropped');
    await expect(shared.getByLabel('Look up as').inputValue()).resolves.toBe('message_id');
    expect(pageErrors).toEqual([]);
  });

  it('a user id finds the whole story, with a verdict for every message', async () => {
    const page = await newPage();
    await page.goto(`${dashboard.url}/lookup?q=${seeded.userId}`);
    await expect.poll(() => page.locator('[data-lookup-kind]').getAttribute('data-lookup-kind'), { timeout: 15_000 }).toBe('user_id');
    const verdictOf = (id: string) => page.locator(`[data-section="messages"] [data-message-id="${id}"]`);
    await expect(verdictOf(seeded.deliveredMessageId).getAttribute('data-verdict')).resolves.toBe('delivered');
    await expect(verdictOf(seeded.deliveredMessageId).locator('.tv-verdict-summary').textContent()).resolves.toBe('Delivered in 42 ms.');
    await expect(verdictOf(seeded.replayedMessageId).getAttribute('data-verdict')).resolves.toBe('replayed');
    await expect(verdictOf(seeded.replayedMessageId).locator('.tv-verdict-summary').textContent()).resolves.toBe(
      'Delivered in 4000 ms after being replayed when the connection came back.',
    );
    await expect(verdictOf(seeded.lostMessageId).getAttribute('data-verdict')).resolves.toBe('dropped');
    await expect(page.locator('[data-section="lookup-summary"]').textContent()).resolves.toContain(seeded.sessionId);
    await expect(page.locator('li[data-event="msg.replayed"]').count()).resolves.toBe(1);
    await shot(page, 'lookup-user');

    // An unknown id says what to try next.
    await page.getByLabel('User, session, connection or message id').fill('nobody-123');
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect
      .poll(() => page.locator('[data-state="empty"]').textContent(), { timeout: 15_000 })
      .toContain('Nothing found for “nobody-123” as any kind of id in the last 7 days.');
    expect(pageErrors).toEqual([]);
  });

  it('a message id two sessions reused shows each journey with its own verdict and says so', async () => {
    const page = await newPage();
    await page.goto(`${dashboard.url}/lookup?q=${cases.reusedMessageId}`);
    const focus = page.locator('.tv-focus-verdict');
    await expect.poll(() => focus.count(), { timeout: 15_000 }).toBe(2);
    await expect(page.locator('[data-note]').textContent()).resolves.toBe(
      'Message id alice-msg-12 matched 2 separate journeys, in sessions run-1 and run-2: message ids are unique only within a session, so each journey has its own verdict.',
    );
    await expect(focus.nth(0).textContent()).resolves.toBe(
      'In session run-1, verdict: DroppedDropped, never delivered: it was in flight when the connection dropped and was never resent.',
    );
    await expect(focus.nth(1).textContent()).resolves.toBe('In session run-2, verdict: DeliveredDelivered in 25 ms.');
    const journeys = page.locator('[data-section="messages"] [data-message-id="alice-msg-12"]');
    await expect(journeys.count()).resolves.toBe(2);
    await expect(journeys.nth(0).locator('.tv-verdict-head').textContent()).resolves.toContain('in session run-1');
    await expect(page.locator('li[data-event="msg.dropped"] .tv-event-detail').textContent()).resolves.toContain('lost when the connection dropped, never resent');
    await shot(page, 'lookup-reused-message-id');
    expect(pageErrors).toEqual([]);
  });

  it('a raw user id the SDK hashed finds nothing, says so and links to the hash, which finds the user', async () => {
    const page = await newPage();
    await page.goto(`${dashboard.url}/lookup?q=${encodeURIComponent(cases.rawUserId)}`);
    const hint = page.locator('[data-hint="hashed-user-id"]');
    await expect.poll(() => hint.textContent(), { timeout: 15_000 }).toContain(`This id is stored hashed: 2 events match its hash. Look up the hashed user id ${cases.hashedUserId}`);
    await expect(hint.textContent()).resolves.toContain('Services that hash user ids in this range: chat-web.');
    await hint.getByRole('link').click();
    await page.waitForURL(new RegExp(`q=${cases.hashedUserId}&kind=user_id`), { timeout: 10_000 });
    await expect.poll(() => page.locator('[data-lookup-kind]').getAttribute('data-lookup-kind'), { timeout: 15_000 }).toBe('user_id');
    await expect(page.locator('[data-section="timeline"] li[data-event]').count()).resolves.toBe(2);
    await shot(page, 'lookup-hashed-user');
    expect(pageErrors).toEqual([]);
  });

  it('both sides of one connection stand side by side, with the drop and the replay in words', async () => {
    const page = await newPage();
    await page.goto(`${dashboard.url}/lookup?q=${cases.duoSessionId}`);
    const timeline = page.locator('[data-section="timeline"]');
    await expect.poll(() => timeline.getAttribute('data-sides'), { timeout: 15_000 }).toBe('client server');
    const sides = await timeline.locator('li[data-event]').evaluateAll((items) => items.map((li) => `${li.getAttribute('data-side')} ${li.getAttribute('data-event')}`));
    expect(sides.slice(0, 6)).toEqual(['client conn.opening', 'server conn.open', 'client conn.open', 'client msg.sent', 'server msg.received', 'client msg.acked']);
    // Server events sit in the right-hand column, beside the client's.
    const clientBox = await timeline.locator('li[data-side="client"] .tv-event-body').first().boundingBox();
    const serverBox = await timeline.locator('li[data-side="server"] .tv-event-body').first().boundingBox();
    expect(serverBox!.x).toBeGreaterThan(clientBox!.x + clientBox!.width - 1);
    await expect(timeline.locator('li[data-side="server"]').first().textContent()).resolves.toContain('ServerConnected');
    await expect(page.locator('[data-section="lookup-summary"]').textContent()).resolves.toContain('Reported byclient and server');
    await expect(timeline.locator('li[data-event="msg.replayed"]').textContent()).resolves.toContain('Replayed after a drop');
    await expect(timeline.locator('li[data-event="msg.replayed"]').textContent()).resolves.toContain('sent again on connection duo-c2');
    await expect(timeline.locator('li[data-item="offline"]').count()).resolves.toBe(1);
    const verdictOf = (id: string) => page.locator(`[data-section="messages"] [data-message-id="${id}"]`);
    await expect(verdictOf('duo-m1').getAttribute('data-verdict')).resolves.toBe('delivered');
    await expect(verdictOf('duo-m2').locator('.tv-verdict-summary').textContent()).resolves.toBe('Delivered in 2020 ms after being replayed when the connection came back.');
    await expect(verdictOf('duo-m3').locator('.tv-verdict-summary').textContent()).resolves.toBe(
      'Dropped, never delivered: it was in flight when the connection dropped and was never resent.',
    );
    await shot(page, 'lookup-both-sides', true);
    expect(pageErrors).toEqual([]);
  });

  it('the deploys page measures the newest deploy and compares two versions side by side', async () => {
    const page = await newPage();
    await page.goto(`${dashboard.url}/deploys`);
    const impact = page.locator(`[data-section="impact"][data-deploy-id="${seeded.deployId}"]`);
    await expect.poll(() => impact.count(), { timeout: 15_000 }).toBe(1);
    const card = (id: string) => impact.locator(`[data-stat="${id}"]`);
    await expect(card('reconnects').locator('.tv-stat-value').textContent()).resolves.toBe('20');
    await expect(card('reconnects').locator('.tv-stat-note').textContent()).resolves.toBe('2 in the 15 min before');
    await expect(card('peak').locator('.tv-stat-value').textContent()).resolves.toBe('20/min');
    await expect(card('recovery').locator('.tv-stat-value').textContent()).resolves.toBe('5 s');
    await expect(card('recovery').locator('.tv-stat-note').textContent()).resolves.toBe('21 clients dropped, 20 came back');
    await expect(card('herd').locator('.tv-stat-value').textContent()).resolves.toBe('Thundering herd');
    await expect(card('herd').locator('.tv-stat-note').textContent()).resolves.toBe('Thundering herd: 95% of reconnects in one second');
    await expect(card('p99').locator('.tv-stat-value').textContent()).resolves.toMatch(/^\d[\d,.]* ms → \d[\d,.]* (ms|s)$/);
    await expect(card('p99').locator('.tv-stat-note').textContent()).resolves.toContain('slower');
    await expect(card('abnormal').locator('.tv-stat-value').textContent()).resolves.toBe('100% → 4.8%');
    // Reconnects around the deploy: one window either side at one-minute buckets, with its marker.
    await until(() => dots(page, 'deploy-reconnects').count(), 31);
    await expect(page.locator('figure[data-chart="deploy-reconnects"] .tv-deploy-marker').count()).resolves.toBe(1);
    await expect(page.locator('[data-section="deploy-list"] tbody tr').count()).resolves.toBe(2);
    await expect(page.locator(`tr[data-deploy-id="${seeded.deployId}"]`).getAttribute('aria-current')).resolves.toBe('true');

    // Compare with the previous version.
    await page.getByLabel('Compare with').selectOption(seeded.previousDeployId);
    await page.waitForURL(new RegExp(`compare=${seeded.previousDeployId}`), { timeout: 10_000 });
    const compare = page.locator('[data-section="compare"]');
    await expect.poll(() => compare.locator('h2').textContent(), { timeout: 15_000 }).toBe('2.15.0 vs 2.14.0');
    await expect(compare.locator('tr[data-row="reconnects"] td').allTextContents()).resolves.toEqual(['20', '0 (better)']);
    await expect(compare.locator('tr[data-row="herd"] td').nth(1).textContent()).resolves.toBe('No reconnects');
    await expect(compare.locator('tr[data-row="commit"] td').allTextContents()).resolves.toEqual(['9f1c2ab', 'a1b2c3d']);
    await shot(page, 'deploys', true);

    // Picking the other deploy from the list shows its impact.
    await page.locator(`tr[data-deploy-id="${seeded.previousDeployId}"] a`).click();
    await page.waitForURL(new RegExp(`id=${seeded.previousDeployId}`), { timeout: 10_000 });
    await expect
      .poll(() => page.locator(`[data-section="impact"][data-deploy-id="${seeded.previousDeployId}"] [data-stat="herd"] .tv-stat-value`).textContent(), {
        timeout: 15_000,
      })
      .toBe('No reconnects');
    expect(pageErrors).toEqual([]);
  });

  it('measures the overview: page load in the browser and query-API latency through the proxy', async () => {
    const page = await newPage();
    const started = performance.now();
    await page.goto(`${dashboard.url}/?${customRange(seeded)}`);
    await until(() => dots(page, 'latency').count(), 3 * seeded.expected.latencyBuckets);
    const loaded = performance.now() - started;
    const browserTimings = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const api = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => r.name.includes('/api/collector/'));
      const durations = api.map((r) => r.duration).sort((a, b) => a - b);
      return {
        ttfb: nav.responseStart,
        domContentLoaded: nav.domContentLoadedEventEnd,
        load: nav.loadEventEnd,
        apiCount: durations.length,
        apiPaths: api.map((r) => new URL(r.name).pathname.replace('/api/collector/', '')),
        apiMedian: durations[Math.floor(durations.length / 2)] ?? 0,
        apiMax: durations[durations.length - 1] ?? 0,
        apiFirstStart: Math.min(...api.map((r) => r.startTime)),
        apiLastEnd: Math.max(...api.map((r) => r.responseEnd)),
      };
    });
    timings['overview warm load (goto -> charts drawn)'] = `${Math.round(loaded)} ms`;
    timings['  TTFB / DOMContentLoaded / load'] =
      `${Math.round(browserTimings.ttfb)} / ${Math.round(browserTimings.domContentLoaded)} / ${Math.round(browserTimings.load)} ms`;
    timings['  overview API calls in the browser'] =
      `${browserTimings.apiCount} calls, median ${Math.round(browserTimings.apiMedian)} ms, max ${Math.round(browserTimings.apiMax)} ms, ` +
      `all done ${Math.round(browserTimings.apiLastEnd - browserTimings.apiFirstStart)} ms after the first`;

    // The charts, cards and close-code table come from one request; alerts come from the alert API.
    expect(browserTimings.apiPaths.filter((p) => p === 'overview')).toHaveLength(1);
    expect(browserTimings.apiPaths.filter((p) => p === 'series')).toEqual([]);

    // The same request from Node, through the proxy and straight to the collector.
    const path = `overview?step=60s&from=${seeded.start}&to=${seeded.end}`;
    const once = async (base: string) => {
      const t = performance.now();
      const response = await fetch(`${base}/${path}`);
      await response.arrayBuffer();
      expect(response.ok).toBe(true);
      return performance.now() - t;
    };
    const measure = async (base: string) => {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) runs.push(await once(base));
      runs.sort((a, b) => a - b);
      return `median ${Math.round(runs[2]!)} ms, max ${Math.round(runs[4]!)} ms (5 runs)`;
    };
    timings['overview API request via dashboard proxy'] = await measure(`${dashboard.url}/api/collector`);
    timings['overview API request straight to collector'] = await measure(`${collector.url}/api/v1`);
  });
});

describe('alerting: a burst of reconnects fires the test rule', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    const started = performance.now();
    await postReconnects(collector.url, BURST);
    // Hooks cannot use expect.poll: poll by hand.
    const deadline = Date.now() + 20_000;
    while ((await testRuleAlerts()).length !== 1) {
      if (Date.now() > deadline) throw new Error(`${TEST_RULE.id} did not fire within 20 s of ${BURST} reconnects`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    timings['reconnect burst -> alert firing (API)'] = `${Math.round(performance.now() - started)} ms`;
  }, 30_000);

  it('the alerts page shows the rule firing and the alert with its sentence, labels, value, deploy and chart link', async () => {
    // A fresh burst keeps the rule's one-minute window above its threshold for the checks below.
    await postReconnects(collector.url, BURST);
    const page = await newPage();
    await page.goto(`${dashboard.url}/alerts`);
    const rule = page.locator('[data-section="alert-rules"] tr[data-rule-id="test-reconnects"]');
    await until(() => rule.getAttribute('data-state'), 'firing');
    await expect(rule.locator('[data-badge="severity"]').textContent()).resolves.toBe('Page');
    await expect(rule.locator('[data-condition]').textContent()).resolves.toContain('Reconnects > 5 in the last 1m');
    await expect(rule.textContent()).resolves.toContain('threshold');
    // Built-in rules are listed too, each with its condition in words.
    await expect(page.locator('[data-section="alert-rules"] tr[data-rule-id="reconnect-storm"] [data-condition]').textContent()).resolves.toContain(
      'Reconnects far above the usual',
    );

    const card = page.locator('article[data-rule-id="test-reconnects"][data-state="firing"]');
    await until(() => card.count(), 1);
    const [alert] = await testRuleAlerts();
    expect(alert).toBeDefined();
    await expect(card.getAttribute('data-alert-id')).resolves.toBe(alert!.id);
    // The sentence is the collector's, word for word (it changes only when the value does).
    await expect.poll(async () => (await card.locator('[data-summary]').textContent()) === (await testRuleAlerts())[0]?.summary, { timeout: 10_000 }).toBe(true);
    expect(alert!.summary).toMatch(/reconnect/i);
    for (const [key, value] of Object.entries(alert!.labels)) await expect(card.locator('.tv-labels').textContent()).resolves.toContain(`${key}=${value}`);
    await expect(card.locator('[data-fact="value"]').textContent()).resolves.toMatch(/^\d+ reconnects \(threshold > 5 reconnects\)$/);
    // The nearest deploy of the service before onset: the seeded 2.15.0, about 25 minutes earlier.
    expect(alert!.deploy?.version).toBe('2.15.0');
    await expect(card.locator('[data-fact="deploy"]').textContent()).resolves.toBe(
      `2.15.0 (${seeded.commit.slice(0, 7)}), ${alert!.deploy!.minutes_before_onset} min before onset`,
    );
    await expect(card.locator('[data-fact="resolved"]').textContent()).resolves.toMatch(/^\d/);
    await expect(card.locator('[data-dashboard-link]').getAttribute('href')).resolves.toBe(alert!.dashboard_url);
    // On the timeline: a firing bar that runs to the right edge.
    await expect(page.locator(`[data-section="alert-timeline"] li[data-alert-id="${alert!.id}"] .tv-alert-bar-ongoing`).count()).resolves.toBe(1);
    await expect(page.locator('[data-headline]').textContent()).resolves.toMatch(/^[1-9]\d* firing/);
    // The alerts page lists them itself, so it shows no banner.
    await expect(page.locator('[data-firing-banner]').count()).resolves.toBe(0);
    await shot(page, 'alerts', true);
    expect(pageErrors).toEqual([]);
  });

  it('the overview shows the firing banner and shades the alert period on the reconnects chart', async () => {
    await postReconnects(collector.url, BURST);
    const page = await newPage();
    await page.goto(`${dashboard.url}/?range=1h`);
    const banner = page.locator('[data-firing-banner]');
    await until(() => banner.count(), 1);
    // What the banner says agrees with the collector's firing alerts (read both until they settle on the same moment).
    const firingNow = async () => ((await (await fetch(`${collector.url}/api/v1/alerts?state=firing`)).json()) as AlertsResponse).alerts;
    await expect
      .poll(async () => {
        const firing = await firingNow();
        return (await banner.getAttribute('data-count')) === String(firing.length) && (await banner.locator('[data-summary]').textContent()) === firing[0]?.summary;
      }, { timeout: 15_000 })
      .toBe(true);
    await expect(banner.getAttribute('data-severity')).resolves.toBe('page');
    await expect(banner.textContent()).resolves.toMatch(/^[1-9]\d* alerts? firingworst: Page/);

    // The band: on the reconnects chart (the rule watches reconnects), not on the latency chart.
    // (The built-in reconnect-storm rule may fire on the same burst and get a band of its own.)
    const [alert] = await testRuleAlerts();
    const band = page.locator(`figure[data-chart="reconnects"] .tv-alert-band[data-alert-id="${alert!.id}"][data-state="firing"]`);
    await expect.poll(() => band.count(), { timeout: 15_000 }).toBe(1);
    await expect(page.locator(`figure[data-chart="latency"] .tv-alert-band[data-alert-id="${alert!.id}"]`).count()).resolves.toBe(0);
    await expect(page.locator('figure[data-chart="reconnects"] .tv-chart-alerts').textContent()).resolves.toContain('Shaded');
    const firingRect = await band.first().locator('.tv-alert-band-firing').boundingBox();
    const plot = await page.locator('figure[data-chart="reconnects"] .recharts-cartesian-grid').boundingBox();
    expect(firingRect!.width).toBeGreaterThan(1.5);
    // Still firing: shaded up to the right edge of the plot.
    expect(Math.abs(firingRect!.x + firingRect!.width - (plot!.x + plot!.width))).toBeLessThan(3);
    await expect(band.first().getAttribute('aria-label')).resolves.toMatch(/^Alert Reconnects above 5\/min \(page, .*\) firing from .*, still active: /);
    // Keyboard: focusing the band describes it.
    await band.first().focus();
    const tooltip = page.locator('figure[data-chart="reconnects"] .tv-alert-tooltip');
    await expect.poll(() => tooltip.textContent(), { timeout: 5_000 }).toContain('Reconnects above 5/min · page');
    await expect(tooltip.textContent()).resolves.toContain('still active');
    await page.locator('body').focus();
    await page.mouse.move(5, 5);
    await shot(page, 'overview-banner');

    // The banner links to the alerts page.
    await banner.getByRole('link', { name: 'See alerts' }).click();
    await page.waitForURL(/\/alerts$/, { timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  });

  it('silencing from an alert mutes it, and expiring the silence unmutes it', async () => {
    await postReconnects(collector.url, BURST);
    const page = await newPage();
    await page.goto(`${dashboard.url}/alerts`);
    const card = page.locator('article[data-rule-id="test-reconnects"][data-state="firing"]');
    await until(() => card.count(), 1);
    await expect(card.getAttribute('data-silenced')).resolves.toBe('false');
    await card.locator('[data-action="silence"]').click();

    // The form is prefilled from the alert's rule and labels, and focus moves to "Why".
    const form = page.locator('[data-section="silence-form"]');
    const [alert] = await testRuleAlerts();
    await expect(form.getByLabel('Label 1', { exact: true }).inputValue()).resolves.toBe('rule');
    await expect(form.getByLabel('Value 1', { exact: true }).inputValue()).resolves.toBe('test-reconnects');
    await expect(form.locator('li[data-matcher]').count()).resolves.toBe(1 + Object.keys(alert!.labels).length);
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');

    // Missing fields are named before anything is sent.
    await form.getByRole('button', { name: 'Create silence' }).click();
    await expect(form.locator('ul.tv-form-problems').textContent()).resolves.toBe('Say why (for example the incident or ticket).Say who is silencing (a name or email).');
    await expect(form.getByLabel('Why').getAttribute('aria-invalid')).resolves.toBe('true');

    await form.getByLabel('Why').fill('INC-42: planned failover of ws-eu-1');
    await form.getByLabel('Your name').fill('dashboard-test');
    await form.getByLabel('Duration').selectOption('30m');
    await form.getByRole('button', { name: 'Create silence' }).click();
    await expect.poll(() => form.locator('[role="status"]').textContent(), { timeout: 10_000 }).toMatch(/^Silence created \(rule=test-reconnects/);

    const row = page.locator('[data-section="silence-list"] tr[data-state="active"]');
    await until(() => row.count(), 1);
    const silenceId = (await row.getAttribute('data-silence-id'))!;
    await expect(row.textContent()).resolves.toContain('dashboard-test');
    await expect(row.textContent()).resolves.toContain('INC-42: planned failover of ws-eu-1');
    const active = (await (await fetch(`${collector.url}/api/v1/silences?state=active`)).json()) as SilencesResponse;
    expect(active.silences.map((s) => s.id)).toEqual([silenceId]);

    // The evaluator marks the alert silenced; the page shows it.
    await expect.poll(async () => (await testRuleAlerts())[0]?.silenced_by ?? [], { timeout: 15_000 }).toEqual([silenceId]);
    await until(() => card.getAttribute('data-silenced'), 'true');
    await expect(card.locator('[data-fact="silenced-by"]').textContent()).resolves.toBe(silenceId.slice(0, 8));
    await shot(page, 'alerts-silenced', true);

    // Expire it from the list.
    await row.getByRole('button', { name: /^Expire/ }).click();
    await until(() => page.locator(`tr[data-silence-id="${silenceId}"]`).getAttribute('data-state'), 'expired');
    const after = (await (await fetch(`${collector.url}/api/v1/silences?state=active`)).json()) as SilencesResponse;
    expect(after.silences).toEqual([]);
    await postReconnects(collector.url, BURST);
    await expect.poll(async () => (await testRuleAlerts())[0]?.silenced_by ?? null, { timeout: 15_000 }).toEqual([]);
    await until(() => card.getAttribute('data-silenced'), 'false');
    expect(pageErrors).toEqual([]);
  });

  it('the proxy forwards only the silence writes, passes the collector refusal through and refuses cross-site writes', async () => {
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${dashboard.url}/api/collector/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const missing = await post('silences', { matchers: [{ label: 'rule', op: '=', value: 'x' }], created_by: 'test' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain('comment');
    const crossSite = await post('silences', { matchers: [{ label: 'rule', op: '=', value: 'x' }], created_by: 't', comment: 'c' }, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect((await post('alerts/rules', { id: 'x' })).status).toBe(405);
    expect((await fetch(`${dashboard.url}/api/collector/alerts/rules/reconnect-storm`, { method: 'DELETE' })).status).toBe(404);
    expect((await fetch(`${dashboard.url}/api/collector/alerts/history`)).status).toBe(200);
    const none = (await (await fetch(`${collector.url}/api/v1/silences?state=active`)).json()) as SilencesResponse;
    expect(none.silences).toEqual([]);
  });
});

describe('every page at desktop and phone width', { timeout: 90_000 }, () => {
  /** The pages, and what shows once each has loaded its data. */
  const PAGES = [
    { name: 'overview', path: () => '/?range=1h', ready: '[data-chart="reconnects"] .recharts-line-dot' },
    { name: 'lookup', path: () => `/lookup?q=${seeded.lostMessageId}`, ready: '.tv-focus-verdict' },
    { name: 'lookup-reused-id', path: () => `/lookup?q=${cases.reusedMessageId}`, ready: '[data-note]' },
    { name: 'lookup-hashed-user', path: () => `/lookup?q=${encodeURIComponent(cases.rawUserId)}`, ready: '[data-hint="hashed-user-id"]' },
    { name: 'lookup-both-sides', path: () => `/lookup?q=${cases.duoSessionId}`, ready: '[data-side="server"]' },
    { name: 'deploys', path: () => '/deploys', ready: '[data-chart="deploy-reconnects"] .recharts-line-dot' },
    { name: 'alerts', path: () => '/alerts', ready: 'article[data-rule-id="test-reconnects"]' },
    { name: 'reliability', path: () => '/reliability', ready: '[data-section="cohort-comparison"] tbody tr' },
  ] as const;

  for (const viewport of [DESKTOP, PHONE]) {
    it(`at ${viewport.width} px every page has no WCAG 2 A/AA violation (axe-core), fits the width and loads without a failed request`, async () => {
      await postReconnects(collector.url, BURST);
      const page = await newPage(viewport);
      const failed: string[] = [];
      page.on('response', (response) => {
        if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
      });
      const started = performance.now();
      for (const target of PAGES) {
        await page.goto(`${dashboard.url}${target.path()}`);
        await expect.poll(() => page.locator(target.ready).count(), { timeout: 15_000 }).toBeGreaterThan(0);
        const violations = await wcagViolations(page);
        expect(violations, `${target.name} at ${viewport.width} px:\n${violations.join('\n')}`).toEqual([]);
        if (viewport === PHONE) {
          await expect(page.evaluate(() => document.documentElement.scrollWidth), `${target.name} scrollWidth`).resolves.toBeLessThanOrEqual(PHONE.width);
          for (const link of await page.locator('nav[aria-label="Main"] a').all()) {
            const box = await link.boundingBox();
            expect(box, `nav link ${await link.textContent()} on ${target.name}`).not.toBeNull();
            expect(box!.x).toBeGreaterThanOrEqual(0);
            expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
          }
          // Open mode acts as an admin of the default tenant, so the Admin entry is listed too.
          await expect(page.locator('nav[aria-label="Main"] a').allTextContents()).resolves.toEqual(['Overview', 'Lookup', 'Deploys', 'Alerts', 'Reliability', 'Admin']);
          if (target.name === 'overview' || target.name === 'alerts') await shot(page, `phone-${target.name}`);
        }
      }
      timings[`${PAGES.length} pages + axe at ${viewport.width} px`] = `${Math.round(performance.now() - started)} ms`;
      // The favicon is declared, served, and no request (favicon.ico included) failed.
      const icon = await page.locator('link[rel="icon"]').first().getAttribute('href');
      expect(icon).toMatch(/^\/icon\.svg/);
      const served = await fetch(`${dashboard.url}${icon}`);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toContain('image/svg+xml');
      expect(failed).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  }
});

describe('when the collector goes down', { timeout: 60_000 }, () => {
  it('a live overview keeps its last data and says how to start the collector; a fresh page shows the error', async () => {
    const page = await newPage();
    await page.goto(`${dashboard.url}/?range=1h`);
    await expect.poll(() => dots(page, 'reconnects').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(60);
    await collector.stop();

    const message = `The collector at ${collector.url} is not answering: start it with npm run collector`;
    const banner = page.locator('[data-state="error"][data-problem="collector_unreachable"]');
    await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toContain(message);
    await expect(page.locator('figure.tv-chart').count()).resolves.toBe(OVERVIEW_CHARTS.length);
    await expect(banner.textContent()).resolves.toContain('Showing the last data received.');
    await shot(page, 'collector-down');

    const fresh = await newPage();
    await fresh.goto(`${dashboard.url}/deploys`);
    await expect.poll(() => fresh.locator('[data-state="error"]').textContent(), { timeout: 15_000 }).toContain(message);
    await expect(fresh.getByRole('button', { name: 'Try again' }).count()).resolves.toBe(1);

    const proxied = await fetch(`${dashboard.url}/api/collector/series?metric=reconnects`);
    expect(proxied.status).toBe(502);
    const body = (await proxied.json()) as { error: { message: string; collector_url: string } };
    expect(body.error.message).toContain(message);
    expect(body.error.collector_url).toBe(collector.url);
    expect(pageErrors).toEqual([]);
  });
});
