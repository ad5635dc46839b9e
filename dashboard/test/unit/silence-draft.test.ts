import { describe, expect, it } from 'vitest';
import { draftFromAlert, emptyDraft, validateDraft } from '../../src/alerts/silence-draft.js';

describe('silence drafts', () => {
  it('prefills a draft from an alert: its rule and every label', () => {
    const draft = draftFromAlert({ rule_id: 'test-reconnects', labels: { service: 'chat-web', environment: 'production' } }, 'ana');
    expect(draft.matchers).toEqual([
      { label: 'rule', op: '=', value: 'test-reconnects' },
      { label: 'service', op: '=', value: 'chat-web' },
      { label: 'environment', op: '=', value: 'production' },
    ]);
    expect(draft.createdBy).toBe('ana');
    expect(draft.duration).toBe('2h');
  });

  it('turns a complete draft into the POST body, trimmed', () => {
    const result = validateDraft({ ...draftFromAlert({ rule_id: 'r', labels: {} }), comment: ' INC-1 ', createdBy: ' ana ', duration: '30m' });
    expect(result).toEqual({ ok: true, body: { matchers: [{ label: 'rule', op: '=', value: 'r' }], duration: '30m', created_by: 'ana', comment: 'INC-1' } });
  });

  it('names every missing or bad field', () => {
    const result = validateDraft({ ...emptyDraft(), matchers: [{ label: 'Bad Label', op: '=~', value: '(' }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field)).toEqual(['matchers.0.label', 'matchers.0.value', 'comment', 'createdBy']);
    expect(validateDraft({ ...emptyDraft('a'), comment: 'c', matchers: [] }).ok).toBe(false);
    expect(validateDraft({ ...emptyDraft('a'), comment: 'c', matchers: [{ label: 'rule', op: '=', value: ' ' }] }).ok).toBe(false);
  });
});
