import type { KeyKind, KeyScope } from './admin-types';

/** The new-key form as typed. */
export interface KeyDraft {
  name: string;
  kind: KeyKind;
  scopes: readonly KeyScope[];
  service: string;
  /** One origin per line (or separated by commas or spaces): `https://app.example.com`. */
  origins: string;
}

/** POST /api/v1/admin/keys's body. */
export interface NewKeyBody {
  name: string;
  kind: KeyKind;
  scopes: KeyScope[];
  service?: string;
  origins?: string[];
}

/** A blank form: a server key that ingests. */
export const EMPTY_KEY_DRAFT: KeyDraft = { name: '', kind: 'server', scopes: ['ingest'], service: '', origins: '' };

/** The origins as a list, blanks dropped. */
export function originList(origins: string): string[] {
  return origins.split(/[\s,]+/).filter(Boolean);
}

/** True for an origin as browsers send it: scheme, host and maybe port, nothing after. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.replace(/\/$/, '');
  } catch {
    return false;
  }
}

/** A draft after a change of kind: a browser key may only ingest, so its scopes become exactly that. */
export function withKind(draft: KeyDraft, kind: KeyKind): KeyDraft {
  return { ...draft, kind, scopes: kind === 'browser' ? ['ingest'] : draft.scopes };
}

/** What is wrong with the draft, worded for the form; empty when it can be sent. */
export function keyDraftProblems(draft: KeyDraft): string[] {
  const problems: string[] = [];
  if (!draft.name.trim()) problems.push('Give the key a name, e.g. the service that will use it.');
  if (draft.scopes.length === 0) problems.push('Choose at least one scope.');
  if (draft.kind === 'browser') {
    if (draft.scopes.some((s) => s !== 'ingest')) problems.push('A browser key can only ingest: it ships in your pages, where anyone can read it.');
    const origins = originList(draft.origins);
    if (origins.length === 0) problems.push('List the origins your pages are served from, e.g. https://app.example.com.');
    const bad = origins.filter((o) => !isOrigin(o));
    if (bad.length > 0) problems.push(`Not an origin (scheme and host only, e.g. https://app.example.com): ${bad.join(', ')}`);
  }
  return problems;
}

/** The request body for a draft without problems. */
export function newKeyBody(draft: KeyDraft): NewKeyBody {
  const service = draft.service.trim();
  return {
    name: draft.name.trim(),
    kind: draft.kind,
    scopes: [...draft.scopes],
    ...(service ? { service } : {}),
    ...(draft.kind === 'browser' ? { origins: originList(draft.origins).map((o) => o.replace(/\/$/, '')) } : {}),
  };
}
