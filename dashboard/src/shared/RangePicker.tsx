'use client';

import { useId, useState, type FormEvent } from 'react';
import { fromLocalInput, toLocalInput } from './local-datetime';
import { RANGE_PRESETS, resolveRange, type RangeSelection } from './time-range';

/** Props of {@link RangePicker}. */
export interface RangePickerProps {
  selection: RangeSelection;
  /** Called with the URL params to set: `range`, and `from`/`to` for a custom range. */
  onChange: (patch: Record<string, string | undefined>) => void;
}

/** Time range: one-click presets that follow the clock, or a custom from/to. */
export function RangePicker({ selection, onChange }: RangePickerProps) {
  const [customOpen, setCustomOpen] = useState(selection.kind === 'custom');
  const [problem, setProblem] = useState<string | null>(null);
  const fromId = useId();
  const toId = useId();
  const bounds = resolveRange(selection, Date.now());

  const applyCustom = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const from = fromLocalInput(String(form.get('from') ?? ''));
    const to = fromLocalInput(String(form.get('to') ?? ''));
    if (from === undefined || to === undefined) return setProblem('Give both a start and an end.');
    if (from >= to) return setProblem('The start must be before the end.');
    setProblem(null);
    onChange({ range: 'custom', from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  };

  return (
    <div className="tv-range">
      <div role="group" aria-label="Time range" className="tv-segmented">
        {RANGE_PRESETS.map((preset) => {
          const pressed = selection.kind === 'preset' && selection.preset === preset.id;
          return (
            <button
              key={preset.id}
              type="button"
              aria-pressed={pressed}
              data-range={preset.id}
              onClick={() => {
                setCustomOpen(false);
                onChange({ range: preset.id, from: undefined, to: undefined });
              }}
            >
              {preset.id}
            </button>
          );
        })}
        <button
          type="button"
          aria-pressed={selection.kind === 'custom'}
          aria-expanded={customOpen}
          data-range="custom"
          onClick={() => setCustomOpen((open) => !open)}
        >
          Custom…
        </button>
      </div>
      {customOpen ? (
        <form className="tv-custom-range" onSubmit={applyCustom} key={`${bounds.from}-${bounds.to}`}>
          <label htmlFor={fromId}>From</label>
          <input id={fromId} name="from" type="datetime-local" defaultValue={toLocalInput(bounds.from)} required />
          <label htmlFor={toId}>To</label>
          <input id={toId} name="to" type="datetime-local" defaultValue={toLocalInput(bounds.to)} required />
          <button type="submit" className="tv-button">
            Apply range
          </button>
          {problem ? (
            <p role="alert" className="tv-field-error">
              {problem}
            </p>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
