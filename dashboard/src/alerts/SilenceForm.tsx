'use client';

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ApiResult } from '@/collector-api/api-problem';
import type { Silence, SilenceMatcher } from '@/collector-api/types';
import { formatDateTime } from '@/shared/format';
import {
  emptyDraft,
  MATCHABLE_LABELS,
  matcherWords,
  SILENCE_DURATIONS,
  validateDraft,
  type DraftProblem,
  type NewSilenceBody,
  type SilenceDraft,
} from './silence-draft';

/** Where the author's name is remembered between silences (this browser only). */
const AUTHOR_KEY = 'tunnelvision.silence.author';

const OPS: readonly { value: SilenceMatcher['op']; label: string }[] = [
  { value: '=', label: 'equals' },
  { value: '!=', label: 'differs from' },
  { value: '=~', label: 'matches regex' },
];

/** Props of {@link SilenceForm}. */
export interface SilenceFormProps {
  /** What the form starts with; remount (change `key`) to load another draft. */
  initial?: SilenceDraft;
  /** Move focus into the form when it opens (after "Silence this alert"). */
  focusOnOpen?: boolean;
  /** Values seen on alerts, per label, offered as suggestions. */
  suggestions: Partial<Record<string, readonly string[]>>;
  onCreate: (body: NewSilenceBody) => Promise<ApiResult<{ silence: Silence }>>;
}

/**
 * Creates a silence: matchers as label / operator / value rows, how long,
 * why and who. Checks the draft before sending and shows the collector's
 * answer (a 400 names the bad field).
 */
export function SilenceForm({ initial, focusOnOpen = false, suggestions, onCreate }: SilenceFormProps) {
  const [draft, setDraft] = useState<SilenceDraft>(() => initial ?? emptyDraft());
  const [problems, setProblems] = useState<DraftProblem[]>([]);
  const [serverProblem, setServerProblem] = useState<string | null>(null);
  const [created, setCreated] = useState<Silence | null>(null);
  const [sending, setSending] = useState(false);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();
  const field = (name: string) => `${id}-${name.replace(/\./g, '-')}`;

  useEffect(() => {
    const remembered = window.localStorage.getItem(AUTHOR_KEY);
    if (remembered) setDraft((d) => (d.createdBy ? d : { ...d, createdBy: remembered }));
  }, []);

  useEffect(() => {
    if (!focusOnOpen) return;
    formRef.current?.scrollIntoView({ block: 'start' });
    commentRef.current?.focus({ preventScroll: true });
  }, [focusOnOpen]);

  const problemFor = (name: string) => problems.find((p) => p.field === name);
  const invalid = (name: string) => (problemFor(name) ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-problems` } : {});
  const setMatcher = (index: number, patch: Partial<SilenceMatcher>) =>
    setDraft((d) => ({ ...d, matchers: d.matchers.map((m, i) => (i === index ? { ...m, ...patch } : m)) }));
  /** The labelled text box of a matcher's label or value; its id and problem marks follow the field name the checks report. */
  const matcherText = (matcher: SilenceMatcher, index: number, part: 'label' | 'value', caption: string, list: string | undefined) => {
    const name = `matchers.${index}.${part}`;
    return (
      <>
        <label htmlFor={field(name)}>
          {caption} {index + 1}
        </label>
        <input
          id={field(name)}
          value={matcher[part]}
          onChange={(e) => setMatcher(index, { [part]: e.target.value })}
          list={list}
          autoComplete="off"
          spellCheck={false}
          {...invalid(name)}
        />
      </>
    );
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setServerProblem(null);
    setCreated(null);
    const checked = validateDraft(draft);
    if (!checked.ok) {
      setProblems(checked.problems);
      document.getElementById(field(checked.problems[0]!.field))?.focus();
      return;
    }
    setProblems([]);
    setSending(true);
    const result = await onCreate(checked.body);
    setSending(false);
    if (!result.ok) {
      setServerProblem(result.problem.message);
      return;
    }
    window.localStorage.setItem(AUTHOR_KEY, checked.body.created_by);
    setCreated(result.data.silence);
    setDraft(emptyDraft(checked.body.created_by));
  };

  return (
    <form ref={formRef} className="tv-silence-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`} data-section="silence-form">
      <h3 id={`${id}-title`}>New silence</h3>
      <p className="tv-chart-description">
        Mutes notifications for alerts whose labels (plus <code>rule</code> and <code>severity</code>) match every row.
      </p>
      <fieldset className="tv-matchers">
        <legend>Matchers</legend>
        <datalist id={`${id}-labels`}>
          {MATCHABLE_LABELS.map((label) => (
            <option key={label} value={label} />
          ))}
        </datalist>
        <ol>
          {draft.matchers.map((matcher, index) => (
            <li key={index} className="tv-matcher" data-matcher={index}>
              <div className="tv-field">{matcherText(matcher, index, 'label', 'Label', `${id}-labels`)}</div>
              <div className="tv-field">
                <label htmlFor={field(`matchers.${index}.op`)}>Match {index + 1}</label>
                <select id={field(`matchers.${index}.op`)} value={matcher.op} onChange={(e) => setMatcher(index, { op: e.target.value as SilenceMatcher['op'] })}>
                  {OPS.map((op) => (
                    <option key={op.value} value={op.value}>
                      {op.label} ({op.value})
                    </option>
                  ))}
                </select>
              </div>
              <div className="tv-field tv-matcher-value">
                {matcherText(matcher, index, 'value', 'Value', suggestions[matcher.label]?.length ? `${id}-values-${index}` : undefined)}
                {suggestions[matcher.label]?.length ? (
                  <datalist id={`${id}-values-${index}`}>
                    {suggestions[matcher.label]!.map((value) => (
                      <option key={value} value={value} />
                    ))}
                  </datalist>
                ) : null}
              </div>
              <button
                type="button"
                className="tv-button tv-button-quiet tv-matcher-remove"
                onClick={() => setDraft((d) => ({ ...d, matchers: d.matchers.filter((_, i) => i !== index) }))}
                disabled={draft.matchers.length === 1}
              >
                Remove<span className="tv-visually-hidden"> matcher {index + 1}</span>
              </button>
            </li>
          ))}
        </ol>
        <button
          type="button"
          className="tv-button tv-button-quiet"
          onClick={() => setDraft((d) => ({ ...d, matchers: [...d.matchers, { label: '', op: '=', value: '' }] }))}
          disabled={draft.matchers.length >= 20}
        >
          Add matcher
        </button>
      </fieldset>
      <div className="tv-silence-fields">
        <div className="tv-field">
          <label htmlFor={field('duration')}>Duration</label>
          <select id={field('duration')} value={draft.duration} onChange={(e) => setDraft((d) => ({ ...d, duration: e.target.value }))} {...invalid('duration')}>
            {SILENCE_DURATIONS.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        <div className="tv-field">
          <label htmlFor={field('createdBy')}>Your name</label>
          <input
            id={field('createdBy')}
            value={draft.createdBy}
            onChange={(e) => setDraft((d) => ({ ...d, createdBy: e.target.value }))}
            autoComplete="name"
            {...invalid('createdBy')}
          />
        </div>
        <div className="tv-field tv-field-wide">
          <label htmlFor={field('comment')}>Why</label>
          <textarea
            id={field('comment')}
            ref={commentRef}
            rows={2}
            value={draft.comment}
            onChange={(e) => setDraft((d) => ({ ...d, comment: e.target.value }))}
            placeholder="Incident or ticket, e.g. INC-123: known storm during migration"
            {...invalid('comment')}
          />
        </div>
      </div>
      {problems.length > 0 ? (
        <ul id={`${id}-problems`} role="alert" className="tv-form-problems">
          {problems.map((p) => (
            <li key={p.field}>{p.message}</li>
          ))}
        </ul>
      ) : null}
      {serverProblem ? (
        <p role="alert" className="tv-form-problems" data-form-error>
          The collector refused the silence: {serverProblem}
        </p>
      ) : null}
      <div className="tv-form-actions">
        <button type="submit" className="tv-button tv-button-primary" disabled={sending}>
          {sending ? 'Creating…' : 'Create silence'}
        </button>
        <p role="status" className="tv-form-status">
          {created
            ? `Silence created (${matcherWords(created.matchers)}) until ${formatDateTime(Date.parse(created.ends_at))}. Matching alerts show as silenced from the collector's next evaluation.`
            : ''}
        </p>
      </div>
    </form>
  );
}
