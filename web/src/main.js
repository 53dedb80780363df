// The web catalog: one page application over /api/v1, served by `tessera serve` (docs/web.md).
import './style.css';
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { api, ApiError, credential, optional, setCredential } from './api.js';
import { navigate, onLinkClick, useLocation } from './router.js';
import { SearchPage } from './pages/search.js';
import { ProductPage } from './pages/product.js';
import { MapPage, DomainPage } from './pages/map.js';
import { ScorecardsPage } from './pages/scorecards.js';
import { AccessPage } from './pages/access.js';
import { LoginPage, LoginCallback } from './pages/login.js';
import { NotFound } from './ui.js';

const NAV = [
  ['/', 'Search'],
  ['/domains', 'Domain map'],
  ['/scorecards', 'Scorecards'],
  ['/access', 'Access requests'],
];

// Who is signed in and what the server allows: {config, me} (me null when anonymous).
async function loadSession() {
  const config = await optional('auth/config', { anonymous_read: false, open_mode: false, oidc: null });
  const c = credential();
  if (!c && !config?.anonymous_read) return { config, me: null, needLogin: true };
  try {
    const me = await api('me', { fresh: true });
    return { config, me: me?.anonymous ? null : me, needLogin: false };
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCredential(null);
      return { config, me: null, needLogin: !config?.anonymous_read, expired: !!c };
    }
    if (e instanceof ApiError && e.status === 404) {
      return { config, me: c ? { user: c.user || 'signed in', can: {}, roles: [] } : null, needLogin: false };
    }
    throw e;
  }
}

function pageFor(path, query, session, refresh) {
  let m;
  if (path === '/login') return [LoginPage, { session, refresh }];
  if (path === '/login/callback') return [LoginCallback, { session, refresh }];
  if (path === '/' || path === '/search') return [SearchPage, { query }];
  if ((m = path.match(/^\/products\/([^/]+)\/([^/]+)\/?$/))) {
    return [ProductPage, { domain: decodeURIComponent(m[1]), name: decodeURIComponent(m[2]), session, query }];
  }
  if (path === '/domains') return [MapPage, {}];
  if ((m = path.match(/^\/domains\/([^/]+)\/?$/))) return [DomainPage, { domain: decodeURIComponent(m[1]) }];
  if (path === '/scorecards') return [ScorecardsPage, { query }];
  if (path === '/access') return [AccessPage, { session }];
  return [NotFound, {}];
}

function Header({ session, path }) {
  const me = session?.me;
  const [open, setOpen] = useState(false);
  const signOut = () => {
    setCredential(null);
    location.assign('/login');
  };
  return html`<header class="top">
    <a class="brand" href="/"><img src="/assets/favicon.svg" alt="" width="24" height="24" /> Tessera</a>
    <button class="menu-toggle" aria-expanded=${open} aria-controls="main-nav" onClick=${() => setOpen(!open)}>Menu</button>
    <nav id="main-nav" aria-label="Main" class=${open ? 'open' : ''}>
      <ul>
        ${NAV.map(([href, label]) => {
          const current = href === '/' ? path === '/' || path === '/search' || path.startsWith('/products/') : path.startsWith(href);
          return html`<li><a href=${href} aria-current=${current ? 'page' : undefined} onClick=${() => setOpen(false)}>${label}</a></li>`;
        })}
      </ul>
    </nav>
    <div class="who">
      ${me
        ? html`<span class="user" title="signed in">${me.user}</span><button class="link" onClick=${signOut}>Sign out</button>`
        : html`<a href="/login">Sign in</a>`}
    </div>
  </header>`;
}

function App() {
  const { path, query } = useLocation();
  const [session, setSession] = useState(null);
  const [error, setError] = useState(null);
  const main = useRef(null);
  const refresh = () =>
    loadSession()
      .then(setSession)
      .catch((e) => setError(e));
  useEffect(() => {
    refresh();
  }, []);
  // A new page: focus moves to its content, and the title names it, for screen readers.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (main.current) main.current.focus({ preventScroll: true });
    scrollTo(0, 0);
  }, [path]);
  useEffect(() => {
    if (session?.needLogin && !path.startsWith('/login')) {
      navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    }
  }, [session, path]);
  if (error) return html`<main class="page"><p role="alert" class="error">The catalog could not be loaded: ${error.message}</p></main>`;
  if (!session) return html`<main class="page" aria-busy="true"><p class="muted">Loading…</p></main>`;
  const [Page, props] = session.needLogin && !path.startsWith('/login') ? [() => null, {}] : pageFor(path, query, session, refresh);
  return html`<div onClick=${onLinkClick}>
    <a class="skip" href="#content">Skip to content</a>
    <${Header} session=${session} path=${path} />
    <main id="content" class="page" tabindex="-1" ref=${main}>
      <${Page} key=${path} ...${props} />
    </main>
    <footer class="foot"><p>Tessera data mesh catalog · <a href="/api/v1/openapi.json">REST API</a></p></footer>
  </div>`;
}

render(html`<${App} />`, document.getElementById('app'));
