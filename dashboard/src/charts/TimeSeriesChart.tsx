'use client';

import { useId, useRef, useState, type ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, YAxis } from 'recharts';
import type { Deploy } from '@/collector-api/types';
import type { AlertPeriod } from './alert-period';
import { AlertBands, type ActiveAlertPeriod } from './AlertBands';
import { AlertBandTooltip } from './AlertBandTooltip';
import { CHART_COLORS } from './chart-colors';
import type { ChartRow, SeriesSpec } from './chart-row';
import { ChartTooltip } from './ChartTooltip';
import { DeployMarkers, type ActiveDeploy } from './DeployMarkers';
import { DeployTooltip } from './DeployTooltip';
import { niceTicks } from './nice-ticks';
import { TimeAxis } from './TimeAxis';

/** Props of {@link TimeSeriesChart}. */
export interface TimeSeriesChartProps {
  /** Stable id, exposed as `data-chart` for tests and styling. */
  id: string;
  title: string;
  /** One line under the title: what is counted and in which unit. */
  description?: string;
  data: readonly ChartRow[];
  series: readonly SeriesSpec[];
  from: number;
  to: number;
  stepSeconds: number;
  /** Drawn as markers when inside [from, to]. */
  deploys: readonly Deploy[];
  /** Alert episodes to shade (those that concern this chart). */
  alertPeriods?: readonly AlertPeriod[];
  /** Formats a value with its unit ("42 ms", "19/min"). */
  formatValue: (value: number | null) => string;
  /** Points to draw larger and red (e.g. reconnect spikes). */
  isHighlighted?: (row: ChartRow, seriesKey: string) => boolean;
  /** Extra content in the header, such as a spike callout. */
  headline?: ReactNode;
  /** A sentence for screen readers summarising the data. */
  summary: string;
  /** Charts with the same syncId show their tooltips together. */
  syncId?: string;
  height?: number;
}

interface DotProps {
  cx?: number;
  cy?: number;
  index?: number;
  payload?: ChartRow;
  dataKey?: unknown;
}

/**
 * A time chart: one or more lines over the shared {@link TimeAxis}, a dot
 * per bucket with data (gaps where there is none), deploy markers and
 * shaded alert periods with their tooltips, and a legend. Used by every time chart in the dashboard.
 */
export function TimeSeriesChart(props: TimeSeriesChartProps) {
  const { id, title, description, data, series, from, to, stepSeconds, deploys, formatValue, isHighlighted, headline, summary } = props;
  const titleId = useId();
  const container = useRef<HTMLDivElement>(null);
  const [activeDeploy, setActiveDeploy] = useState<ActiveDeploy | null>(null);
  const [activeAlert, setActiveAlert] = useState<ActiveAlertPeriod | null>(null);
  const alertPeriods = props.alertPeriods ?? [];
  const start = Math.min(from, data[0]?.t ?? from);
  const height = props.height ?? 220;
  // Each bucket's value is drawn at the middle of its bucket, so a deploy
  // inside a bucket lines up with what it caused.
  const half = (stepSeconds * 1000) / 2;
  const plotted = data.map((row) => ({ ...row, x: row.t + half }));
  const values = data.flatMap((row) => series.map((s) => row[s.key])).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const yTicks = niceTicks(Math.max(0, ...values), values.every((v) => Number.isInteger(v)));

  const renderDot = (color: string) =>
    function SeriesDot(dot: DotProps) {
      const key = `${String(dot.dataKey)}-${dot.index}`;
      if (typeof dot.cx !== 'number' || typeof dot.cy !== 'number' || !Number.isFinite(dot.cy)) return <g key={key} />;
      const highlighted = Boolean(dot.payload && isHighlighted?.(dot.payload, String(dot.dataKey)));
      return (
        <circle
          key={key}
          className={`recharts-dot recharts-line-dot${highlighted ? ' tv-spike' : ''}`}
          cx={dot.cx}
          cy={dot.cy}
          r={highlighted ? 5 : 2.5}
          fill={highlighted ? CHART_COLORS.red : color}
          stroke="#fff"
          strokeWidth={highlighted ? 1.5 : 0.5}
        />
      );
    };

  return (
    <figure className="tv-chart" data-chart={id} aria-labelledby={titleId}>
      <figcaption className="tv-chart-header">
        <h3 id={titleId} className="tv-chart-title">
          {title}
        </h3>
        {description ? <p className="tv-chart-description">{description}</p> : null}
        {headline}
        {alertPeriods.length > 0 ? (
          <p className="tv-chart-alerts" data-alert-count={alertPeriods.length}>
            <span className="tv-swatch tv-swatch-alert" aria-hidden="true" />
            Shaded: {alertPeriods.length === 1 ? `alert “${alertPeriods[0]!.title}”` : `${alertPeriods.length} alert periods`}
            {alertPeriods.some((p) => p.end === null) ? ', still active' : ''}
          </p>
        ) : null}
        <p className="tv-visually-hidden">{summary}</p>
        {series.length > 1 ? (
          <ul className="tv-legend" aria-label="Series">
            {series.map((s) => (
              <li key={s.key}>
                <span className={`tv-swatch${s.dashed ? ' tv-swatch-dashed' : ''}`} style={{ background: s.color }} aria-hidden="true" />
                {s.label}
              </li>
            ))}
          </ul>
        ) : null}
      </figcaption>
      <div className="tv-chart-body" ref={container} style={{ height }}>
        <LineChart
          responsive
          style={{ width: '100%', height }}
          data={plotted}
          margin={{ top: 22, right: 16, bottom: 4, left: 4 }}
          syncId={props.syncId}
          syncMethod="value"
          accessibilityLayer
        >
          <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
          <AlertBands periods={alertPeriods} from={start} to={to} onActive={setActiveAlert} />
          <TimeAxis from={start} to={to} />
          <YAxis
            width={72}
            domain={[0, yTicks[yTicks.length - 1]!]}
            ticks={yTicks}
            interval={0}
            tickFormatter={(value: number) => formatValue(value)}
            tick={{ fill: '#3d4555', fontSize: 12 }}
            stroke="#8a93a3"
          />
          <Tooltip
            isAnimationActive={false}
            content={(tooltip) => (
              <ChartTooltip
                active={tooltip.active}
                payload={tooltip.payload as never}
                bucketStart={typeof tooltip.label === 'number' ? tooltip.label - half : undefined}
                series={series}
                formatValue={formatValue}
                stepSeconds={stepSeconds}
              />
            )}
          />
          {series.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.label}
              type="linear"
              stroke={s.color}
              strokeWidth={2}
              strokeDasharray={s.dashed ? '6 3' : undefined}
              dot={renderDot(s.color)}
              activeDot={{ r: 4 }}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
          <DeployMarkers deploys={deploys} from={start} to={to} onActive={setActiveDeploy} />
        </LineChart>
        {activeDeploy ? <DeployTooltip active={activeDeploy} chartWidth={container.current?.clientWidth ?? 600} /> : null}
        {activeAlert && !activeDeploy ? <AlertBandTooltip active={activeAlert} chartWidth={container.current?.clientWidth ?? 600} /> : null}
      </div>
    </figure>
  );
}
