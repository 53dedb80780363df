// Validates a SARIF log against the SARIF 2.1.0 JSON schema (OASIS, as shipped in
// @microsoft/jest-sarif). Prints "ok: FILE is SARIF 2.1.0 (N results)" or every error, exit 1.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const schemaFile = path.join(path.dirname(require.resolve("@microsoft/jest-sarif/package.json")),
                             "lib/schemas/sarif-2.1.0-rtm.5.json");
const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
// A draft-04 document: its `id` and `$schema` are dropped; the keywords it uses mean the same in
// the draft Ajv reads by default.
delete schema.$schema;
delete schema.id;
// The schema's `language` pattern is not valid in Unicode mode: plain regular expressions.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);
const file = process.argv[2];
const log = JSON.parse(fs.readFileSync(file, "utf8"));
if (!validate(log)) {
  for (const e of validate.errors) console.log(`${file}: ${e.instancePath || "/"}: ${e.message}`);
  process.exit(1);
}
const results = log.runs.reduce((n, r) => n + (r.results || []).length, 0);
console.log(`ok: ${path.basename(file)} is SARIF ${log.version} (${results} results)`);
