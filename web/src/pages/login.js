// Sign in with an API token (from `tessera token create`) or, when the server has OIDC on, with
// the identity provider (implicit flow: the id_token comes back in the address's fragment and is
// kept in sessionStorage for this tab).
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, ApiError, setCredential } from '../api.js';
import { navigate } from '../router.js';
import { safeNext } from '../safe_next.js';
import { ErrorBox, useTitle } from '../ui.js';

const OIDC_KEY = 'tessera.oidc';

function random() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}


function claims(jwt) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part + '='.repeat((4 - (part.length % 4)) % 4)));
  } catch {
    return null;
  }
}

export function LoginPage({ session, refresh }) {
  useTitle('Sign in');
  const next = safeNext(new URLSearchParams(location.search).get('next'));
  const [token, setToken] = useState('');
  const [error, setError] = useState(session?.expired ? new Error('Your sign-in has expired or was revoked: sign in again.') : null);
  const [busy, setBusy] = useState(false);
  const oidc = session?.config?.oidc;
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setCredential({ token: token.trim(), method: 'token' });
    try {
      await api('me', { fresh: true });
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) {
        setCredential(null);
        setBusy(false);
        setError(err instanceof ApiError && err.status === 401 ? new Error('The server does not accept this token: check it, or create one with tessera token create.') : err);
        return;
      }
    }
    await refresh();
    navigate(next, { replace: true });
  };
  const startOidc = () => {
    const state = random();
    const nonce = random();
    sessionStorage.setItem(OIDC_KEY, JSON.stringify({ state, nonce, next }));
    const url = new URL(oidc.authorization_endpoint);
    url.searchParams.set('response_type', 'id_token');
    url.searchParams.set('client_id', oidc.client_id);
    url.searchParams.set('redirect_uri', `${location.origin}/login/callback`);
    url.searchParams.set('scope', oidc.scope || 'openid');
    url.searchParams.set('state', state);
    url.searchParams.set('nonce', nonce);
    url.searchParams.set('response_mode', 'fragment');
    location.assign(url.toString());
  };
  return html`<div class="login">
    <h1>Sign in to the catalog</h1>
    ${session?.me && html`<p class="notice">You are signed in as <strong>${session.me.user}</strong>. Signing in again replaces it.</p>`}
    ${oidc && html`<section class="card" aria-labelledby="oidc-h">
      <h2 id="oidc-h">With your organisation's account</h2>
      <button type="button" class="primary wide" onClick=${startOidc}>Sign in with ${new URL(oidc.issuer || oidc.authorization_endpoint).host}</button>
    </section>`}
    <section class="card" aria-labelledby="token-h">
      <h2 id="token-h">With an API token</h2>
      <form onSubmit=${submit}>
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required spellcheck=${false}
          placeholder="tsr_…" value=${token} onInput=${(e) => setToken(e.currentTarget.value)} aria-describedby="token-help" />
        <p id="token-help" class="small muted">Create one with <code>tessera token create</code>. It is kept in this tab only.</p>
        <${ErrorBox} error=${error} />
        <button type="submit" class="primary" disabled=${busy}>Sign in</button>
      </form>
    </section>
    ${session?.config?.anonymous_read && html`<p><a href=${next}>Browse without signing in</a> (read-only; no samples or requests).</p>`}
  </div>`;
}

export function LoginCallback({ refresh }) {
  useTitle('Signing in');
  const [error, setError] = useState(null);
  useEffect(() => {
    const params = new URLSearchParams(location.hash.slice(1));
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(OIDC_KEY) || 'null');
    } catch {
      saved = null;
    }
    sessionStorage.removeItem(OIDC_KEY);
    history.replaceState(null, '', '/login/callback');
    const idToken = params.get('id_token');
    if (params.get('error')) return setError(new Error(`The identity provider said: ${params.get('error_description') || params.get('error')}`));
    if (!idToken || !saved || params.get('state') !== saved.state) return setError(new Error('This sign-in did not start here (state mismatch): start again.'));
    if (claims(idToken)?.nonce !== saved.nonce) return setError(new Error('The identity token does not carry this sign-in’s nonce: start again.'));
    setCredential({ token: idToken, method: 'oidc' });
    refresh().then(() => navigate(safeNext(saved.next), { replace: true }));
    return undefined;
  }, []);
  return html`<h1>Signing in</h1>${error ? html`<${ErrorBox} error=${error} /><p><a href="/login">Back to sign in</a></p>` : html`<p role="status">Checking your identity…</p>`}`;
}
