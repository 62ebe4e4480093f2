import type { CardContent } from '../kernel/module/index.ts';
import { formatMoney } from '../kernel/money/index.ts';
import { BarChart } from './bar-chart.tsx';

export interface LoadedCard {
  id: string;
  title: string;
  wide: boolean;
  /** Null when the card could not be loaded; the rest of the dashboard still shows. */
  content: CardContent | null;
}

const TREND_SYMBOL = { up: '▲', down: '▼', flat: '■' } as const;

function chartFormat(chart: NonNullable<CardContent['chart']>): (value: number) => string {
  const { currency } = chart;
  return chart.format === 'money' && currency ? (value) => formatMoney(value, currency) : (value) => String(value);
}

/** One dashboard card: its headline, chart and list, or an empty state with the next step. */
export function DashboardCard({ card }: { card: LoadedCard }) {
  const { content } = card;
  const headingId = `card-${card.id}`;
  const isEmpty = content !== null && !content.headline && !content.chart && (content.items?.length ?? 0) === 0;
  return (
    <section class={card.wide ? 'card dashboard-card wide' : 'card dashboard-card'} aria-labelledby={headingId}>
      <h2 id={headingId}>{card.title}</h2>
      {content === null && <p class="muted">This card could not be loaded just now. Reload the page to try again.</p>}
      {content?.headline && (
        <p class="headline">
          <span class="figure">{content.headline.value}</span>
          {content.headline.caption && <span class="muted"> {content.headline.caption}</span>}
          {content.headline.trend && (
            <span class={`trend ${content.headline.trend.direction}`}>
              <span aria-hidden="true">{TREND_SYMBOL[content.headline.trend.direction]} </span>
              {content.headline.trend.text}
            </span>
          )}
        </p>
      )}
      {content?.chart && <BarChart points={content.chart.points} caption={content.chart.caption} format={chartFormat(content.chart)} />}
      {content?.items && content.items.length > 0 && (
        <ul class="card-list">
          {content.items.map((item, index) => (
            <li key={index}>
              {item.href ? <a href={item.href}>{item.label}</a> : <span>{item.label}</span>}
              {item.detail && <span class="muted">{item.detail}</span>}
            </li>
          ))}
        </ul>
      )}
      {isEmpty && content?.empty && (
        <div class="empty-state compact">
          <p>{content.empty.text}</p>
          {content.empty.action && (
            <a class="button secondary" href={content.empty.action.href}>
              {content.empty.action.label}
            </a>
          )}
        </div>
      )}
      {content?.link && (
        <p class="card-link">
          <a href={content.link.href}>{content.link.label}</a>
        </p>
      )}
    </section>
  );
}
