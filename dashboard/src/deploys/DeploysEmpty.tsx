'use client';

import { useCollectorUrl } from '@/layout/CollectorUrlProvider';
import { DEPLOY_LIST_DAYS } from './use-deploys';

/** No deploys recorded: how to record one from CI. */
export function DeploysEmpty() {
  const collectorUrl = useCollectorUrl();
  return (
    <div role="status" className="tv-state tv-state-empty" data-state="empty">
      <p className="tv-state-title">No deploys recorded in the last {DEPLOY_LIST_DAYS} days.</p>
      <p>Record one from CI right after each rollout starts; it then shows as a marker on every chart:</p>
      <pre className="tv-code">
        {`curl -fsS -X POST ${collectorUrl}/api/v1/deploys \\
  -H 'content-type: application/json' \\
  -d '{"service":"chat-gateway","version":"5.2.1","environment":"production","commit":"9f1c2ab"}'`}
      </pre>
    </div>
  );
}
