// A directed graph drawn as SVG, laid out by dagre: the lineage of a product or column, and the
// domain map. Nodes are focusable (Tab), Enter or a click opens them; the graph scrolls inside
// its box when it is larger than the screen.
import dagre from '@dagrejs/dagre';
import { useMemo } from 'preact/hooks';
import { html } from './html.js';

const CHAR = 7.2;   // average width of a 12px character of the UI font
const PAD = 14;

function measure(n) {
  const longest = Math.max((n.label || n.id).length * 1.1, (n.sub || '').length);
  return { width: Math.max(90, Math.round(longest * CHAR + 2 * PAD)), height: n.sub ? 46 : 32 };
}

function layout(nodes, edges, rankdir) {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir, nodesep: 18, ranksep: 56, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { ...measure(n) });
  for (const e of edges) if (g.hasNode(e.from) && g.hasNode(e.to)) g.setEdge(e.from, e.to, e.label ? { label: e.label, width: e.label.length * CHAR, height: 14 } : {});
  dagre.layout(g);
  return g;
}

function pathOf(points) {
  return points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

// nodes: [{id, label, sub?, tone?: 'root'|'source'|'gap'|'column', href?}], edges: [{from, to, label?}]
export function Graph({ nodes, edges, label, rankdir = 'LR', onOpen, selected }) {
  const g = useMemo(() => layout(nodes, edges, rankdir), [JSON.stringify(nodes), JSON.stringify(edges), rankdir]);
  const { width = 0, height = 0 } = g.graph();
  const byId = Object.fromEntries(nodes.map((n) => [n.id, n]));
  const key = (e, n) => {
    if ((e.key === 'Enter' || e.key === ' ') && n.href) {
      e.preventDefault();
      onOpen?.(n);
    }
  };
  return html`<div class="graph-box">
    <svg role="group" aria-label=${label} width=${Math.ceil(width)} height=${Math.ceil(height)}
      viewBox=${`0 0 ${Math.ceil(width)} ${Math.ceil(height)}`} class="graph">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" class="arrowhead" />
        </marker>
      </defs>
      <g aria-hidden="true">
        ${g.edges().map((e) => {
          const ed = g.edge(e);
          return html`<g key=${`${e.v}->${e.w}`}>
            <path d=${pathOf(ed.points)} class="edge" marker-end="url(#arrow)" />
            ${ed.label && html`<text x=${ed.x} y=${ed.y + 4} class="edge-label" text-anchor="middle">${ed.label}</text>`}
          </g>`;
        })}
      </g>
      ${g.nodes().map((id) => {
        const n = byId[id];
        const box = g.node(id);
        const x = box.x - box.width / 2;
        const y = box.y - box.height / 2;
        const cls = `node ${n.tone || ''} ${n.href ? 'link' : ''} ${selected === id ? 'selected' : ''}`;
        // A link's name is its visible text; a plain node (a source) is an image named by it.
        const name = `${n.label || id}${n.sub ? `, ${n.sub}` : ''}`;
        return html`<g key=${id} class=${cls} transform=${`translate(${x},${y})`}
          tabindex=${n.href ? 0 : -1} role=${n.href ? 'link' : 'img'} aria-label=${n.href ? undefined : name} data-node=${id}
          onClick=${() => n.href && onOpen?.(n)} onKeyDown=${(e) => key(e, n)}>
          <rect width=${box.width} height=${box.height} rx="6" />
          <text x=${box.width / 2} y=${n.sub ? 19 : 20} text-anchor="middle" class="label">${n.label || id}</text>
          ${n.sub && html`<text x=${box.width / 2} y="36" text-anchor="middle" class="sub">${n.sub}</text>`}
        </g>`;
      })}
    </svg>
  </div>`;
}
