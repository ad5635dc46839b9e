'use client';

import { formatDateTime } from '@/shared/format';
import { QueryStates } from '@/shared/QueryStates';
import { ObjectiveCard } from './ObjectiveCard';
import { useObjectives } from './use-objectives';

/** Every objective as a card, over its own trailing window. */
export function ObjectiveList() {
  const objectives = useObjectives();
  const { data } = objectives;
  return (
    <section aria-labelledby="objectives-title" data-section="objectives">
      <div className="tv-section-heading">
        <h2 id="objectives-title">Objectives</h2>
        {data ? <p className="tv-muted">Evaluated {formatDateTime(Date.parse(data.evaluated_at))}, client-side telemetry of every service.</p> : null}
      </div>
      <QueryStates query={objectives} loadingLabel="Loading the objectives…" />
      {data ? (
        <div className="tv-objectives">
          {data.objectives.map((objective) => (
            <ObjectiveCard key={objective.id} objective={objective} />
          ))}
        </div>
      ) : null}
    </section>
  );
}
