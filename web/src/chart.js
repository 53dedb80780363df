// A line chart of scores over time, hand-written SVG: the trend of a scorecard.
import { html } from './html.js';

export function TrendChart({ points, label, width = 640, height = 220 }) {
  if (!points.length) return html`<p class="muted">No history yet: scores are recorded each time the policies are checked.</p>`;
  const pad = { l: 40, r: 16, t: 12, b: 34 };
  const xs = points.map((p) => p.t);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const sx = (t) => pad.l + (x1 === x0 ? (width - pad.l - pad.r) / 2 : ((t - x0) / (x1 - x0)) * (width - pad.l - pad.r));
  const sy = (v) => pad.t + (1 - v / 100) * (height - pad.t - pad.b);
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${sx(p.t).toFixed(1)},${sy(p.v).toFixed(1)}`).join(' ');
  const fmt = (t) => new Date(t).toISOString().slice(5, 16).replace('T', ' ');
  const ticks = points.length > 1 ? [points[0], points[points.length - 1]] : points;
  return html`<figure class="chart">
    <svg viewBox=${`0 0 ${width} ${height}`} role="img" aria-label=${`${label}: from ${points[0].v} to ${points[points.length - 1].v} over ${points.length} checks`}>
      ${[0, 25, 50, 75, 100].map((v) => html`<g><line x1=${pad.l} x2=${width - pad.r} y1=${sy(v)} y2=${sy(v)} class="gridline" />
        <text x=${pad.l - 6} y=${sy(v) + 4} text-anchor="end" class="axis">${v}</text></g>`)}
      <path d=${d} class="trend" />
      ${points.map((p) => html`<circle cx=${sx(p.t)} cy=${sy(p.v)} r="3.5" class="dot"><title>${fmt(p.t)}: ${p.v}</title></circle>`)}
      ${ticks.map((p, i) => html`<text x=${sx(p.t)} y=${height - 10} text-anchor=${i ? 'end' : 'start'} class="axis">${fmt(p.t)} UTC</text>`)}
    </svg>
    <figcaption class="small muted">${label}</figcaption>
  </figure>`;
}
