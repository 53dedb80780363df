// The REST API of the server that serves this page (/api/v1, docs/api.md), with the caller's
// credential: an API token or an OIDC id_token, kept in sessionStorage (gone with the tab).

const KEY = 'tessera.credential';

export function credential() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || 'null');
  } catch {
    return null;
  }
}

export function setCredential(c) {
  if (c) sessionStorage.setItem(KEY, JSON.stringify(c));
  else sessionStorage.removeItem(KEY);
  cache.clear();
}

// A problem document (RFC 9457) as an Error: `status`, `type`, `detail`.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.type = problem?.type || '';
    this.problem = problem;
  }
}

const cache = new Map();  // GET answers of this page's life, by URL, for 10 s

export async function api(path, { method = 'GET', body, signal, fresh = false } = {}) {
  const url = path.startsWith('/') ? path : `/api/v1/${path}`;
  if (method === 'GET' && !fresh) {
    const hit = cache.get(url);
    if (hit && hit.until > Date.now()) return hit.value;
  }
  const headers = { Accept: 'application/json' };
  const c = credential();
  if (c?.token) headers.Authorization = `Bearer ${c.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url, { method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) throw new ApiError(res.status, json);
  if (method === 'GET') cache.set(url, { value: json, until: Date.now() + 10000 });
  else cache.clear();
  return json;
}

// `api` that answers `fallback` when the route is absent or refuses (a 404 route-not-found or a
// 403): for the parts of a page that a server or a caller may not have.
export async function optional(path, fallback = null) {
  try {
    return await api(path);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 403 || e.status === 501)) return fallback;
    throw e;
  }
}

export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

// "orders.order_facts" -> the product's REST path.
export function productPath(name) {
  const [domain, product] = name.split('.');
  return `domains/${encodeURIComponent(domain)}/products/${encodeURIComponent(product)}`;
}
