'use client';

import { usePlotArea, useXAxisScale } from 'recharts';
import type { Deploy } from '@/collector-api/types';
import { formatDateTime, shortCommit } from '@/shared/format';
import { CHART_COLORS } from './chart-colors';
import { ChartOverlayItem } from './ChartOverlayItem';

/** A deploy marker the pointer or keyboard focus is on, and where it is drawn. */
export interface ActiveDeploy {
  deploy: Deploy;
  /** x of the marker inside the chart, in px. */
  x: number;
  y: number;
}

/** What a deploy marker says, for its label and tooltip. */
export function describeDeploy(deploy: Deploy): string {
  const commit = deploy.commit ? `, commit ${shortCommit(deploy.commit)}` : '';
  return `Deploy of ${deploy.service} ${deploy.version} (${deploy.environment})${commit} at ${formatDateTime(Date.parse(deploy.time))}`;
}

/**
 * Draws each deploy inside the chart's time range as a dashed vertical line
 * with a flag above the plot. Flags are focusable; hovering or focusing one
 * reports it through `onActive` so the chart can show its tooltip.
 * Render inside a recharts chart.
 */
export function DeployMarkers({
  deploys,
  from,
  to,
  onActive,
}: {
  deploys: readonly Deploy[];
  from: number;
  to: number;
  onActive: (active: ActiveDeploy | null) => void;
}) {
  const scale = useXAxisScale();
  const plot = usePlotArea();
  if (!scale || !plot) return null;
  return (
    <g className="tv-deploy-markers">
      {deploys.map((deploy) => {
        const at = Date.parse(deploy.time);
        if (at < from || at > to) return null;
        const x = scale(at);
        if (x === undefined || !Number.isFinite(x)) return null;
        const top = plot.y;
        return (
          <ChartOverlayItem
            key={deploy.id}
            className="tv-deploy-marker"
            data-deploy-id={deploy.id}
            data-version={deploy.version}
            label={describeDeploy(deploy)}
            onShow={() => onActive({ deploy, x, y: top })}
            onHide={() => onActive(null)}
          >
            <line x1={x} x2={x} y1={top} y2={top + plot.height} stroke={CHART_COLORS.deploy} strokeWidth={1.5} strokeDasharray="4 3" />
            <path d={`M${x},${top - 14} l7,4 l-7,4 z`} fill={CHART_COLORS.deploy} />
            <line x1={x} x2={x} y1={top - 14} y2={top} stroke={CHART_COLORS.deploy} strokeWidth={1.5} />
            {/* A wider transparent target makes the flag easy to hover. */}
            <rect x={x - 8} y={top - 18} width={18} height={20} fill="transparent" />
          </ChartOverlayItem>
        );
      })}
    </g>
  );
}
