// Search: instant results as one types (debounced), facet filters, highlighted matches, and
// pages by cursor ("Show more"). Without words it browses products by name, a page at a time.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, productPath, qs } from '../api.js';
import { navigate } from '../router.js';
import { Badge, ErrorBox, Highlight, Loading, useAsync, useTitle } from '../ui.js';

const FACETS = [
  ['domain', 'Domain'],
  ['kind', 'Kind'],
  ['owner', 'Owner team'],
  ['tag', 'Tag'],
  ['classification', 'Classification'],
  ['status', 'Freshness'],
];
const PAGE = 20;
const MATCHED = { name: 'name', title: 'title', description: 'description', columns: 'a column', tags: 'a tag', owner: 'owner' };

function filtersOf(query) {
  const f = {};
  for (const [k] of FACETS) if (query.get(k)) f[k] = query.get(k);
  return f;
}

function ProductSummary({ name, hit }) {
  const { data: p } = useAsync(() => api(productPath(name)), [name]);
  const [domain, product] = name.split('.');
  return html`<li class="hit">
    <h3><a href=${`/products/${domain}/${product}`}>${p?.spec?.title || name}</a> <code class="addr">${name}</code></h3>
    ${p?.spec?.description && html`<p class="desc">${p.spec.description}</p>`}
    ${hit &&
    html`<p class="match"><span class="muted">Matched in ${MATCHED[hit.matched] || hit.matched}:</span> <${Highlight} text=${hit.snippet} /></p>`}
    <p class="meta">
      ${p?.spec?.kind && html`<${Badge}>${p.spec.kind}<//>`}
      ${p && html`<span>owner <a href=${`/domains/${domain}`}>${p.metadata.owner}</a></span>`}
      ${p && html`<span>v${p.metadata.version}</span>`}
      ${hit?.deprecated && html`<${Badge} tone="warn">deprecated<//>`}
    </p>
  </li>`;
}

export function SearchPage({ query }) {
  const q = query.get('q') || '';
  const filters = filtersOf(query);
  const key = JSON.stringify([q, filters]);
  useTitle(q ? `Search: ${q}` : 'Search');
  const [text, setText] = useState(q);
  const input = useRef(null);
  const [pages, setPages] = useState([]);
  const [more, setMore] = useState({ loading: false, error: null });

  useEffect(() => {
    if (input.current && !document.activeElement?.closest('main,header')) input.current.focus();
  }, []);
  // The address changed under the box (back, a link): show its words.
  useEffect(() => {
    if (document.activeElement !== input.current) setText(q);
  }, [q]);
  // Typing updates the address (replace, not push) after a short pause; the address drives the results.
  useEffect(() => {
    if (text === q) return undefined;
    const t = setTimeout(() => navigate(`/${qs({ q: text.trim(), ...filters })}`, { replace: true }), 200);
    return () => clearTimeout(t);
  }, [text]);

  const first = useAsync(
    (signal) =>
      q
        ? api(`search${qs({ q, ...filters, limit: PAGE })}`, { signal })
        : api(`products${qs({ domain: filters.domain, limit: PAGE })}`, { signal }),
    [key],
  );
  useEffect(() => setPages([]), [key]);

  const all = first.data ? [first.data, ...pages] : [];
  const last = all[all.length - 1];
  const next = last?.next_cursor;
  const loadMore = async () => {
    setMore({ loading: true, error: null });
    try {
      const page = q
        ? await api(`search${qs({ q, ...filters, limit: PAGE, cursor: next })}`)
        : await api(`products${qs({ domain: filters.domain, limit: PAGE, cursor: next })}`);
      setPages((p) => [...p, page]);
      setMore({ loading: false, error: null });
    } catch (error) {
      setMore({ loading: false, error });
    }
  };
  const setFilter = (k, v) => {
    const f = { ...filters };
    if (f[k] === v) delete f[k];
    else f[k] = v;
    navigate(`/${qs({ q, ...f })}`);
  };

  const facets = first.data?.facets || {};
  // While the next answer loads the previous one stays on screen; it may be of the other kind
  // (search hits or a product list).
  const items = all.flatMap((p) =>
    p.hits ? p.hits.map((h) => ({ name: h.product, hit: h })) : (p.items || []).map((i) => ({ name: `${i.metadata.domain}.${i.metadata.name}` })),
  );
  return html`<div class="search-page">
    <h1 class="visually-hidden">Search the catalog</h1>
    <form role="search" class="searchbar" onSubmit=${(e) => {
      e.preventDefault();
      navigate(`/${qs({ q: text.trim(), ...filters })}`, { replace: true });
    }}>
      <label for="q">Search data products</label>
      <input id="q" ref=${input} type="search" value=${text} autocomplete="off" spellcheck=${false}
        placeholder="order revenue, customer email, sessions…" onInput=${(e) => setText(e.currentTarget.value)} />
    </form>
    <div class="search-grid">
      <aside aria-label="Filters" class="facets">
        <h2>Filters</h2>
        ${!q && html`<p class="muted small">Type to search; filters other than domain apply to searches.</p>`}
        ${FACETS.map(([k, label]) => {
          const counts = { ...(facets[k] || {}) };
          if (!q && k !== 'domain') return null;
          if (filters[k] && !(filters[k] in counts)) counts[filters[k]] = 0;
          const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 12);
          if (!entries.length && !(k === 'domain' && !q)) return null;
          return html`<${FacetGroup} key=${k} name=${k} label=${label} entries=${entries} selected=${filters[k]} onToggle=${setFilter} browse=${!q && k === 'domain'} />`;
        })}
      </aside>
      <section aria-labelledby="results-h" class="results">
        <h2 id="results-h" aria-live="polite">
          ${first.loading && !first.data ? 'Searching…' : q && first.data?.hits ? `${first.data.total} products match “${q}”` : q ? 'Searching…' : 'All data products'}
          ${first.data?.corrected && html` <span class="muted small">(searched for “${first.data.corrected}”)</span>`}
        </h2>
        <${ErrorBox} error=${first.error} />
        ${first.loading && !first.data && html`<${Loading} what="Searching" />`}
        ${first.data && !items.length && html`<p>Nothing matches. Try fewer words or remove a filter.</p>`}
        <ol class="hits">
          ${items.map((i) => html`<${ProductSummary} key=${i.name} name=${i.name} hit=${i.hit} />`)}
        </ol>
        <${ErrorBox} error=${more.error} />
        ${next && html`<button type="button" onClick=${loadMore} disabled=${more.loading}>${more.loading ? 'Loading…' : 'Show more'}</button>`}
      </section>
    </div>
  </div>`;
}

function FacetGroup({ name, label, entries, selected, onToggle, browse }) {
  const { data } = useAsync(() => (browse ? api('domains?limit=50') : null), [browse]);
  const list = browse ? (data?.items || []).map((d) => [d.metadata?.name || d.name, null]) : entries;
  return html`<fieldset class="facet">
    <legend>${label}</legend>
    <ul>
      ${list.map(
        ([value, count]) => html`<li><button type="button" class="chip" aria-pressed=${selected === value}
          onClick=${() => onToggle(name, value)} data-facet=${name} data-value=${value}>
          ${value}${count !== null && html` <span class="count">${count}</span>`}
        </button></li>`,
      )}
    </ul>
  </fieldset>`;
}
