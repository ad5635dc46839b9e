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
  /** Alert periods by severity: the band is this colour, translucent; its top strip is solid (at least 3:1 on white). */
  alertPage: '#b3261e',
  alertTicket: '#a14e00',
  alertInfo: '#545d6b',
  grid: '#e3e7ee',
} as const;
