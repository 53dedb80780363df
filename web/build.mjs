// Bundles the web catalog into OUT (default web/dist): index.html plus content-hashed files under
// assets/. Run by the CMake build (src/server/embed_web.cmake embeds OUT into the binary).
//   node web/build.mjs OUT_DIR
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
if (!fs.existsSync(path.join(here, 'node_modules', 'esbuild'))) {
  process.stderr.write('web/node_modules is missing: run scripts/setup-deps.sh (it runs npm ci in web/)\n');
  process.exit(1);
}
const esbuild = await import('esbuild');
const out = path.resolve(process.argv[2] || path.join(here, 'dist'));
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, 'assets'), { recursive: true });

const result = await esbuild.build({
  entryPoints: [path.join(here, 'src', 'main.js')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  outdir: path.join(out, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
let js = '', css = '';
for (const file of Object.keys(result.metafile.outputs)) {
  const name = path.basename(file);
  if (name.endsWith('.js')) js = name;
  if (name.endsWith('.css')) css = name;
}
const favicon = fs.readFileSync(path.join(here, 'src', 'favicon.svg'));
fs.writeFileSync(path.join(out, 'assets', 'favicon.svg'), favicon);
const html = fs.readFileSync(path.join(here, 'src', 'index.html'), 'utf8')
  .replace('%CSS%', `/assets/${css}`)
  .replace('%JS%', `/assets/${js}`);
fs.writeFileSync(path.join(out, 'index.html'), html);
