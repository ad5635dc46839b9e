import type { DataAttributes } from './data-attributes';

/** One headline number on a card. */
export interface Stat {
  /** Stable id, exposed as `data-stat` for tests. */
  id: string;
  label: string;
  /** The number with its unit, already formatted. */
  value: string;
  /** One line of context under the value. */
  note: string;
  /** Colours the card's edge; without it the card keeps the default accent. */
  tone?: 'good' | 'bad' | 'neutral';
}

/** Props of {@link StatList}; its `data-*` attributes go on the list. */
export interface StatListProps extends DataAttributes {
  stats: readonly Stat[];
  /** Classes added to `tv-stats`. */
  className?: string;
}

/** Headline numbers as a description list of cards: label, value and note. */
export function StatList({ stats, className, ...data }: StatListProps) {
  return (
    <dl className={className ? `tv-stats ${className}` : 'tv-stats'} {...data}>
      {stats.map((stat) => (
        <div key={stat.id} className={stat.tone ? `tv-stat tv-stat-${stat.tone}` : 'tv-stat'} data-stat={stat.id}>
          <dt>{stat.label}</dt>
          <dd>
            <span className="tv-stat-value">{stat.value}</span>
            <span className="tv-stat-note">{stat.note}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
