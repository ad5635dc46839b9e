'use client';

import { usePlotArea, useXAxisScale } from 'recharts';
import type { AlertSeverity } from '@/collector-api/types';
import { formatDateTime } from '@/shared/format';
import type { AlertPeriod } from './alert-period';
import { CHART_COLORS } from './chart-colors';
import { ChartOverlayItem } from './ChartOverlayItem';

/** An alert band the pointer or keyboard focus is on, and where its strip is drawn. */
export interface ActiveAlertPeriod {
  period: AlertPeriod;
  /** x of the band's middle inside the chart, in px. */
  x: number;
  y: number;
}

/** The solid colour of a severity's strip; the band is the same colour, translucent. */
export function alertColor(severity: AlertSeverity): string {
  return severity === 'page' ? CHART_COLORS.alertPage : severity === 'ticket' ? CHART_COLORS.alertTicket : CHART_COLORS.alertInfo;
}

/** What an alert band says, for its label and tooltip. */
export function describeAlertPeriod(period: AlertPeriod): string {
  const from = formatDateTime(period.firedAt ?? period.start);
  const until = period.end === null ? 'still active' : `until ${formatDateTime(period.end)}`;
  const state = period.firedAt === null ? 'pending' : 'firing';
  return `Alert ${period.title} (${period.severity}, ${period.labels}) ${state} from ${from}, ${until}${period.silenced ? ', silenced' : ''}: ${period.summary}`;
}

/** Band fill opacity: firing stands out, pending (before it fired) is fainter. */
const FIRING_OPACITY = 0.12;
const PENDING_OPACITY = 0.05;
/** Height of the solid strip along the top of the plot: the visible, hoverable and focusable part. */
const STRIP = 5;

/**
 * Shades each alert period inside the chart's range: a translucent band
 * from onset (fainter while pending) to resolution, or to the right edge
 * while still active, with a solid strip along the top of the plot. Strips
 * are focusable; hovering or focusing one reports it through `onActive` so
 * the chart can show its tooltip. Drawn under the lines. Render inside a
 * recharts chart.
 */
export function AlertBands({
  periods,
  from,
  to,
  onActive,
}: {
  periods: readonly AlertPeriod[];
  from: number;
  to: number;
  onActive: (active: ActiveAlertPeriod | null) => void;
}) {
  const scale = useXAxisScale();
  const plot = usePlotArea();
  if (!scale || !plot) return null;
  const x = (t: number) => {
    const v = scale(Math.min(to, Math.max(from, t)));
    return v === undefined || !Number.isFinite(v) ? null : v;
  };
  return (
    <g className="tv-alert-bands">
      {periods.map((period) => {
        const end = period.end ?? to;
        if (end < from || period.start > to) return null;
        const x0 = x(period.start);
        const xFired = period.firedAt === null ? null : x(period.firedAt);
        const x1 = x(end);
        if (x0 === null || x1 === null) return null;
        const color = alertColor(period.severity);
        const top = plot.y;
        const firingStart = xFired ?? x1;
        return (
          <ChartOverlayItem
            key={period.id}
            className="tv-alert-band"
            data-alert-id={period.id}
            data-severity={period.severity}
            data-state={period.state}
            label={describeAlertPeriod(period)}
            onShow={() => onActive({ period, x: (x0 + x1) / 2, y: top })}
            onHide={() => onActive(null)}
          >
            {firingStart > x0 ? (
              <rect className="tv-alert-band-pending" x={x0} y={top} width={firingStart - x0} height={plot.height} fill={color} fillOpacity={PENDING_OPACITY} pointerEvents="none" />
            ) : null}
            {xFired !== null ? (
              <rect
                className="tv-alert-band-firing"
                x={xFired}
                y={top}
                width={Math.max(2, x1 - xFired)}
                height={plot.height}
                fill={color}
                fillOpacity={FIRING_OPACITY}
                pointerEvents="none"
              />
            ) : null}
            <rect
              className="tv-alert-band-strip"
              x={x0}
              y={top - STRIP}
              width={Math.max(4, x1 - x0)}
              height={STRIP}
              fill={color}
              fillOpacity={xFired === null ? 0.6 : 1}
            />
            {/* A taller transparent target makes the strip easy to hover. */}
            <rect className="tv-alert-band-target" x={x0} y={top - STRIP - 3} width={Math.max(8, x1 - x0)} height={STRIP + 8} fill="transparent" />
          </ChartOverlayItem>
        );
      })}
    </g>
  );
}
