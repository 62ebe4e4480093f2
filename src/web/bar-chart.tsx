import type { ChartPoint } from '../kernel/module/index.ts';

const WIDTH = 320;
const HEIGHT = 120;
const AXIS = 18;
/** Room beside the bars for the first and last labels. */
const GUTTER = 20;

/**
 * A bar chart drawn on the server as SVG (no script). The figures are in the chart's text
 * alternative too, as a table only screen readers read, so the chart is never the only source.
 */
export function BarChart({ points, caption, format }: { points: readonly ChartPoint[]; caption: string; format: (value: number) => string }) {
  const max = Math.max(1, ...points.map((point) => point.value));
  const slot = WIDTH / Math.max(1, points.length);
  const bar = Math.max(2, slot * 0.7);
  const labelEvery = Math.ceil(points.length / 7);
  return (
    <figure class="chart">
      <svg viewBox={`${-GUTTER} 0 ${WIDTH + 2 * GUTTER} ${HEIGHT + AXIS}`} role="img" aria-label={caption}>
        <line x1="0" y1={HEIGHT + 0.5} x2={WIDTH} y2={HEIGHT + 0.5} class="axis" />
        {points.map((point, index) => {
          const height = Math.round((point.value / max) * (HEIGHT - 4));
          const x = index * slot + (slot - bar) / 2;
          return (
            <g key={index}>
              <rect x={x} y={HEIGHT - height} width={bar} height={Math.max(height, point.value > 0 ? 1 : 0)} rx="2" class={index === points.length - 1 ? 'bar current' : 'bar'}>
                <title>{`${point.label}: ${format(point.value)}`}</title>
              </rect>
              {index % labelEvery === 0 && (
                <text x={index * slot + slot / 2} y={HEIGHT + AXIS - 4} text-anchor="middle">
                  {point.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption class="muted">{caption}</figcaption>
      <table class="visually-hidden">
        <caption>{caption}</caption>
        <tbody>
          {points.map((point, index) => (
            <tr key={index}>
              <th scope="row">{point.label}</th>
              <td>{format(point.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
