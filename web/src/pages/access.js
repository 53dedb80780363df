// Access requests: the signed-in user's requests and their states; for the owners of a domain
// (and admins) the queue of pending requests on their domains, to approve or deny. A user who
// approves nothing sees no queue.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, qs } from '../api.js';
import { date, ErrorBox, Loading, State, useAsync, useTitle } from '../ui.js';

function RequestRows({ items, actions }) {
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Access requests">
  <table class="grid requests">
    <thead><tr><th scope="col">#</th><th scope="col">Product</th><th scope="col">Who</th><th scope="col">Reason</th><th scope="col">Scope</th><th scope="col">Asked</th><th scope="col">State</th>${actions && html`<th scope="col">Decision</th>`}</tr></thead>
    <tbody>${items.map((r) => html`<tr data-request=${r.id}>
      <td>${r.id}</td><td><a href=${`/products/${r.product.replace('.', '/')}`}>${r.product}</a></td><td>${r.user}</td><td>${r.reason}</td>
      <td class="small">${r.columns?.length ? r.columns.join(', ') : 'every column'}${r.unmasked ? ', unmasked' : ', masked'}${r.until ? `, until ${date(r.until)}` : ''}</td>
      <td class="small">${date(r.created_at)}</td>
      <td><${State} value=${r.state} />${r.decided_by ? html`<br /><span class="small">by ${r.decided_by}${r.decision_reason ? `: ${r.decision_reason}` : ''}</span>` : ''}</td>
      ${actions && html`<td>${actions(r)}</td>`}</tr>`)}</tbody>
  </table></div>`;
}

function Decide({ r, onDone }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const act = async (verb) => {
    if (verb === 'deny' && !reason.trim()) {
      setError(new Error('Say why you deny it: the requester reads the reason.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api(`access-requests/${r.id}/${verb}`, { method: 'POST', body: reason.trim() ? { reason: reason.trim() } : {} });
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return html`<div class="decide">
    <label class="visually-hidden" for=${`reason-${r.id}`}>Reason for request ${r.id}</label>
    <input id=${`reason-${r.id}`} placeholder="reason (needed to deny)" value=${reason} onInput=${(e) => setReason(e.currentTarget.value)} />
    <button type="button" class="primary" disabled=${busy} onClick=${() => act('approve')} aria-label=${`Approve request ${r.id} of ${r.user} for ${r.product}`}>Approve</button>
    <button type="button" class="danger" disabled=${busy} onClick=${() => act('deny')} aria-label=${`Deny request ${r.id} of ${r.user} for ${r.product}`}>Deny</button>
    <${ErrorBox} error=${error} />
  </div>`;
}

// Takes a grant back (its domain's team, an admin) or gives it up (its holder).
function Revoke({ g, label, onDone }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const act = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(`grants/${g.id}/revoke`, { method: 'POST', body: {} });
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return html`<button type="button" class="danger" disabled=${busy} onClick=${act}
      aria-label=${`${label} grant ${g.id} of ${g.user} on ${g.product}`}>${label}</button><${ErrorBox} error=${error} />`;
}

function GrantRows({ items, label, onDone, who }) {
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label=${label === 'Revoke' ? 'Grants on your domains' : 'Grants'}><table class="grid">
    <thead><tr><th scope="col">Grant</th>${who && html`<th scope="col">Who</th>`}<th scope="col">Product</th><th scope="col">Scope</th><th scope="col">Until</th><th scope="col">Action</th></tr></thead>
    <tbody>${items.map((g) => html`<tr data-grant=${g.id}><td>${g.id}</td>${who && html`<td>${g.user}</td>`}<td><a href=${`/products/${String(g.product).replace('.', '/')}`}>${g.product}</a></td>
      <td class="small">${g.columns?.length ? g.columns.join(', ') : 'every column'}${g.unmasked ? ', unmasked' : ', masked'}</td><td>${g.expires_at ? date(g.expires_at) : 'no end'}</td>
      <td><${Revoke} g=${g} label=${label} onDone=${onDone} /></td></tr>`)}</tbody></table></div>`;
}

export function AccessPage({ session }) {
  useTitle('Access requests');
  const me = session?.me;
  const approves = me?.can?.approve_domains?.length > 0;
  const [tick, setTick] = useState(0);
  const mine = useAsync(() => (me ? api(`access-requests${qs({ user: me.user, limit: 100 })}`, { fresh: true }) : null), [me?.user, tick]);
  const queue = useAsync(() => (approves ? api(`access-requests${qs({ state: 'pending', limit: 100 })}`, { fresh: true }) : null), [approves, tick]);
  const grants = useAsync(() => (me ? api(`grants${qs({ user: me.user })}`, { fresh: true }).catch(() => null) : null), [me?.user, tick]);
  const granted = useAsync(() => (approves ? api(`grants${qs({ limit: 100 })}`, { fresh: true }) : null), [approves, tick]);
  if (!me) return html`<h1>Access requests</h1><p>Sign in to see your access requests. <a href="/login?next=/access">Sign in</a></p>`;
  const pending = (queue.data?.items || []).filter((r) => r.state === 'pending' && r.user !== me.user);
  return html`<h1>Access requests</h1>
    ${approves && html`<section class="card" aria-labelledby="queue-h" data-testid="approval-queue">
      <h2 id="queue-h">Waiting for your decision</h2>
      <p class="small muted">Requests for products of ${me.can.approve_domains.includes('*') ? 'every domain' : `the domains ${me.can.approve_domains.join(', ')}`}. Approving grants read access (masked unless the request asks otherwise).</p>
      <${ErrorBox} error=${queue.error} />
      ${queue.loading && !queue.data && html`<${Loading} />`}
      ${queue.data && (pending.length ? html`<${RequestRows} items=${pending} actions=${(r) => html`<${Decide} r=${r} onDone=${() => setTick((t) => t + 1)} />`} />` : html`<p>Nothing waits for you.</p>`)}
    </section>`}
    ${approves && html`<section class="card" aria-labelledby="granted-h" data-testid="granted">
      <h2 id="granted-h">Grants on your domains</h2>
      <${ErrorBox} error=${granted.error} />
      ${granted.data && ((granted.data.items || []).filter((g) => g.user !== me.user).length
    ? html`<${GrantRows} items=${granted.data.items.filter((g) => g.user !== me.user)} label="Revoke" who=${true} onDone=${() => setTick((t) => t + 1)} />`
    : html`<p>No one holds a grant on your domains.</p>`)}
    </section>`}
    <section class="card" aria-labelledby="mine-h">
      <h2 id="mine-h">Your requests</h2>
      <${ErrorBox} error=${mine.error} />
      ${mine.loading && !mine.data && html`<${Loading} />`}
      ${mine.data && (mine.data.items.length ? html`<${RequestRows} items=${mine.data.items} />` : html`<p>You have asked for nothing yet. Open a product and press “Request access”.</p>`)}
    </section>
    ${grants.data?.items?.length ? html`<section class="card" aria-labelledby="grants-h"><h2 id="grants-h">Your grants</h2>
      <${GrantRows} items=${grants.data.items} label="Give up" onDone=${() => setTick((t) => t + 1)} /></section>` : null}`;
}
