// Small pieces shared by the pages.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { ApiError } from './api.js';

// Runs `load` (given an AbortSignal) when `deps` change: {data, error, loading, reload}.
export function useAsync(load, deps) {
  const [state, setState] = useState({ data: undefined, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    Promise.resolve(load(ctl.signal)).then(
      (data) => ctl.signal.aborted || setState({ data, error: null, loading: false }),
      (error) => ctl.signal.aborted || error.name === 'AbortError' || setState({ data: undefined, error, loading: false }),
    );
    return () => ctl.abort();
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

export function useTitle(title) {
  useEffect(() => {
    document.title = title ? `${title} · Tessera` : 'Tessera catalog';
  }, [title]);
}

export function Loading({ what = 'Loading' }) {
  return html`<p class="muted" role="status">${what}…</p>`;
}

export function ErrorBox({ error }) {
  if (!error) return null;
  const detail = error instanceof ApiError ? error.message : String(error.message || error);
  return html`<p class="error" role="alert">${detail}</p>`;
}

export function NotFound() {
  useTitle('Not found');
  return html`<h1>Not found</h1><p>No page here. <a href="/">Search the catalog</a>.</p>`;
}

// "[orders].[order]_facts" -> text with <mark>s where the search matched.
export function Highlight({ text }) {
  const parts = [];
  const re = /\[([^\]]*)\]/g;
  let last = 0;
  let m;
  while ((m = re.exec(text || ''))) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push(html`<mark>${m[1]}</mark>`);
    last = m.index + m[0].length;
  }
  if (last < (text || '').length) parts.push(text.slice(last));
  return html`<span>${parts}</span>`;
}

export function Badge({ tone = 'neutral', children }) {
  return html`<span class=${`badge ${tone}`}>${children}</span>`;
}

const TONES = {
  fresh: 'good', passed: 'good', succeeded: 'good', approved: 'good', pass: 'good',
  stale: 'warn', warning: 'warn', pending: 'warn', 'never run': 'neutral', skipped: 'neutral',
  failing: 'bad', failed: 'bad', error: 'bad', denied: 'bad', blocked: 'bad', open: 'bad', overdue: 'bad',
};
export function State({ value }) {
  return html`<${Badge} tone=${TONES[value] || 'neutral'}>${value}<//>`;
}

export function CopyBlock({ label, text }) {
  const [copied, setCopied] = useState(false);
  const copy = () =>
    navigator.clipboard?.writeText(text).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      },
      () => {},
    );
  return html`<figure class="snippet">
    <figcaption>${label}<button type="button" class="small" onClick=${copy} aria-label=${`Copy ${label}`}>${copied ? 'Copied' : 'Copy'}</button></figcaption>
    <pre tabindex="0"><code>${text}</code></pre>
  </figure>`;
}

export function ago(ms) {
  if (!ms) return 'never';
  const s = Math.round((Date.now() - ms) / 1000);
  if (s < 60) return `${Math.max(s, 0)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400 * 2) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

export function duration(ms) {
  if (ms === undefined || ms === null) return '';
  const h = ms / 3600000;
  if (h >= 48) return `${Math.round(h / 24)} days`;
  if (h >= 1) return `${Math.round(h * 10) / 10} h`;
  return `${Math.round(ms / 60000)} min`;
}

// "26h", "2d", "30m", "45s" -> milliseconds (null when unreadable).
export function parseDuration(s) {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/.exec(String(s || '').trim());
  if (!m) return null;
  const unit = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 }[m[2]];
  return Number(m[1]) * unit;
}

export function date(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}
