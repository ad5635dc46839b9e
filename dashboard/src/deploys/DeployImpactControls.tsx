'use client';

import type { Deploy } from '@/collector-api/types';
import { formatDateTime } from '@/shared/format';
import { WINDOW_CHOICES, type WindowId } from './deploys-query';

/** Props of {@link DeployImpactControls}. */
export interface DeployImpactControlsProps {
  deploys: readonly Deploy[];
  selectedId: string;
  compareId: string | undefined;
  window: WindowId;
  onChange: (patch: Record<string, string | undefined>) => void;
}

/** Window length and the deploy to compare with, both kept in the URL. */
export function DeployImpactControls({ deploys, selectedId, compareId, window, onChange }: DeployImpactControlsProps) {
  const others = [...deploys].reverse().filter((d) => d.id !== selectedId);
  return (
    <div className="tv-impact-controls">
      <div className="tv-field">
        <label htmlFor="impact-window">Window</label>
        <select id="impact-window" value={window} onChange={(e) => onChange({ window: e.target.value === '15m' ? undefined : e.target.value })}>
          {WINDOW_CHOICES.map((w) => (
            <option key={w.id} value={w.id}>
              {w.label} before and after
            </option>
          ))}
        </select>
      </div>
      <div className="tv-field">
        <label htmlFor="impact-compare">Compare with</label>
        <select id="impact-compare" value={compareId ?? ''} onChange={(e) => onChange({ compare: e.target.value || undefined })}>
          <option value="">No comparison</option>
          {others.map((d) => (
            <option key={d.id} value={d.id}>
              {d.service} {d.version} · {d.environment} · {formatDateTime(Date.parse(d.time))}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
