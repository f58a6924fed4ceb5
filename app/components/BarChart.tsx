/**
 * A horizontal bar chart drawn on the server as inline SVG: no script, no library. It is an
 * image with a title and a description for screen readers; the figures themselves are in a
 * table on the same page, which stays the source.
 */
export type Bar = { label: string; value: number; valueText: string };

const WIDTH = 640;
const ROW = 48;
const BAR = 20;
const PAD = 8;

export function BarChart({ id, title, description, bars }: { id: string; title: string; description: string; bars: readonly Bar[] }) {
  const max = Math.max(0, ...bars.map((b) => b.value));
  const height = Math.max(ROW, bars.length * ROW) + PAD;
  const valueSpace = 96;
  const scale = (value: number) => (max > 0 ? (value / max) * (WIDTH - valueSpace) : 0);
  return (
    <svg
      className="chart"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      preserveAspectRatio="xMinYMin meet"
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      {bars.map((bar, i) => {
        const y = i * ROW + PAD;
        const w = scale(bar.value);
        return (
          <g key={bar.label}>
            <text x={0} y={y + 12} fontSize={14} fill="#1b1b1f">
              {bar.label.length > 80 ? `${bar.label.slice(0, 79)}…` : bar.label}
            </text>
            <rect x={0} y={y + 18} width={Math.max(w, bar.value > 0 ? 2 : 0)} height={BAR} fill="#8a1c3c" />
            <text x={w + 6} y={y + 18 + BAR - 5} fontSize={14} fill="#1b1b1f">
              {bar.valueText}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
