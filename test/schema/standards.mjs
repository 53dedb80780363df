// The open standards, checked with ajv (an independent JSON Schema implementation):
//  1. every example of test/fixtures/standards is valid or invalid for ajv exactly when
//     `tessera import` accepts or refuses it (our validator agrees with ajv);
//  2. every ODCS, ODPS and DCS export — of each imported fixture and of each product of
//     examples/ecommerce — is valid against the official schema of the version it declares;
//  3. every JSON Schema export compiles as a 2020-12 schema.
//
//   node standards.mjs --tessera BIN --schemas DIR --fixtures DIR --examples DIR --work DIR
import { readFileSync, readdirSync, statSync, mkdirSync } from "node:fs";
import { join, basename } from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import Ajv from "ajv";
import Ajv2019 from "ajv/dist/2019.js";
import Ajv2020 from "ajv/dist/2020.js";
import YAML from "yaml";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, v, i, a) => (i % 2 === 0 ? [...acc, [v.replace(/^--/, ""), a[i + 1]]] : acc), []));
const { tessera, schemas, fixtures, examples, work } = args;
const options = { strict: false, allErrors: true, validateFormats: false };
const cache = new Map();
function validator(schemaFile) {
  if (cache.has(schemaFile)) return cache.get(schemaFile);
  const schema = JSON.parse(readFileSync(join(schemas, schemaFile), "utf8"));
  const draft = schema.$schema || "";
  const ajv = draft.includes("2020-12") ? new Ajv2020(options) : draft.includes("2019-09") ? new Ajv2019(options) : new Ajv(options);
  const v = ajv.compile(schema);
  cache.set(schemaFile, v);
  return v;
}
const schemaOf = {
  odcs: (d) => (d.apiVersion === "v3.1.0" ? "odcs/odcs-json-schema-v3.1.0.json" : "odcs/odcs-json-schema-v3.0.2.json"),
  odps: () => "odps/odps-json-schema-v1.0.0.json",
  dcs: () => "datacontract-specification/datacontract.schema.json",
  dpds: () => "dpds/dpds-1.0.0.schema.json",
};
const parse = (text) => YAML.parse(text, { version: "1.2" });
// PyYAML (Debian python3-yaml, YAML 1.1) -> JSON; a date or timestamp it resolves stays an object
// ({"$yaml11": "datetime"}) so that the schema and the comparison see it.
const YAML11_TO_JSON = `
import json, sys, yaml
print(json.dumps(yaml.safe_load(sys.stdin), default=lambda o: {"$yaml11": type(o).__name__}))
`;
let failures = 0;
const fail = (m) => { console.error("FAIL: " + m); failures++; };

// 1. Fixtures: ajv and tessera agree.
const cases = [
  ["odcs", "odcs/full-example.odcs.yaml", "seller"], ["odcs", "odcs/kafka-server.odcs.yaml", "streaming"],
  ["odcs", "odcs/basic-four-dpo.odcs.yaml", "privacy"],
  ["dcs", "datacontract-specification/orders-latest.datacontract.yaml", "checkout"],
  ["dcs", "datacontract-specification/covid-cases.datacontract.yaml", "health"],
  ["dcs", "datacontract-cli/datacontract-fields-v1.yaml", "checkout"], ["dcs", "datacontract-cli/datacontract-fields-v2.yaml", "checkout"],
  ["odps", "odps/customer-data-product.odps.yaml", "seller"], ["dpds", "dpds/minimal.dpd.json", "transport"],
];
const exports = [];
for (const [std, file, domain] of cases) {
  const doc = parse(readFileSync(join(fixtures, file), "utf8"));
  const v = validator(schemaOf[std](doc));
  const ajvValid = v(doc);
  const out = join(work, basename(file).replace(/\W+/g, "_"));
  const r = spawnSync(tessera, ["-q", "import", std, join(fixtures, file), "--domain", domain, "--out", out], { encoding: "utf8" });
  const ours = r.status === 0;
  if (ajvValid !== ours) {
    fail(`${file}: ajv says ${ajvValid ? "valid" : "invalid"}, tessera import exits ${r.status}\n${r.stderr}\n${JSON.stringify(v.errors)}`);
  } else {
    console.log(`ok   ${file}: ${ajvValid ? "valid, imported" : "invalid for ajv and for tessera (" + v.errors.length + " ajv errors)"}`);
  }
  if (ours && std !== "dpds") {
    const products = join(out, "domains", domain, "products");
    for (const f of readdirSync(products)) {
      // A contract without columns makes a descriptor that needs edits before it loads (import
      // warns); its export is checked on the model by the unit round trip instead.
      if (spawnSync(tessera, ["-q", "validate", out], { encoding: "utf8" }).status !== 0) {
        console.log(`skip export of ${f}: the imported descriptor is incomplete (no columns), as import warned`);
        continue;
      }
      exports.push([join(products, f), std]);
    }
  }
}

// 2. Exports of the imported fixtures (in their own standard) and of the demo's products (in every standard).
function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
for (const f of walk(examples).filter((p) => p.includes("/products/") && p.endsWith(".yaml"))) {
  for (const std of ["odcs", "odps", "dcs"]) exports.push([f, std]);
}
for (const [file, std] of exports) {
  const r = spawnSync(tessera, ["export", file, "--format", std], { encoding: "utf8" });
  if (r.status !== 0) { fail(`tessera export ${file} --format ${std} exits ${r.status}: ${r.stderr}`); continue; }
  const doc = parse(r.stdout);
  const schema = schemaOf[std](doc);
  const v = validator(schema);
  if (!v(doc)) fail(`${std} export of ${file} breaks ${schema}: ${JSON.stringify(v.errors.slice(0, 3))}`);
  else console.log(`ok   ${std} export of ${file.replace(work, "$WORK").replace(examples, "$EXAMPLES")} is valid (${basename(schema)})`);
  // The same export read by a YAML 1.1 reader (PyYAML, as ajv-cli and many tools read YAML): it
  // must give the same document, so that it validates for them too.
  const py = spawnSync("python3", ["-c", YAML11_TO_JSON], { input: r.stdout, encoding: "utf8" });
  if (py.status !== 0) { fail(`PyYAML cannot read the ${std} export of ${file}: ${py.stderr}`); continue; }
  const doc11 = JSON.parse(py.stdout);
  if (!v(doc11)) fail(`${std} export of ${file}, read as YAML 1.1 (PyYAML), breaks ${schema}: ${JSON.stringify(v.errors.slice(0, 3))}`);
  else if (JSON.stringify(doc11) !== JSON.stringify(doc)) fail(`${std} export of ${file}: PyYAML (YAML 1.1) reads another document than YAML 1.2 does`);
  else console.log(`ok   ${std} export of ${file.replace(work, "$WORK").replace(examples, "$EXAMPLES")} reads the same as YAML 1.1 (PyYAML)`);
}

// 3. JSON Schema exports compile.
for (const f of walk(examples).filter((p) => p.includes("/products/") && p.endsWith(".yaml"))) {
  const text = execFileSync(tessera, ["export", f, "--format", "jsonschema"], { encoding: "utf8" });
  try {
    new Ajv2020(options).compile(JSON.parse(text));
    console.log(`ok   jsonschema export of ${basename(f)} compiles (2020-12)`);
  } catch (e) {
    fail(`jsonschema export of ${f}: ${e.message}`);
  }
}
if (failures) { console.error(`${failures} failures`); process.exit(1); }
console.log("all standards checks passed");
