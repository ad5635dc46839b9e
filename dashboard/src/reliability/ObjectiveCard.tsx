'use client';

import { useId } from 'react';
import type { ObjectiveStatus } from '@/collector-api/types';
import { formatCount } from '@/shared/format';
import { LoadingState } from '@/shared/LoadingState';
import { ErrorState } from '@/shared/ErrorState';
import { BudgetBurnList } from './BudgetBurnList';
import { ErrorBudget } from './ErrorBudget';
import { ObjectiveTrendChart } from './ObjectiveTrendChart';
import { formatBurn, formatShare, MEASURE_WORDS, targetWords } from './reliability-words';
import { useObjectiveTrend } from './use-objective-trend';

/** One objective: attainment over its window against the target, the budget left, how fast it burns, the daily trend and the hours that burned it. */
export function ObjectiveCard({ objective }: { objective: ObjectiveStatus }) {
  const titleId = useId();
  const burnsId = useId();
  const trend = useObjectiveTrend(objective);
  const met = objective.attainment === null || objective.attainment >= objective.target;
  const { unit } = MEASURE_WORDS[objective.measure];
  return (
    <section className="tv-card tv-objective" aria-labelledby={titleId} data-objective={objective.id}>
      <h3 id={titleId}>{objective.name}</h3>
      <p className="tv-objective-headline">
        <span className={`tv-objective-value tv-objective-${met ? 'met' : 'missed'}`} data-attainment>
          {formatShare(objective.attainment, 3)}
        </span>
        <span className="tv-muted">
          {targetWords(objective)} · {objective.attainment === null ? 'nothing counted yet' : met ? 'met' : 'missed'}
        </span>
      </p>
      <p className="tv-muted tv-objective-counts">
        {formatCount(objective.good)} good of {formatCount(objective.total)} {unit}
      </p>
      <ErrorBudget remaining={objective.error_budget_remaining} />
      <dl className="tv-burn-rates">
        <div data-burn="1h">
          <dt>Burn, last hour</dt>
          <dd>{formatBurn(objective.burn_rate['1h'])}</dd>
        </div>
        <div data-burn="6h">
          <dt>Burn, last 6 hours</dt>
          <dd>{formatBurn(objective.burn_rate['6h'])}</dd>
        </div>
        <div data-burn="window">
          <dt>Burn, {objective.window === '90d' ? '90' : '30'} days</dt>
          <dd>{formatBurn(objective.burn_rate.window)}</dd>
        </div>
      </dl>
      <p className="tv-muted tv-burn-note">A burn rate of 1× spends the budget exactly over the window; above it, the budget runs out early.</p>
      {trend.problem ? <ErrorState compact problem={trend.problem} onRetry={trend.refresh} /> : null}
      {trend.data && !trend.stale ? <ObjectiveTrendChart objective={objective} trend={trend.data} /> : trend.loading ? <LoadingState label="Loading the daily trend…" /> : null}
      <BudgetBurnList hours={objective.worst_hours} unit={unit} headingId={burnsId} />
    </section>
  );
}
