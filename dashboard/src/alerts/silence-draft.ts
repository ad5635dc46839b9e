import type { AlertInstance, SilenceMatcher } from '@/collector-api/types';

/** What the silence form holds before it is sent. */
export interface SilenceDraft {
  matchers: SilenceMatcher[];
  /** How long from now, in the collector's duration syntax ("2h"). */
  duration: string;
  comment: string;
  createdBy: string;
}

/** The body of POST /api/v1/silences. */
export interface NewSilenceBody {
  matchers: SilenceMatcher[];
  duration: string;
  created_by: string;
  comment: string;
}

/** Durations the form offers. The collector accepts up to 30 days. */
export const SILENCE_DURATIONS = [
  { value: '30m', label: '30 minutes' },
  { value: '1h', label: '1 hour' },
  { value: '2h', label: '2 hours' },
  { value: '4h', label: '4 hours' },
  { value: '8h', label: '8 hours' },
  { value: '1d', label: '1 day' },
  { value: '3d', label: '3 days' },
  { value: '7d', label: '7 days' },
] as const;

/** The duration the form starts with (the collector's default too). */
export const DEFAULT_SILENCE_DURATION = '2h';

/** Labels a silence can match: an alert's group labels plus its rule id and severity. */
export const MATCHABLE_LABELS = ['rule', 'severity', 'service', 'environment', 'server'] as const;

/** The collector's rule for label names (collector/src/alerts/silences). */
const LABEL_NAME = /^[a-z_][a-z0-9_.]{0,63}$/;

/** A blank form with one empty matcher row. */
export function emptyDraft(createdBy = ''): SilenceDraft {
  return { matchers: [{ label: 'rule', op: '=', value: '' }], duration: DEFAULT_SILENCE_DURATION, comment: '', createdBy };
}

/** A draft that mutes exactly this alert's rule and label group. */
export function draftFromAlert(alert: Pick<AlertInstance, 'rule_id' | 'labels'>, createdBy = ''): SilenceDraft {
  const matchers: SilenceMatcher[] = [{ label: 'rule', op: '=', value: alert.rule_id }];
  for (const [label, value] of Object.entries(alert.labels)) matchers.push({ label, op: '=', value });
  return { ...emptyDraft(createdBy), matchers };
}

/** A problem with one field of the draft, named for the message and for focusing it. */
export interface DraftProblem {
  /** `matchers.<i>.label`, `matchers.<i>.value`, `comment`, `createdBy` or `duration`. */
  field: string;
  message: string;
}

/** Checks a draft the way the collector will, so most mistakes are caught before sending. */
export function validateDraft(draft: SilenceDraft): { ok: true; body: NewSilenceBody } | { ok: false; problems: DraftProblem[] } {
  const problems: DraftProblem[] = [];
  if (draft.matchers.length === 0) problems.push({ field: 'matchers', message: 'Add at least one matcher: a silence of everything is a mistake waiting to happen.' });
  draft.matchers.forEach((m, i) => {
    const n = i + 1;
    if (!LABEL_NAME.test(m.label.trim())) {
      problems.push({ field: `matchers.${i}.label`, message: `Matcher ${n}: the label must be a name such as rule, service or environment.` });
    }
    if (m.op === '=~') {
      try {
        new RegExp(`^(?:${m.value})$`);
      } catch (err) {
        problems.push({ field: `matchers.${i}.value`, message: `Matcher ${n}: not a valid regular expression (${(err as Error).message}).` });
      }
    } else if (m.op === '=' && m.value.trim() === '') {
      problems.push({ field: `matchers.${i}.value`, message: `Matcher ${n}: give the value to match.` });
    }
  });
  if (!/^\d{1,9}(ms|s|m|h|d|w)$/.test(draft.duration.trim())) problems.push({ field: 'duration', message: 'Pick how long the silence lasts.' });
  if (draft.comment.trim() === '') problems.push({ field: 'comment', message: 'Say why (for example the incident or ticket).' });
  if (draft.createdBy.trim() === '') problems.push({ field: 'createdBy', message: 'Say who is silencing (a name or email).' });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    body: {
      matchers: draft.matchers.map((m) => ({ label: m.label.trim(), op: m.op, value: m.op === '=~' ? m.value : m.value.trim() })),
      duration: draft.duration.trim(),
      created_by: draft.createdBy.trim(),
      comment: draft.comment.trim(),
    },
  };
}

/** "rule=test-reconnects, service=chat-web" */
export function matcherWords(matchers: readonly SilenceMatcher[]): string {
  return matchers.map((m) => `${m.label}${m.op}${m.value}`).join(', ');
}
