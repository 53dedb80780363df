// Where the login page may send the browser after signing in: a path of this site only. A value
// from the address (`?next=`) is the attacker's to choose, so anything that a browser could read
// as another origin is refused: `//evil` and `/\evil` (browsers treat `\` as `/`), control
// characters and whitespace that they strip, and whatever does not resolve to this origin.
export function safeNext(next, origin = globalThis.location?.origin ?? 'http://localhost') {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//')) return '/';
  if (/[\\\u0000-\u0020\u007f]/.test(next) || next.startsWith('/login')) return '/';
  try {
    const url = new URL(next, origin);
    if (url.origin !== origin) return '/';
    return url.pathname + url.search + url.hash;
  } catch {
    return '/';
  }
}
