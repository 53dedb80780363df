// One data product: what it is, who owns it, its ports and schema, whether it can be trusted
// (quality, freshness, issues, policies), where it comes from and goes (lineage), a sample of
// its rows for a granted reader, how to query it, and the way to ask for access.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, ApiError, optional, productPath, qs } from '../api.js';
import { navigate } from '../router.js';
import { Graph } from '../graph.js';
import { ago, Badge, CopyBlock, date, duration, ErrorBox, Loading, parseDuration, State, useAsync, useTitle } from '../ui.js';

const SECTIONS = [
  ['overview', 'Overview'],
  ['schema', 'Ports and schema'],
  ['lineage', 'Lineage'],
  ['quality', 'Quality'],
  ['governance', 'Policies and score'],
  ['sample', 'Sample rows'],
  ['query', 'How to query'],
  ['changelog', 'Changelog'],
];

export function ProductPage({ domain, name, session, query }) {
  const full = `${domain}.${name}`;
  const base = productPath(full);
  const product = useAsync(() => api(base), [full]);
  useTitle(product.data?.spec?.title || full);
  if (product.error) {
    return html`<h1>${full}</h1><${ErrorBox} error=${product.error} /><p><a href="/">Back to search</a></p>`;
  }
  if (!product.data) return html`<${Loading} what=${`Loading ${full}`} />`;
  const p = product.data;
  return html`<article class="product" aria-labelledby="product-title">
    <header class="product-head">
      <p class="crumbs"><a href=${`/domains/${domain}`}>${domain}</a> / <span>${name}</span></p>
      <h1 id="product-title">${p.spec.title || full}</h1>
      <p class="addr-line"><code>${full}</code> <${Badge}>${p.spec.kind}<//> <${Badge}>v${p.metadata.version}<//>
        ${p.spec.deprecated && html`<${Badge} tone="warn">deprecated<//>`}</p>
      <p class="lead">${p.spec.description}</p>
      <dl class="facts">
        <div><dt>Domain</dt><dd><a href=${`/domains/${domain}`}>${domain}</a></dd></div>
        <div><dt>Owner team</dt><dd>${p.metadata.owner || html`<${Badge} tone="bad">no owner<//>`}</dd></div>
        ${p.metadata.tags?.length ? html`<div><dt>Tags</dt><dd>${p.metadata.tags.map((t) => html`<a class="tag" href=${`/?${new URLSearchParams({ q: t, tag: t })}`}>${t}</a> `)}</dd></div>` : null}
        ${p.status?.readers?.length ? html`<div><dt>Read by</dt><dd>${p.status.readers.map((r) => html`<a href=${`/products/${r.replace('.', '/')}`}>${r}</a> `)}</dd></div>` : null}
      </dl>
      <${RequestAccess} product=${full} p=${p} session=${session} />
    </header>
    <nav class="toc" aria-label="On this page"><ul>${SECTIONS.map(([id, label]) => html`<li><a href=${`#${id}`} onClick=${(e) => {
      e.preventDefault();
      document.getElementById(id)?.scrollIntoView();
      document.getElementById(`${id}-h`)?.focus();
    }}>${label}</a></li>`)}</ul></nav>
    <${Overview} base=${base} p=${p} />
    <${Schema} p=${p} full=${full} onColumn=${(c) => navigate(`/products/${domain}/${name}?column=${encodeURIComponent(c)}#lineage`)} />
    <${Lineage} full=${full} column=${query.get('column')} />
    <${Quality} base=${base} p=${p} />
    <${Governance} base=${base} full=${full} />
    <${Sample} base=${base} p=${p} full=${full} session=${session} />
    <${HowToQuery} p=${p} full=${full} />
    <${Changelog} base=${base} p=${p} />
  </article>`;
}

function Section({ id, title, children, actions }) {
  return html`<section id=${id} aria-labelledby=${`${id}-h`} class="card">
    <div class="card-head"><h2 id=${`${id}-h`} tabindex="-1">${title}</h2>${actions}</div>
    ${children}
  </section>`;
}

// --- overview: freshness against the SLA, last run, score, open issues
function slaOf(p) {
  const slas = (p.spec.outputs || []).map((o) => parseDuration(o.sla?.freshness)).filter((x) => x);
  return slas.length ? Math.min(...slas) : null;
}

function Overview({ base, p }) {
  const runs = useAsync(() => api(`${base}/runs?limit=20`), [base]);
  const issues = useAsync(() => optional(`${base}/issues`), [base]);
  const gov = useAsync(() => optional(`${base}/governance`), [base]);
  const last = runs.data?.items?.[0];
  const ok = runs.data?.items?.find((r) => r.status === 'succeeded');
  const sla = slaOf(p);
  const age = ok ? Date.now() - ok.finished_at_ms : null;
  const state = !ok ? 'never run' : last && last.status !== 'succeeded' ? 'failing' : sla && age > sla ? 'stale' : 'fresh';
  const open = issues.data?.items?.length;
  return html`<${Section} id="overview" title="Overview">
    <div class="tiles">
      <div class="tile"><h3>Freshness</h3>
        ${runs.loading ? html`<${Loading} />` : html`<p><${State} value=${state} /></p>
        <p class="small">Last published ${ago(ok?.finished_at_ms)}${sla ? html`; SLA ${duration(sla)}` : ' (no SLA)'}</p>`}</div>
      <div class="tile"><h3>Last run</h3>
        ${last ? html`<p><${State} value=${last.status} /></p><p class="small">${date(last.started_at)} · ${last.trigger}${last.error ? html`<br />${last.error}` : ''}</p>` : html`<p class="muted">No runs yet</p>`}</div>
      <div class="tile"><h3>Score</h3>
        ${gov.data?.score ? html`<p class="big">${Math.round(gov.data.score.total)}<span class="small"> / 100</span></p><p class="small"><a href=${`/scorecards?scope=product&name=${p.metadata.domain}.${p.metadata.name}`}>Scorecard and trend</a></p>` : html`<p class="muted">${gov.loading ? 'Loading…' : 'Not scored yet'}</p>`}</div>
      <div class="tile"><h3>Open quality issues</h3>
        ${issues.data ? html`<p class="big">${open}</p>` : html`<p class="muted">${issues.loading ? 'Loading…' : 'Not tracked'}</p>`}</div>
    </div>
    ${issues.data?.items?.length ? html`<div class="table-scroll" tabindex="0" role="region" aria-label="Open quality issues"><table class="grid"><caption>Open quality issues</caption>
      <thead><tr><th scope="col">Check</th><th scope="col">Port</th><th scope="col">Opened</th><th scope="col">Due</th><th scope="col">State</th></tr></thead>
      <tbody>${issues.data.items.map((i) => html`<tr><td>${i.title || i.check}${i.column ? html` <code class="small">${i.column}</code>` : ''}</td><td>${i.port}</td><td>${date(i.opened_at)}</td><td>${date(i.due_at)}</td>
        <td><${State} value=${i.overdue ? 'overdue' : i.state} />${i.acknowledged_by ? html` <span class="small">ack. ${i.acknowledged_by}</span>` : ''}</td></tr>`)}</tbody></table></div>` : null}
  <//>`;
}

// --- ports and schema
function Schema({ p, full, onColumn }) {
  return html`<${Section} id="schema" title="Ports and schema">
    ${(p.spec.outputs || []).map((o) => html`<div class="port">
      <h3>Port <code>${o.name}</code> <span class="muted small">urn:tessera:${p.metadata.domain}:${p.metadata.name}:${o.name}</span></h3>
      ${o.description && html`<p>${o.description}</p>`}
      <p class="small">${o.format || 'parquet'}${o.sla?.freshness ? ` · fresh within ${o.sla.freshness}` : ''}${o.sla?.retention ? ` · kept ${o.sla.retention}` : ''}${o.sla?.availability ? ` · available ${o.sla.availability}` : ''}</p>
      <div class="table-scroll" tabindex="0" role="region" aria-label=${`Schema of port ${o.name}`}>
      <table class="grid schema">
        <thead><tr><th scope="col">Column</th><th scope="col">Type</th><th scope="col">Description</th><th scope="col">Classification</th><th scope="col">Mask</th></tr></thead>
        <tbody>${(o.columns || []).map((c) => html`<tr>
          <th scope="row"><button type="button" class="link mono" onClick=${() => onColumn(c.name)} aria-label=${`Lineage of column ${c.name}`} title="Show where this column comes from and goes">${c.name}</button>
            ${c.primary_key ? html` <${Badge}>key<//>` : ''}${c.required ? html` <${Badge}>required<//>` : ''}${c.unique ? html` <${Badge}>unique<//>` : ''}</th>
          <td class="mono">${c.type}</td>
          <td>${c.description}${c.accepted_values ? html`<br /><span class="small muted">one of ${c.accepted_values.join(', ')}</span>` : ''}</td>
          <td>${c.classification ? html`<${Badge} tone=${c.classification === 'pii' ? 'bad' : c.classification === 'confidential' ? 'warn' : 'neutral'}>${c.classification}<//>` : ''}</td>
          <td>${c.mask || ''}</td></tr>`)}</tbody>
      </table></div>
    </div>`)}
  <//>`;
}

// --- quality: declared checks with the last result of each
function Quality({ base, p }) {
  const q = useAsync(() => optional(`${base}/quality`), [base]);
  const results = {};
  for (const c of q.data?.checks || []) results[`${c.port}/${c.check}`] = c;
  const declared = (p.spec.outputs || []).flatMap((o) => (o.quality || []).map((c) => ({ port: o.name, ...c })));
  const implicit = (q.data?.checks || []).filter((c) => !declared.some((d) => d.port === c.port && d.name === c.check));
  return html`<${Section} id="quality" title="Quality checks">
    ${q.data?.run ? html`<p class="small">Last checked by run ${q.data.run.id}, ${date(q.data.run.started_at)}.</p>` : html`<p class="muted">${q.loading ? 'Loading…' : 'Not checked yet.'}</p>`}
    <div class="table-scroll" tabindex="0" role="region" aria-label="Quality check results">
    <table class="grid">
      <thead><tr><th scope="col">Check</th><th scope="col">Port</th><th scope="col">Rule</th><th scope="col">Last result</th></tr></thead>
      <tbody>
        ${declared.map((c) => {
          const r = results[`${c.port}/${c.name}`];
          return html`<tr><th scope="row">${c.name}${c.severity === 'warning' ? html` <span class="small muted">(warning)</span>` : ''}</th><td>${c.port}</td>
            <td class="small">${c.type}${c.dimension ? ` · ${c.dimension}` : ''}${c.sql ? html`<br /><code>${c.sql}</code>` : ''}</td>
            <td>${r ? html`<${State} value=${r.status} />${r.failures ? html` <span class="small">${r.failures} rows</span>` : ''}` : html`<span class="muted">no result</span>`}</td></tr>`;
        })}
      </tbody>
    </table></div>
    ${implicit.length ? html`<details class="implicit"><summary>${implicit.length} checks from the schema (required, unique, accepted values, ranges):
      ${implicit.filter((r) => r.status === 'passed').length} passed${implicit.some((r) => r.status !== 'passed') ? html`, <strong>${implicit.filter((r) => r.status !== 'passed').length} not passed</strong>` : ''}</summary>
      <ul class="implicit-list">${implicit.map((r) => html`<li><code>${r.check}</code> <span class="small muted">${r.port}</span> <${State} value=${r.status} />${r.failures ? html` <span class="small">${r.failures} rows</span>` : ''}</li>`)}</ul>
    </details>` : null}
  <//>`;
}

// --- governance: policy results and the score
function Governance({ base }) {
  const g = useAsync(() => optional(`${base}/governance`), [base]);
  if (g.loading) return html`<${Section} id="governance" title="Policies and score"><${Loading} /><//>`;
  if (!g.data) return html`<${Section} id="governance" title="Policies and score"><p class="muted">No policy results for this product yet.</p><//>`;
  const props = Object.entries(g.data.score?.properties || {});
  return html`<${Section} id="governance" title="Policies and score">
    ${g.data.score && html`<p>Score <strong>${Math.round(g.data.score.total)}</strong> / 100</p>
    <ul class="bars">${props.map(([k, v]) => html`<li><span class="bar-label">${k}</span><span class="bar" role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(v)} aria-label=${k}><span class=${`fill w${Math.round(v / 5) * 5}`}></span></span><span class="bar-value">${Math.round(v)}</span></li>`)}</ul>`}
    <div class="table-scroll" tabindex="0" role="region" aria-label="Policy results">
    <table class="grid">
      <thead><tr><th scope="col">Policy</th><th scope="col">Severity</th><th scope="col">Result</th><th scope="col">Message</th></tr></thead>
      <tbody>${(g.data.policies || []).map((r) => html`<tr><th scope="row">${r.title || r.policy}${r.title ? html`<br /><code class="small">${r.policy}</code>` : ''}</th><td>${r.severity}${r.enforced ? html` <span class="small muted">enforced</span>` : ''}</td>
        <td>${r.waived ? html`<${Badge}>waived<//>` : html`<${State} value=${r.passed ? 'passed' : r.severity === 'error' ? 'failed' : 'warning'} />`}</td><td class="small">${r.message}${r.remediation && !r.passed ? html`<br /><span class="muted">${r.remediation}</span>` : ''}</td></tr>`)}</tbody>
    </table></div>
  <//>`;
}

// --- lineage: upstream and downstream as a graph; a column's on request
function Lineage({ full, column }) {
  const target = column ? `${full}.${column}` : full;
  const [depth, setDepth] = useState(3);
  const l = useAsync(async () => {
    const [up, down] = await Promise.all([
      api(`lineage${qs({ target, direction: 'upstream', depth })}`),
      api(`lineage${qs({ target, direction: 'downstream', depth })}`),
    ]);
    return { edges: [...up.edges, ...down.edges], level: up.level };
  }, [target, depth]);
  useEffect(() => {
    if (column && location.hash === '#lineage') document.getElementById('lineage')?.scrollIntoView();
  }, [column, l.data]);
  const ids = new Set([target]);
  const seen = new Set();
  const edges = [];
  for (const e of l.data?.edges || []) {
    const k = `${e.from}>${e.to}`;
    if (seen.has(k)) continue;
    seen.add(k);
    edges.push({ from: e.from, to: e.to });
    ids.add(e.from);
    ids.add(e.to);
  }
  const nodes = [...ids].map((id) => {
    const source = id.startsWith('source:');
    const parts = source ? [id] : id.split('.');
    const prod = source ? null : `${parts[0]}.${parts[1]}`;
    const col = parts.length > 2 ? parts.slice(2).join('.') : null;
    return {
      id,
      label: col ? col : source ? id.slice(7) : prod,
      sub: col ? prod : source ? 'source' : undefined,
      tone: id === target ? 'root' : source ? 'source' : col ? 'column' : '',
      href: source ? undefined : `/products/${parts[0]}/${parts[1]}${col ? `?column=${encodeURIComponent(col)}` : ''}`,
      aria: source ? `source ${id.slice(7)}` : col ? `column ${col} of ${prod}` : `product ${prod}`,
    };
  });
  return html`<${Section} id="lineage" title=${column ? html`Lineage of column <code>${column}</code>` : 'Lineage'}
    actions=${html`<div class="inline-controls">
      ${column && html`<a href=${`/products/${full.replace('.', '/')}#lineage`}>Product lineage</a>`}
      <label>Depth <select value=${depth} onChange=${(e) => setDepth(Number(e.currentTarget.value))}>${[1, 2, 3, 5, 10].map((d) => html`<option value=${d}>${d}</option>`)}</select></label>
    </div>`}>
    <p class="small muted">Upstream on the left, downstream on the right. Tab to a node and press Enter to open it${column ? '' : '; pick a column in the schema to see its own lineage'}.</p>
    <${ErrorBox} error=${l.error} />
    ${l.loading && !l.data ? html`<${Loading} />` : html`<${Graph} nodes=${nodes} edges=${edges} label=${`Lineage of ${target}`} selected=${target}
      onOpen=${(n) => navigate(n.href)} />`}
    ${l.data && edges.length === 0 && html`<p class="muted">No recorded inputs or readers.</p>`}
  <//>`;
}

// --- sample rows: only for a reader with a grant (the server says 403 otherwise: nothing shown)
function Sample({ base, p, session }) {
  const ports = (p.spec.outputs || []).map((o) => o.name);
  const [port, setPort] = useState(ports[0]);
  const s = useAsync(async () => {
    try {
      return { rows: await api(`${base}/sample${qs({ port, limit: 20 })}`, { fresh: true }) };
    } catch (e) {
      if (e instanceof ApiError && (e.status === 403 || e.status === 401)) return { denied: true };
      if (e instanceof ApiError && e.status === 409) return { unpublished: true };
      if (e instanceof ApiError && e.status === 404 && e.type.endsWith('route-not-found')) return { absent: true };
      throw e;
    }
  }, [base, port]);
  return html`<${Section} id="sample" title="Sample rows"
    actions=${ports.length > 1 ? html`<label class="inline-controls">Port <select value=${port} onChange=${(e) => setPort(e.currentTarget.value)}>${ports.map((x) => html`<option>${x}</option>`)}</select></label>` : null}>
    <${ErrorBox} error=${s.error} />
    ${s.loading && html`<${Loading} />`}
    ${s.data?.denied && html`<p class="notice" data-testid="no-sample">${session?.me ? 'You have no grant on this product, so no rows are shown. Request access above; the owners of the domain decide.' : 'Sign in to see sample rows of the products you are granted.'}</p>`}
    ${s.data?.absent && html`<p class="muted">This server does not serve samples.</p>`}
    ${s.data?.unpublished && html`<p class="muted">Nothing published yet: the product has not been built.</p>`}
    ${s.data?.rows && html`<div class="table-scroll" tabindex="0" role="region" aria-label="Sample rows">
      <table class="grid sample" data-testid="sample-rows">
        <thead><tr>${s.data.rows.columns.map((c) => html`<th scope="col">${c.name}${c.masked ? html` <${Badge} tone="warn">masked<//>` : ''}<br /><span class="small muted mono">${c.type}</span></th>`)}</tr></thead>
        <tbody>${s.data.rows.rows.map((r) => html`<tr>${r.map((v) => {
          const text = v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v);
          return html`<td class="mono" title=${text ?? undefined}>${text === null ? html`<span class="muted">null</span>` : text}</td>`;
        })}</tr>`)}</tbody>
      </table></div>
      <p class="small muted">${s.data.rows.rows.length} rows of port ${s.data.rows.port}; classified columns stay masked unless your grant unmasks them.</p>`}
  <//>`;
}

// --- how to query it: SQL, CLI and API with this product's real address and this server's origin
function HowToQuery({ p, full }) {
  const origin = location.origin;
  const ports = p.spec.outputs || [];
  const table = ports.length > 1 ? `${full}__${ports[0].name}` : full;
  const sql = `select * from ${table} limit 10`;
  const path = `/api/v1/domains/${p.metadata.domain}/products/${p.metadata.name}`;
  return html`<${Section} id="query" title="How to query it">
    <p>Its SQL name is <code>${table}</code>${ports.length > 1 ? html` (one table per port: ${ports.map((o) => html`<code>${full}__${o.name}</code> `)})` : ''}; the address of its ports is <code>urn:tessera:${p.metadata.domain}:${p.metadata.name}:${ports[0]?.name}</code>.</p>
    <div class="snippets">
      <${CopyBlock} label="SQL" text=${sql} />
      <${CopyBlock} label="CLI" text=${`export TESSERA_SERVER=${origin} TESSERA_TOKEN=<your API token>\ntessera describe ${full}\ntessera query "${sql}" --format csv`} />
      <${CopyBlock} label="API" text=${`curl -H "Authorization: Bearer $TESSERA_TOKEN" ${origin}${path}\ncurl -H "Authorization: Bearer $TESSERA_TOKEN" -H "Content-Type: application/json" \\\n  -d '{"sql": "${sql}", "format": "csv"}' ${origin}/api/v1/query`} />
    </div>
  <//>`;
}

// --- changelog: the catalog revisions of this product
function Changelog({ base, p }) {
  const h = useAsync(() => optional(`${base}/history`), [base]);
  const runs = useAsync(() => api(`${base}/runs?limit=5`), [base]);
  return html`<${Section} id="changelog" title="Changelog and runs">
    <p>Version <strong>${p.metadata.version}</strong>, catalog revision ${p.status?.revision}.</p>
    ${h.data?.items?.length ? html`<div class="table-scroll" tabindex="0" role="region" aria-label="Changes"><table class="grid"><caption>Changes</caption>
      <thead><tr><th scope="col">Revision</th><th scope="col">Version</th><th scope="col">Change</th><th scope="col">When</th><th scope="col">Who</th><th scope="col">Fields</th></tr></thead>
      <tbody>${h.data.items.map((c) => html`<tr><td>${c.revision}</td><td>${c.version || ''}</td><td>${c.change}${c.message ? html`<br /><span class="small muted">${c.message}</span>` : ''}</td><td>${date(c.at)}</td><td>${c.author || ''}</td><td class="small">${(c.fields || []).join(', ')}</td></tr>`)}</tbody></table></div>` : html`<p class="muted">${h.loading ? 'Loading…' : 'No change history from this server.'}</p>`}
    ${runs.data?.items?.length ? html`<div class="table-scroll" tabindex="0" role="region" aria-label="Recent runs"><table class="grid"><caption>Recent runs</caption>
      <thead><tr><th scope="col">Run</th><th scope="col">Started</th><th scope="col">Trigger</th><th scope="col">Status</th><th scope="col">Rows</th></tr></thead>
      <tbody>${runs.data.items.map((r) => html`<tr><td>${r.id}</td><td>${date(r.started_at)}</td><td>${r.trigger}</td><td><${State} value=${r.status} /></td>
        <td class="small">${Object.entries(r.details?.rows || {}).map(([k, v]) => `${k}: ${v}`).join(', ')}</td></tr>`)}</tbody></table></div>` : null}
  <//>`;
}

// --- request access: a form for a signed-in reader; their requests for this product and states
function RequestAccess({ product, p, session }) {
  const me = session?.me;
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ reason: '', columns: '', unmasked: false, until: '' });
  const [sent, setSent] = useState(null);
  const [error, setError] = useState(null);
  const mine = useAsync(() => (me ? optional(`access-requests${qs({ user: me.user, limit: 200 })}`, { items: [] }) : null), [me?.user, sent?.id]);
  const grants = useAsync(() => (me ? optional(`grants${qs({ user: me.user, product })}`, { items: [] }) : null), [me?.user, product]);
  if (!me || me.can?.request_access === false) return null;
  // Who decides access to this domain, or holds a grant on the product, has nothing to ask for.
  const decides = (me.can?.approve_domains || []).some((d) => d === '*' || d === p.metadata.domain);
  const grant = (grants.data?.items || []).find((g) => g.product === product && g.active !== false);
  if (decides) return html`<p class="small muted">You decide access to the products of domain ${p.metadata.domain}: <a href="/access">requests waiting</a>.</p>`;
  if (grant) return html`<p class="small"><${State} value="approved" /> You may read this product (grant ${grant.id}${grant.unmasked ? ', unmasked' : ', masked'}${grant.expires_at ? `, until ${date(grant.expires_at)}` : ''}).</p>`;
  const requests = (mine.data?.items || []).filter((r) => r.product === product);
  const pending = requests.find((r) => r.state === 'pending');
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    const body = { product, reason: form.reason.trim() };
    const cols = form.columns.split(',').map((c) => c.trim()).filter(Boolean);
    if (cols.length) body.columns = cols;
    if (form.unmasked) body.unmasked = true;
    if (form.until) body.until = `${form.until}T23:59:59Z`;
    try {
      const r = await api('access-requests', { method: 'POST', body });
      setSent(r);
      setOpen(false);
    } catch (err) {
      setError(err);
    }
  };
  const columns = (p.spec.outputs || []).flatMap((o) => o.columns || []).map((c) => c.name);
  return html`<div class="request-access">
    ${requests.length ? html`<p class="small" aria-live="polite">Your requests: ${requests.map((r) => html`<span class="req">#${r.id} <${State} value=${r.state} /> </span>`)} <a href="/access">all requests</a></p>` : null}
    ${sent && html`<p role="status" class="notice">Access request #${sent.id} is ${sent.state}: the owners of domain ${p.metadata.domain} decide.</p>`}
    ${!open && !pending && html`<button type="button" class="primary" onClick=${() => setOpen(true)}>Request access</button>`}
    ${open && html`<form class="request-form" onSubmit=${submit} aria-labelledby="ra-h">
      <h2 id="ra-h">Request access to ${product}</h2>
      <label for="ra-reason">Why do you need it?</label>
      <textarea id="ra-reason" required rows="3" value=${form.reason} onInput=${(e) => setForm({ ...form, reason: e.currentTarget.value })}></textarea>
      <label for="ra-columns">Columns (optional, comma separated; empty: every column)</label>
      <input id="ra-columns" list="ra-column-list" value=${form.columns} onInput=${(e) => setForm({ ...form, columns: e.currentTarget.value })} />
      <datalist id="ra-column-list">${columns.map((c) => html`<option value=${c} />`)}</datalist>
      <label class="check"><input type="checkbox" checked=${form.unmasked} onChange=${(e) => setForm({ ...form, unmasked: e.currentTarget.checked })} /> Unmasked (see classified columns in clear)</label>
      <label for="ra-until">Until (optional)</label>
      <input id="ra-until" type="date" value=${form.until} onInput=${(e) => setForm({ ...form, until: e.currentTarget.value })} />
      <${ErrorBox} error=${error} />
      <div class="buttons"><button type="submit" class="primary">Send request</button><button type="button" onClick=${() => setOpen(false)}>Cancel</button></div>
    </form>`}
  </div>`;
}
