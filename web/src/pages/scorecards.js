// Scorecards: the score of the mesh, of each domain and of a product, by the six product
// properties, with the trend over the checks as a chart.
import { html } from '../html.js';
import { api, qs } from '../api.js';
import { navigate } from '../router.js';
import { TrendChart } from '../chart.js';
import { ErrorBox, Loading, useAsync, useTitle } from '../ui.js';

function Bars({ properties }) {
  return html`<ul class="bars">${Object.entries(properties || {}).map(([k, v]) => html`<li><span class="bar-label">${k}</span>
    <span class="bar" role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(v)} aria-label=${k}><span class=${`fill w${Math.round(v / 5) * 5}`}></span></span>
    <span class="bar-value">${Math.round(v)}</span></li>`)}</ul>`;
}

export function ScorecardsPage({ query }) {
  const scope = query.get('scope') || 'mesh';
  const name = query.get('name') || '';
  useTitle(name ? `Scorecard ${name}` : 'Scorecards');
  const focus = useAsync(() => api(`scorecards${qs({ scope, name, history: 60 })}`), [scope, name]);
  const domains = useAsync(() => api(`scorecards${qs({ scope: 'domain' })}`), []);
  const item = focus.data?.items?.[0];
  const points = (focus.data?.history || []).map((h) => ({ t: Date.parse(h.checked_at), v: Math.round(h.score) })).filter((p) => !isNaN(p.t)).sort((a, b) => a.t - b.t);
  const title = scope === 'mesh' ? 'The mesh' : `${scope === 'domain' ? 'Domain' : 'Product'} ${name}`;
  return html`<h1>Scorecards</h1>
    <p class="lead">Scores from 0 to 100 by the policies over the six product properties, recorded each time the mesh is checked (<code>tessera check</code>).</p>
    <section class="card" aria-labelledby="focus-h">
      <div class="card-head"><h2 id="focus-h" tabindex="-1">${title}</h2>
        ${scope !== 'mesh' && html`<a href="/scorecards">Whole mesh</a>`}
        ${scope === 'product' && html` <a href=${`/products/${name.replace('.', '/')}`}>Product page</a>`}</div>
      <${ErrorBox} error=${focus.error} />
      ${focus.loading && html`<${Loading} />`}
      ${item && html`<div class="score-row"><p class="big">${Math.round(item.score)}<span class="small"> / 100</span></p><${Bars} properties=${item.properties} /></div>`}
      ${focus.data && html`<${TrendChart} points=${points} label=${`Score of ${scope === 'mesh' ? 'the mesh' : name} over time`} />`}
    </section>
    <section class="card" aria-labelledby="dom-h">
      <h2 id="dom-h">Domains</h2>
      <${ErrorBox} error=${domains.error} />
      ${domains.loading && html`<${Loading} />`}
      ${domains.data && html`<div class="table-scroll" tabindex="0" role="region" aria-label="Domain scores">
        <table class="grid scores">
        <thead><tr><th scope="col">Domain</th><th scope="col">Score</th>${Object.keys(domains.data.items[0]?.properties || {}).map((k) => html`<th scope="col">${k}</th>`)}</tr></thead>
        <tbody>${domains.data.items.map((d) => html`<tr aria-current=${scope === 'domain' && name === d.name ? 'true' : undefined}>
          <th scope="row"><a href=${`/scorecards?scope=domain&name=${encodeURIComponent(d.name)}`} onClick=${(e) => {
            e.preventDefault();
            navigate(`/scorecards?scope=domain&name=${encodeURIComponent(d.name)}`);
            scrollTo(0, 0);
            document.getElementById('focus-h')?.focus();
          }}>${d.name}</a></th>
          <td><strong>${Math.round(d.score)}</strong></td>
          ${Object.values(d.properties || {}).map((v) => html`<td>${Math.round(v)}</td>`)}</tr>`)}</tbody>
      </table></div>`}
    </section>`;
}
