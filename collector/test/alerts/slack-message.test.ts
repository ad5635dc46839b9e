import { describe, expect, it } from 'vitest';
import { formatSlackMessage, type SlackBlock } from '../../src/alerts/notify/slack-message.js';
import { notificationBody } from './notification-fixture.js';

const texts = (blocks: SlackBlock[]) => blocks.filter((b) => 'text' in b).map((b) => ('text' in b ? b.text.text : ''));
const fields = (blocks: SlackBlock[]) => blocks.flatMap((b) => ('fields' in b ? b.fields.map((f) => f.text) : []));

describe('formatSlackMessage', () => {
  it('a firing alert: sentence, value vs threshold, start, labels, deploy, dashboard link and runbook', () => {
    const body = notificationBody();
    const message = formatSlackMessage(body);
    const sentence = body.text.replace('>', '&gt;');
    expect(message.text).toBe(`[FIRING] Reconnect storm: ${sentence}`);
    expect(message.blocks[0]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:rotating_light: *<http://127.0.0.1:3000/?range=custom&amp;from=2025-12-31T23%3A45%3A00.000Z&amp;service=chat|Firing: Reconnect storm>*\n${sentence}`,
      },
    });
    expect(fields(message.blocks)).toEqual([
      '*Value*\n412 reconnects (threshold 100 reconnects)',
      '*Severity*\npage',
      '*Started*\n<!date^1767225600^{date_short_pretty} {time}|2026-01-01T00:00:00.000Z>',
      '*Labels*\n`environment=production` `server=gw-1:443` `service=chat`',
      '*Deploy*\nv2.4.1 `9f8e7d6c5b4a`, 4 min before onset',
    ]);
    const sections = texts(message.blocks);
    expect(sections).toContain(':mag: <http://127.0.0.1:3000/?range=custom&amp;from=2025-12-31T23%3A45%3A00.000Z&amp;service=chat|Open the dashboard at the onset>');
    expect(sections).toContain(':book: *Runbook:* <https://runbooks.example.com/reconnect-storm|https://runbooks.example.com/reconnect-storm>');
    expect(message.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: `Alert ${body.alert.id} · tenant default · sent by collector-a` }] });
  });

  it('a resolved alert is worded as resolved and shows when it ended', () => {
    const message = formatSlackMessage(notificationBody({ status: 'resolved' }));
    expect(message.text).toMatch(/^\[RESOLVED\] Reconnect storm: /);
    expect(message.blocks[0]).toMatchObject({ text: { text: expect.stringMatching(/^:white_check_mark: \*<[^|]+\|Resolved: Reconnect storm>\*/) } });
    expect(fields(message.blocks)).toContain('*Last value*\n412 reconnects (threshold 100 reconnects)');
    expect(fields(message.blocks)).toContain('*Resolved*\n<!date^1767226320^{date_short_pretty} {time}|2026-01-01T00:12:00.000Z>');
  });

  it('a reminder says so', () => {
    expect(texts(formatSlackMessage(notificationBody({ repeat: 2 })).blocks)[0]).toContain('|Still firing: Reconnect storm (reminder 2)>');
  });

  it('leaves out the deploy, link and runbook when absent, and shows a missing value plainly', () => {
    const body = notificationBody();
    Object.assign(body.alert, { deploy: null, dashboard_url: '', runbook: '  ', value: null, threshold: null, labels: {} });
    const message = formatSlackMessage(body);
    expect(message.blocks.map((b) => b.type)).toEqual(['section', 'section', 'context']);
    expect(fields(message.blocks)).toEqual(['*Value*\nno data', '*Severity*\npage', '*Started*\n<!date^1767225600^{date_short_pretty} {time}|2026-01-01T00:00:00.000Z>', '*Labels*\nnone']);
    expect(texts(message.blocks)[0]).toMatch(/^:rotating_light: \*Firing: Reconnect storm\*\n/);
  });

  it('escapes Slack control characters so config and telemetry cannot ping or forge links', () => {
    const body = notificationBody();
    body.alert.rule_name = 'Storm <!channel> & co';
    body.alert.labels = { service: '<https://evil.example|docs>' };
    body.alert.runbook = 'Restart <gw> & check `x`';
    body.text = 'a < b';
    const message = formatSlackMessage(body);
    const all = JSON.stringify(message);
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<https://evil');
    expect(texts(message.blocks)[0]).toContain('|Firing: Storm &lt;!channel&gt; &amp; co>*\na &lt; b');
    expect(fields(message.blocks)).toContain('*Labels*\n`service=&lt;https://evil.example|docs&gt;`');
    expect(texts(message.blocks)).toContain(':book: *Runbook:*\nRestart &lt;gw&gt; &amp; check `x`');
  });

  it('keeps within Block Kit length limits', () => {
    const body = notificationBody();
    body.text = '&'.repeat(5000);
    const message = formatSlackMessage(body);
    const first = texts(message.blocks)[0]!;
    expect(first.length).toBeLessThanOrEqual(3000);
    expect(first).toMatch(/(&amp;)+…$/);
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });
});
