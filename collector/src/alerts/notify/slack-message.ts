import type { AlertInstance, AlertNotificationBody } from '../../api-types.js';

/** A Block Kit text object. */
export interface SlackText {
  type: 'mrkdwn' | 'plain_text';
  text: string;
}

/** The blocks this formatter uses. */
export type SlackBlock =
  | { type: 'section'; text: SlackText }
  | { type: 'section'; fields: SlackText[] }
  | { type: 'context'; elements: SlackText[] };

/** A Slack incoming-webhook message: `text` is the notification fallback, `blocks` what the channel shows. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

// Block Kit limits: a section's text 3000 characters, a field 2000.
const SECTION_MAX_CHARS = 3000;
const FIELD_MAX_CHARS = 2000;

const SEVERITY_EMOJI: Record<AlertInstance['severity'], string> = {
  page: ':rotating_light:',
  ticket: ':warning:',
  info: ':information_source:',
};

/**
 * The Slack form of one notification: the sentence, then value vs threshold,
 * start, labels and the deploy before it, a link to the dashboard at the
 * onset, and the runbook. Pure.
 *
 * Security: rule names, labels and runbooks come from config and from
 * telemetry, so every piece of text is escaped; otherwise a label such as
 * `<!channel>` or `<https://evil|docs>` would ping a channel or forge a link.
 */
export function formatSlackMessage(body: AlertNotificationBody): SlackMessage {
  const { alert } = body;
  const resolved = body.status === 'resolved';
  const title = resolved
    ? `Resolved: ${alert.rule_name}`
    : body.repeat > 0
      ? `Still firing: ${alert.rule_name} (reminder ${body.repeat})`
      : `Firing: ${alert.rule_name}`;
  const emoji = resolved ? ':white_check_mark:' : SEVERITY_EMOJI[alert.severity] ?? SEVERITY_EMOJI.page;
  const heading = alert.dashboard_url ? link(alert.dashboard_url, title) : escapeMrkdwn(title);

  const blocks: SlackBlock[] = [
    section(`${emoji} *${heading}*\n${escapeMrkdwn(body.text)}`),
    { type: 'section', fields: facts(body).map(([name, value]) => mrkdwn(clip(`*${name}*\n${value}`, FIELD_MAX_CHARS))) },
  ];
  if (alert.dashboard_url) blocks.push(section(`:mag: ${link(alert.dashboard_url, 'Open the dashboard at the onset')}`));
  const runbook = alert.runbook.trim();
  if (runbook) {
    blocks.push(section(/^https?:\/\/\S+$/.test(runbook) ? `:book: *Runbook:* ${link(runbook, runbook)}` : `:book: *Runbook:*\n${escapeMrkdwn(runbook)}`));
  }
  blocks.push({ type: 'context', elements: [mrkdwn(escapeMrkdwn(`Alert ${alert.id} · tenant ${body.tenant} · sent by ${body.sent_by}`))] });

  return { text: clip(escapeMrkdwn(`${resolved ? '[RESOLVED]' : '[FIRING]'} ${alert.rule_name}: ${body.text}`), SECTION_MAX_CHARS), blocks };
}

/** The fields section: name and mrkdwn value. */
function facts(body: AlertNotificationBody): [string, string][] {
  const { alert } = body;
  const resolved = body.status === 'resolved';
  const value = alert.value === null ? 'no data' : quantity(alert.value, alert.unit);
  const threshold = alert.threshold === null ? '' : ` (threshold ${quantity(alert.threshold, alert.unit)})`;
  const out: [string, string][] = [
    [resolved ? 'Last value' : 'Value', escapeMrkdwn(`${value}${threshold}`)],
    ['Severity', escapeMrkdwn(alert.severity)],
    ['Started', slackDate(alert.active_at)],
  ];
  if (resolved && alert.resolved_at) out.push(['Resolved', slackDate(alert.resolved_at)]);
  const labels = Object.entries(alert.labels).sort(([a], [b]) => a.localeCompare(b));
  out.push(['Labels', labels.length > 0 ? labels.map(([k, v]) => code(`${k}=${v}`)).join(' ') : 'none']);
  if (alert.deploy) {
    const { version, commit, minutes_before_onset: minutes } = alert.deploy;
    out.push(['Deploy', `${escapeMrkdwn(version || 'unknown version')}${commit ? ` ${code(commit.slice(0, 12))}` : ''}, ${minutes} min before onset`]);
  }
  return out;
}

/** "12.3 ms", "40 reconnects/min" (units like `{reconnects}` lose their braces). */
function quantity(value: number, unit: string): string {
  const shown = unit.replace(/[{}]/g, '').trim();
  return shown ? `${formatNumber(value)} ${shown}` : formatNumber(value);
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
}

/** Slack shows the time in each reader's own zone; the ISO text is the fallback. */
function slackDate(iso: string): string {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return escapeMrkdwn(iso);
  return `<!date^${Math.floor(at / 1000)}^{date_short_pretty} {time}|${new Date(at).toISOString()}>`;
}

function section(text: string): SlackBlock {
  return { type: 'section', text: mrkdwn(clip(text, SECTION_MAX_CHARS)) };
}

function mrkdwn(text: string): SlackText {
  return { type: 'mrkdwn', text };
}

/** `<url|label>`; `|` and `>` cannot appear raw in the URL part. */
function link(url: string, label: string): string {
  const safeUrl = escapeMrkdwn(url).replace(/\|/g, '%7C');
  return `<${safeUrl}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;
}

function code(text: string): string {
  return `\`${escapeMrkdwn(text.replace(/`/g, "'"))}\``;
}

/** Slack's three control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Shortens to `max` characters without cutting an `&amp;`-style entity in two. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const amp = text.lastIndexOf('&', cut);
  if (amp >= 0 && amp > cut - 5 && !text.slice(amp, cut).includes(';')) cut = amp;
  return `${text.slice(0, cut)}…`;
}
