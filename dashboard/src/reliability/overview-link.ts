import type { BudgetBurn } from '@/collector-api/types';

/** The Overview over one hour that burned budget: `/?range=custom&from=<ISO>&to=<ISO>`, as the Overview reads its range. */
export function overviewHref(hour: Pick<BudgetBurn, 'from' | 'to'>): string {
  return `/?${new URLSearchParams({ range: 'custom', from: hour.from, to: hour.to }).toString()}`;
}
