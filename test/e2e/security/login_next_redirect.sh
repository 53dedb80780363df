# The web catalog's login sends the browser on only to a path of the same site: `/\evil`,
# `//evil`, control characters and absolute URLs fall back to `/` (an open redirect before).
command -v node >/dev/null || skip "node is not installed"
cat >"$WORK/check.mjs" <<JS
import { safeNext } from '$SOURCE_DIR/web/src/safe_next.js';
const origin = 'https://catalog.example.com';
const cases = [
  ['/products/orders.order_facts?tab=schema#x', '/products/orders.order_facts?tab=schema#x'],
  ['/\\\\evil.example', '/'], ['/\\\\/evil.example', '/'], ['//evil.example', '/'], ['/%5Cevil', '/%5Cevil'],
  ['https://evil.example/', '/'], ['/\\t/evil.example', '/'], ['/\\n/evil.example', '/'], ['/login?next=/x', '/'],
  ['', '/'], [null, '/'], ['javascript:alert(1)', '/'],
];
let failed = 0;
for (const [input, want] of cases) {
  const got = safeNext(input, origin);
  console.log(JSON.stringify(input), '->', JSON.stringify(got));
  if (got !== want) { console.error('FAIL: expected', JSON.stringify(want)); failed++; }
}
process.exit(failed ? 1 : 0);
JS
node "$WORK/check.mjs"
