export interface Bar {
  label: string;
  value: number;
  /** The value as people read it (e.g. "€12.50"). */
  text: string;
}

const WIDTH = 640;
const BAR_HEIGHT = 22;
const GAP = 6;
const LABEL_WIDTH = 180;
const VALUE_WIDTH = 110;
/** Characters of a label that fit LABEL_WIDTH at 13 px in a wide sans font (~7.5 px each); longer ones end in "…" (the table has them whole). */
const LABEL_CHARS = 22;

const fitted = (label: string) => (label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label);

/**
 * A horizontal bar chart as inline SVG (no script): one bar per entry, scaled to the largest
 * absolute value. It is decorative for assistive technology (aria-hidden): the table next to it
 * holds the same numbers and is the accessible form; `summary` is its short text alternative.
 */
export function BarChart({ bars, summary }: { bars: readonly Bar[]; summary: string }) {
  if (bars.length === 0) return null;
  const largest = Math.max(1, ...bars.map((bar) => Math.abs(bar.value)));
  const plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = bars.length * (BAR_HEIGHT + GAP) + GAP;
  return (
    <figure class="report-chart">
      <svg width="100%" viewBox={`0 0 ${WIDTH} ${height}`} aria-hidden="true" focusable="false" role="presentation" style="max-width: 48rem">
        {bars.map((bar, index) => {
          const y = GAP + index * (BAR_HEIGHT + GAP);
          const length = Math.round((Math.abs(bar.value) / largest) * plot);
          return (
            <g key={`${bar.label}-${index}`}>
              <text x={LABEL_WIDTH - 8} y={y + BAR_HEIGHT / 2} text-anchor="end" dominant-baseline="middle" font-size="13" fill="currentColor">
                <title>{bar.label}</title>
                {fitted(bar.label)}
              </text>
              <rect x={LABEL_WIDTH} y={y} width={Math.max(length, 1)} height={BAR_HEIGHT} fill={bar.value < 0 ? '#b42318' : '#1d4ed8'} />
              <text x={LABEL_WIDTH + Math.max(length, 1) + 6} y={y + BAR_HEIGHT / 2} dominant-baseline="middle" font-size="13" fill="currentColor">
                {bar.text}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="muted">{summary}</figcaption>
    </figure>
  );
}
