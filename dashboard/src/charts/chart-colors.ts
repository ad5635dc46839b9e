/**
 * Series colours, chosen for at least 4.5:1 contrast against the white
 * chart background and to stay apart for common colour-vision deficiencies.
 */
export const CHART_COLORS = {
  blue: '#1f5fbf',
  red: '#b3261e',
  orange: '#a14e00',
  purple: '#6b3fa0',
  green: '#1b6e35',
  grey: '#545d6b',
  deploy: '#7a3e9d',
  grid: '#e3e7ee',
} as const;
