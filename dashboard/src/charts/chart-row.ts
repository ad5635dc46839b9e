/** One x position of a time chart: the bucket start (epoch ms) and a value per series key. */
export interface ChartRow {
  t: number;
  [seriesKey: string]: number | null;
}

/** A line on a time chart. */
export interface SeriesSpec {
  /** Key into each ChartRow. */
  key: string;
  /** Legend and tooltip name. */
  label: string;
  color: string;
  /** Dashed strokes tell apart series of similar colour. */
  dashed?: boolean;
}
