// The domain map: domains and the dependencies between them, drawn as a graph, with ownership
// gaps highlighted; a domain's page lists its products (a page at a time) and their inputs.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, qs } from '../api.js';
import { navigate } from '../router.js';
import { Graph } from '../graph.js';
import { Badge, ErrorBox, Loading, useAsync, useTitle } from '../ui.js';

function Gaps({ gaps }) {
  if (!gaps?.length) return html`<span class="muted small">none</span>`;
  return html`<ul class="gaps">${gaps.map((g) => html`<li><${Badge} tone="bad">${g.kind.replaceAll(/[-_]/g, ' ')}<//> ${g.message}${g.products ? html` <span class="small">(${g.products} products)</span>` : ''}</li>`)}</ul>`;
}

export function MapPage() {
  useTitle('Domain map');
  const m = useAsync(() => api('map'), []);
  if (m.error) return html`<h1>Domain map</h1><${ErrorBox} error=${m.error} />`;
  if (!m.data) return html`<h1>Domain map</h1><${Loading} />`;
  const gapCount = m.data.domains.reduce((n, d) => n + (d.gaps?.length || 0), 0);
  const nodes = m.data.domains.map((d) => ({
    id: d.name,
    label: d.title || d.name,
    sub: `${d.products} product${d.products === 1 ? '' : 's'}${d.gaps?.length ? ` · ${d.gaps.length} gap${d.gaps.length === 1 ? '' : 's'}` : ''}${d.owner_team ? '' : ' · no owner'}`,
    tone: d.gaps?.length ? 'gap' : '',
    href: `/domains/${d.name}`,
    aria: `domain ${d.name}, ${d.products} products${d.gaps?.length ? `, ${d.gaps.length} ownership gaps` : ''}`,
  }));
  const edges = m.data.edges.map((e) => ({ from: e.from, to: e.to, label: String(e.products) }));
  return html`<h1>Domain map</h1>
    <p class="lead">${m.data.domains.length} domains. An arrow runs from a domain to the domains whose products read it; its number counts the products that read across it.
      ${gapCount ? html` <strong>${gapCount} ownership gap${gapCount === 1 ? '' : 's'}</strong> ${gapCount === 1 ? 'is' : 'are'} marked in red.` : ' No ownership gaps.'}</p>
    <section class="card" aria-labelledby="map-h">
      <h2 id="map-h">Domains and their dependencies</h2>
      <p class="small muted">Tab to a domain and press Enter to open it.</p>
      <${Graph} nodes=${nodes} edges=${edges} label="Domains and the dependencies between them" onOpen=${(n) => navigate(n.href)} />
    </section>
    <section class="card" aria-labelledby="domains-h">
      <h2 id="domains-h">Domains</h2>
      <div class="table-scroll" tabindex="0" role="region" aria-label="Domains">
      <table class="grid">
        <thead><tr><th scope="col">Domain</th><th scope="col">Owner team</th><th scope="col">Products</th><th scope="col">Ownership gaps</th></tr></thead>
        <tbody>${m.data.domains.map((d) => html`<tr class=${d.gaps?.length ? 'has-gap' : ''}>
          <th scope="row"><a href=${`/domains/${d.name}`}>${d.title || d.name}</a> <code class="small">${d.name}</code></th>
          <td>${d.owner_team || html`<${Badge} tone="bad">none<//>`}</td><td>${d.products}</td><td><${Gaps} gaps=${d.gaps} /></td></tr>`)}</tbody>
      </table></div>
    </section>`;
}

export function DomainPage({ domain }) {
  useTitle(`Domain ${domain}`);
  const [cursor, setCursor] = useState('');
  const m = useAsync(() => api(`map${qs({ domain, cursor, limit: 50 })}`), [domain, cursor]);
  const info = useAsync(() => api(`domains/${encodeURIComponent(domain)}`), [domain]);
  if (m.error) return html`<h1>Domain ${domain}</h1><${ErrorBox} error=${m.error} />`;
  if (!m.data) return html`<h1>Domain ${domain}</h1><${Loading} />`;
  const d = m.data.domains.find((x) => x.name === domain) || { name: domain, gaps: [] };
  // Product names come as `domain.product`.
  const products = (m.data.products || []).map((p) => {
    const full = p.name.includes('.') ? p.name : `${domain}.${p.name}`;
    return { ...p, full, short: full.slice(full.indexOf('.') + 1) };
  });
  const ids = new Set(products.map((p) => p.full));
  const nodes = products.map((p) => ({ id: p.full, label: p.short, sub: p.gaps?.length ? `${p.gaps.length} gaps` : p.owner || 'no owner', tone: p.gaps?.length ? 'gap' : 'root', href: `/products/${domain}/${p.short}` }));
  const edges = [];
  for (const p of products) {
    for (const i of p.inputs || []) {
      if (!ids.has(i)) {
        ids.add(i);
        const [dd, pp] = i.split('.');
        nodes.push({ id: i, label: i, sub: i.startsWith('source:') ? 'source' : 'other domain', tone: 'source', href: pp && !i.startsWith('source:') ? `/products/${dd}/${pp}` : undefined });
      }
      edges.push({ from: i, to: p.full });
    }
  }
  return html`<p class="crumbs"><a href="/domains">Domain map</a> / ${domain}</p>
    <h1>${info.data?.spec?.title || d.title || domain}</h1>
    ${info.data?.spec?.description && html`<p class="lead">${info.data.spec.description}</p>`}
    <dl class="facts"><div><dt>Owner team</dt><dd>${d.owner_team || html`<${Badge} tone="bad">none<//>`}</dd></div>
      <div><dt>Products</dt><dd>${d.products ?? products.length}</dd></div>
      <div><dt>Scorecard</dt><dd><a href=${`/scorecards?scope=domain&name=${domain}`}>score and trend</a></dd></div></dl>
    ${d.gaps?.length ? html`<section class="card gap-card" aria-labelledby="gaps-h"><h2 id="gaps-h">Ownership gaps</h2><${Gaps} gaps=${d.gaps} /></section>` : null}
    <section class="card" aria-labelledby="dg-h"><h2 id="dg-h">Products and their inputs</h2>
      <${Graph} nodes=${nodes} edges=${edges} label=${`Products of domain ${domain} and their inputs`} onOpen=${(n) => navigate(n.href)} />
    </section>
    <section class="card" aria-labelledby="dp-h"><h2 id="dp-h">Products</h2>
      <div class="table-scroll" tabindex="0" role="region" aria-label="Products of the domain">
      <table class="grid"><thead><tr><th scope="col">Product</th><th scope="col">Owner</th><th scope="col">Inputs</th><th scope="col">Gaps</th></tr></thead>
      <tbody>${products.map((p) => html`<tr><th scope="row"><a href=${`/products/${domain}/${p.short}`}>${p.title || p.short}</a> <code class="small">${p.full}</code></th>
        <td>${p.owner || html`<${Badge} tone="bad">none<//>`}</td><td class="small">${(p.inputs || []).join(', ')}</td><td><${Gaps} gaps=${p.gaps} /></td></tr>`)}</tbody></table></div>
      ${m.data.next_cursor && html`<button type="button" onClick=${() => setCursor(m.data.next_cursor)}>Next products</button>`}
      ${cursor && html` <button type="button" onClick=${() => setCursor('')}>First products</button>`}
    </section>`;
}
