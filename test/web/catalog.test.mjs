// The web catalog end to end in headless chromium, against the real `tessera serve` over the demo
// mesh (tiny data): search and facets, a product page, lineage, access request -> approval ->
// sample rows, what a consumer without a grant does not see, token and OIDC login (against a fake
// identity provider on 127.0.0.1), the domain map, scorecards, a phone-width check, and axe-core
// on every page (serious or critical violations fail). Run by test/web/run.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BIN = process.env.TESSERA_BIN;
const SOURCE = process.env.SOURCE_DIR;
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-web-'));
const HOME = path.join(WORK, 'home');
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(SOURCE, 'docs', 'screenshots') : path.join(WORK, 'screenshots');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let server;     // the tessera serve process
let idp;        // the fake identity provider
let origin;     // http://127.0.0.1:PORT of the server
let browser;
const tokens = {};

function tessera(args, user = 'admin') {
  return execFileSync(BIN, args, {
    env: { ...process.env, TESSERA_HOME: HOME, TESSERA_USER: user, TESSERA_LOG: 'warn' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

// The demo mesh on tiny data, built and checked, with an admin, a domain owner and consumers.
function buildDemoHome() {
  const mesh = path.join(WORK, 'mesh');
  const example = path.join(SOURCE, 'examples', 'ecommerce');
  const data = path.join(example, 'data');
  fs.cpSync(example, mesh, { recursive: true, filter: (src) => src !== data && !src.startsWith(data + path.sep) });
  fs.rmSync(path.join(mesh, 'data'), { recursive: true, force: true });
  execFileSync(path.join(path.dirname(BIN), 'tessera-sqlrun'), [path.join(mesh, 'generate.sql'), '--var', 'scale=0.001', '--var', `out=${path.join(mesh, 'data')}`], { stdio: 'ignore' });
  tessera(['-q', 'apply', mesh, '-m', 'demo mesh']);
  tessera(['-q', 'run', '--all']);
  // An ownership gap for the domain map: a domain no team owns.
  const gap = path.join(WORK, 'finance.yaml');
  fs.writeFileSync(gap, 'apiVersion: tessera/v1\nkind: Domain\nmetadata: {name: finance}\nspec:\n  title: Finance\n  description: Invoices, payments and the ledger; no team owns it yet.\n');
  tessera(['-q', 'apply', gap, '-m', 'a domain without owner']);
  for (let i = 0; i < 3; i++) tessera(['check'], 'admin');  // three points of the scorecard trend
  tessera(['role', 'grant', 'admin', 'admin', '-q']);
  tessera(['role', 'grant', 'olga', 'owner', '--domain', 'users', '-q']);
  for (const user of ['olga', 'carl', 'dave']) tokens[user] = tessera(['token', 'create', '--user', user]);
}

// A fake OpenID provider: /authorize answers the implicit flow at once with an id_token for
// `erin`, signed RS256 by a key whose JWKS the server reads from a file.
async function startIdp() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };
  fs.writeFileSync(path.join(WORK, 'jwks.json'), JSON.stringify({ keys: [jwk] }));
  const b64 = (x) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname !== '/authorize') {
      res.writeHead(404).end();
      return;
    }
    const p = url.searchParams;
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: srv.issuer, aud: p.get('client_id'), sub: 'erin', nonce: p.get('nonce'), iat: now, exp: now + 600, groups: ['analysts'] };
    const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'test-key' })}.${b64(claims)}`;
    const jwt = `${input}.${crypto.sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
    srv.requests.push(Object.fromEntries(p));
    res.writeHead(302, { Location: `${p.get('redirect_uri')}#id_token=${jwt}&state=${encodeURIComponent(p.get('state'))}` }).end();
  });
  srv.requests = [];
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  srv.issuer = `http://127.0.0.1:${srv.address().port}`;
  return srv;
}

async function startServer() {
  const config = path.join(WORK, 'serve.yaml');
  fs.writeFileSync(config, [
    `oidc:`,
    `  issuer: ${idp.issuer}`,
    `  audience: tessera-web`,
    `  jwks_file: ${path.join(WORK, 'jwks.json')}`,
    `  authorization_endpoint: ${idp.issuer}/authorize`,
    `  client_id: tessera-web`,
    '',
  ].join('\n'));
  const proc = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--no-scheduler', '--config', config], {
    env: { ...process.env, TESSERA_HOME: HOME, TESSERA_USER: 'admin', TESSERA_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${err}`)), 15000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.on('exit', (code) => reject(new Error(`the server exited with ${code}: ${err}`)));
  });
  return { proc, port };
}

// A page in its own browser context (own sessionStorage), failing on script errors and CSP reports.
async function newPage(viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) page.problems.push(`CSP: ${m.text()}`);
  });
  return page;
}

async function closePage(page) {
  assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
  await page.context().close();
}

async function login(page, user) {
  await page.goto(`${origin}/login`);
  await page.getByLabel('API token', { exact: true }).fill(tokens[user]);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('.who .user', { hasText: user }).waitFor();
}

// axe-core in the page (evaluated through the DevTools protocol, so the page's CSP still holds for
// the page's own scripts); serious and critical violations fail.
async function checkA11y(page, what) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')})`), [], `accessibility of ${what}`);
}

async function shot(page, name, fullPage = false) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.evaluate(() => document.activeElement?.blur());
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

before(async () => {
  buildDemoHome();
  idp = await startIdp();
  server = await startServer();
  origin = `http://127.0.0.1:${server.port}`;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
});

after(async () => {
  await browser?.close();
  server?.proc.kill('SIGTERM');
  idp?.close();
  fs.rmSync(WORK, { recursive: true, force: true });
});

describe('the web catalog', () => {
  test('serves the pages with a strict CSP, deep links and cacheable assets; the API keeps its problems', async () => {
    const res = await fetch(`${origin}/products/orders/order_facts`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    const csp = res.headers.get('content-security-policy');
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const html = await res.text();
    assert.doesNotMatch(html, /<script>|<script [^>]*>[^<]/, 'no inline script');
    const js = /src="(\/assets\/main-[A-Z0-9]+\.js)"/.exec(html)[1];
    const asset = await fetch(origin + js);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('content-type'), /^text\/javascript/);
    assert.match(asset.headers.get('cache-control'), /immutable/);
    const again = await fetch(origin + js, { headers: { 'If-None-Match': asset.headers.get('etag') } });
    assert.equal(again.status, 304);
    const api = await fetch(`${origin}/api/v1/nowhere`);
    assert.equal(api.status, 404);
    assert.match(api.headers.get('content-type'), /problem\+json/);
    assert.equal((await fetch(`${origin}/assets/nothing-XYZ.js`)).status, 404);
  });

  test('a visitor without a token is sent to sign in; a token signs in', async () => {
    const page = await newPage();
    await page.goto(`${origin}/products/orders/order_facts`);
    await page.waitForURL(/\/login\?next=/);
    await checkA11y(page, 'the login page');
    await shot(page, 'login');
    await page.getByLabel('API token', { exact: true }).fill('tsr_0000000000000000_wrongwrongwrongwrongwrongwrongwrongwron');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('API token', { exact: true }).fill(tokens.carl);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${origin}/products/orders/order_facts`);
    await page.locator('.who .user', { hasText: 'carl' }).waitFor();
    await closePage(page);
  });

  test('search gives instant, highlighted results; a facet filters them; pages load by cursor', async () => {
    const page = await newPage();
    await login(page, 'carl');
    const box = page.getByLabel('Search data products');
    await page.locator('#results-h', { hasText: 'All data products' }).waitFor();
    await box.fill('order');
    await page.locator('#results-h', { hasText: /products match “order”/ }).waitFor();
    await page.waitForURL(/\?q=order$/);
    assert.ok(await page.locator('.hit mark').count() > 0, 'matches are highlighted');
    await page.locator('button[data-facet="domain"][data-value="orders"]').click();
    await page.waitForURL(/domain=orders/);
    await page.locator('button[data-facet="domain"][data-value="orders"][aria-pressed="true"]').waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('.hit .addr')].length > 0 &&
      [...document.querySelectorAll('.hit .addr')].every((a) => a.textContent.startsWith('orders.')));
    await page.locator('.hit h3 a').first().waitFor();
    await checkA11y(page, 'the search page');
    await shot(page, 'search');
    // Without words: every product, a page at a time.
    await box.fill('');
    await page.waitForURL(/\/\?domain=orders$|\/$/);
    await page.locator('#results-h', { hasText: 'All data products' }).waitFor();
    await closePage(page);
  });

  test('a product page shows owners, schema with classification and masks, quality, lineage and how to query it', async () => {
    const page = await newPage();
    await login(page, 'carl');
    await page.getByLabel('Search data products').fill('order facts');
    await page.locator('.hit h3 a', { hasText: 'Order facts' }).click();
    await page.waitForURL(`${origin}/products/orders/order_facts`);
    await page.getByRole('heading', { level: 1, name: 'Order facts' }).waitFor();
    const text = await page.locator('article.product').textContent();
    for (const want of ['order_management', 'aggregate', 'Ports and schema', 'Quality checks', 'Lineage', 'How to query it']) {
      assert.ok(text.includes(want), `the product page shows ${want}`);
    }
    await page.locator('.schema .badge', { hasText: 'confidential' }).first().waitFor();
    await page.locator('#quality .badge', { hasText: 'passed' }).first().waitFor();
    assert.ok((await page.locator('#query pre').allTextContents()).join('\n').includes(`${origin}/api/v1/query`), 'snippets carry the server origin');
    assert.ok((await page.locator('#query pre').first().textContent()).includes('from orders.order_facts'), 'SQL snippet uses the address');
    await page.locator('#lineage [data-node="orders.order_lines"]').waitFor();
    await checkA11y(page, 'the product page');
    await shot(page, 'product');
    await page.evaluate(() => document.getElementById('lineage').scrollIntoView());
    await shot(page, 'product-lineage');
    // Column lineage on click: the column's own graph.
    await page.getByRole('button', { name: 'Lineage of column margin_amount' }).click();
    await page.waitForURL(/column=margin_amount/);
    await page.locator('#lineage [data-node="orders.order_lines.quantity"]').waitFor();
    // Follow lineage upstream with the keyboard: focus a node, Enter opens it.
    await page.locator('#lineage [data-node="orders.order_lines.quantity"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/products\/orders\/order_lines\?column=quantity/);
    await page.getByRole('heading', { level: 1, name: 'Order lines' }).waitFor();
    await page.goto(`${origin}/products/orders/order_facts`);
    await page.locator('#lineage [data-node="catalog.products"]').click();
    await page.waitForURL(`${origin}/products/catalog/products`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await closePage(page);
  });

  test('a consumer without a grant sees no sample rows and no approval queue', async () => {
    const page = await newPage();
    await login(page, 'dave');
    await page.goto(`${origin}/products/users/customers`);
    await page.locator('[data-testid="no-sample"]').waitFor();
    assert.equal(await page.locator('[data-testid="sample-rows"]').count(), 0);
    await page.goto(`${origin}/access`);
    await page.getByRole('heading', { name: 'Your requests' }).waitFor();
    assert.equal(await page.locator('[data-testid="approval-queue"]').count(), 0);
    await checkA11y(page, 'the access page of a consumer');
    await closePage(page);
  });

  test('a consumer requests access, the owner approves it in the queue, then the consumer sees sample rows', async () => {
    const carl = await newPage();
    await login(carl, 'carl');
    await carl.goto(`${origin}/products/users/customers`);
    await carl.locator('[data-testid="no-sample"]').waitFor();
    await carl.getByRole('button', { name: 'Request access' }).click();
    await carl.getByLabel('Why do you need it?').fill('churn study for the loyalty team');
    await checkA11y(carl, 'the request form');
    await carl.getByRole('button', { name: 'Send request' }).click();
    await carl.getByRole('status').filter({ hasText: 'pending' }).waitFor();

    const olga = await newPage();
    await login(olga, 'olga');
    await olga.goto(`${origin}/access`);
    const queue = olga.locator('[data-testid="approval-queue"]');
    await queue.locator('tr', { hasText: 'carl' }).waitFor();
    await checkA11y(olga, 'the approval queue');
    await shot(olga, 'access-queue');
    await queue.getByRole('button', { name: /^Approve request \d+ of carl for users\.customers$/ }).click();
    await olga.locator('section', { hasText: 'Waiting for your decision' }).getByText('Nothing waits for you.').waitFor();
    await closePage(olga);

    await carl.goto(`${origin}/products/users/customers`);
    const rows = carl.locator('[data-testid="sample-rows"] tbody tr');
    await rows.first().waitFor();
    assert.ok(await rows.count() > 0, 'sample rows are shown');
    await carl.getByText('You may read this product').waitFor();
    assert.equal(await carl.getByRole('button', { name: 'Request access' }).count(), 0, 'nothing left to ask for');
    await carl.locator('[data-testid="sample-rows"] .badge', { hasText: 'masked' }).first().waitFor();
    await carl.evaluate(() => document.getElementById('sample').scrollIntoView());
    await shot(carl, 'product-sample');
    await carl.goto(`${origin}/access`);
    await carl.locator('tr', { hasText: 'users.customers' }).locator('.badge', { hasText: 'approved' }).first().waitFor();
    await checkA11y(carl, 'the access page after approval');
    await shot(carl, 'access-requests');
    await closePage(carl);
  });

  test('the owner revokes a grant; the consumer then sees no sample rows again', async () => {
    const olga = await newPage();
    await login(olga, 'olga');
    await olga.goto(`${origin}/access`);
    const granted = olga.locator('[data-testid="granted"]');
    const revoke = granted.getByRole('button', { name: /^Revoke grant \d+ of carl on users\.customers$/ });
    await revoke.waitFor();
    await checkA11y(olga, 'the grants on a domain');
    await revoke.click();
    await granted.getByText('No one holds a grant on your domains.').waitFor();
    await closePage(olga);

    const carl = await newPage();
    await login(carl, 'carl');
    await carl.goto(`${origin}/products/users/customers`);
    await carl.locator('[data-testid="no-sample"]').waitFor();
    assert.equal(await carl.locator('[data-testid="sample-rows"]').count(), 0, 'no rows after the revoke');
    await closePage(carl);
  });

  test('an owner denies a request with a reason; the consumer reads it and still sees no rows', async () => {
    const dave = await newPage();
    await login(dave, 'dave');
    await dave.goto(`${origin}/products/users/customers`);
    await dave.getByRole('button', { name: 'Request access' }).click();
    await dave.getByLabel('Why do you need it?').fill('curious');
    await dave.getByRole('button', { name: 'Send request' }).click();
    await dave.getByRole('status').filter({ hasText: 'pending' }).waitFor();

    const olga = await newPage();
    await login(olga, 'olga');
    await olga.goto(`${origin}/access`);
    const row = olga.locator('[data-testid="approval-queue"] tr', { hasText: 'dave' });
    await row.getByRole('button', { name: /^Deny request/ }).click();
    await row.getByRole('alert').filter({ hasText: 'Say why' }).waitFor();  // a denial needs a reason
    await row.getByLabel(/^Reason for request/).fill('no business need stated');
    await row.getByRole('button', { name: /^Deny request/ }).click();
    await olga.getByText('Nothing waits for you.').waitFor();
    await closePage(olga);

    await dave.goto(`${origin}/access`);
    const mine = dave.locator('tr', { hasText: 'users.customers' });
    await mine.locator('.badge', { hasText: 'denied' }).waitFor();
    assert.match(await mine.textContent(), /no business need stated/);
    await dave.goto(`${origin}/products/users/customers`);
    await dave.locator('[data-testid="no-sample"]').waitFor();
    assert.equal(await dave.locator('[data-testid="sample-rows"]').count(), 0);
    await closePage(dave);
  });

  test('the domain map draws domains and dependencies with ownership gaps; Enter drills into a domain', async () => {
    const page = await newPage();
    await login(page, 'carl');
    await page.goto(`${origin}/domains`);
    await page.locator('svg.graph [data-node="users"]').waitFor();
    await page.locator('svg.graph [data-node="finance"].gap').waitFor();
    assert.match(await page.locator('tr.has-gap').textContent(), /domain finance has no owner team/);
    await checkA11y(page, 'the domain map');
    await shot(page, 'domain-map');
    await page.locator('svg.graph [data-node="marketing"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${origin}/domains/marketing`);
    await page.locator('svg.graph [data-node="marketing.customer_360"]').waitFor();
    await page.locator('svg.graph [data-node="users.customers"]').waitFor();
    await checkA11y(page, 'a domain');
    await shot(page, 'domain');
    await closePage(page);
  });

  test('scorecards show domains and the trend as a chart', async () => {
    const page = await newPage();
    await login(page, 'carl');
    await page.goto(`${origin}/scorecards`);
    await page.locator('.scores tbody tr').first().waitFor();
    await page.locator('figure.chart svg, figure.chart + p, .card p.muted').first().waitFor();
    await page.locator('.scores tbody th a', { hasText: 'orders' }).click();
    await page.waitForURL(/scope=domain&name=orders/);
    await page.getByRole('heading', { name: 'Domain orders' }).waitFor();
    await checkA11y(page, 'the scorecards');
    await shot(page, 'scorecards');
    await closePage(page);
  });

  test('OIDC: the button signs in through the identity provider with an id_token', async () => {
    const page = await newPage();
    await page.goto(`${origin}/login`);
    await page.getByRole('button', { name: /^Sign in with / }).click();
    await page.locator('.who .user', { hasText: 'erin' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    const asked = idp.requests.at(-1);
    assert.equal(asked.response_type, 'id_token');
    assert.equal(asked.client_id, 'tessera-web');
    assert.equal(asked.redirect_uri, `${origin}/login/callback`);
    assert.ok(asked.nonce && asked.state);
    const stored = await page.evaluate(() => sessionStorage.getItem('tessera.credential'));
    assert.match(JSON.parse(stored).token, /^ey[^.]+\.[^.]+\.[^.]+$/);
    await closePage(page);
  });

  test('at phone width the pages fit the screen and the menu opens', async () => {
    const page = await newPage(PHONE);
    await login(page, 'carl');
    for (const where of ['/?q=customer', '/products/users/customers', '/access', '/domains']) {
      await page.goto(origin + where);
      await page.locator('main h1, main h2').first().waitFor();
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${where} fits 390 px (overflows by ${overflow})`);
    }
    await page.goto(`${origin}/?q=customer`);
    await page.locator('.hit').first().waitFor();
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Domain map' }).waitFor();
    await checkA11y(page, 'the phone layout');
    await shot(page, 'phone-search');
    await closePage(page);
  });
});
