// Checks docs/schema/tessera-v1.schema.json (JSON Schema 2020-12, with Ajv) and, when a tessera
// binary is given, that `tessera validate` agrees with it:
//
//   node check.mjs --schema FILE [--tessera BIN] [--valid PATH]... [--invalid PATH]...
//
// --valid PATH     every YAML document of every *.yaml / *.yml under PATH must match the schema;
//                  `tessera validate PATH` must exit 0 (PATH is one batch: its references must
//                  resolve within it). A PATH that holds no YAML file is reported and skipped.
// --invalid PATH   every *.yaml under PATH holds one defect: the schema must reject it, and
//                  `tessera validate FILE` must exit 2 with one error (or decoder-errors). Each says
//                  what it expects in comments at its top:
//                    # defect: what is wrong, in words
//                    # schema: /spec/outputs/0/columns/0/type  (an Ajv error at or under this path)
//                    # decoder: columns[0].type: expected a DuckDB type   (in tessera's stderr)
//                    # decoder-errors: 2    (optional: how many errors tessera reports, default 1)
//
// Also checked: the schema compiles in Ajv's strict mode; every property of every object the
// schema closes (additionalProperties: false) has a title and a description; and the enums and
// DuckDB type names of src/spec/internal/{decoder,duckdb_type}.cc are the schema's.
// Exits 1 and names each failing file and why.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import Ajv2020 from "ajv/dist/2020.js";
import YAML from "yaml";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");

const args = { valid: [], invalid: [], schema: path.join(root, "docs/schema/tessera-v1.schema.json"), tessera: "" };
for (let i = 2; i < process.argv.length; i += 2) {
    const key = process.argv[i].replace(/^--/, "");
    const value = process.argv[i + 1];
    if (value === undefined || !(key in args)) {
        console.error(`usage: node check.mjs --schema FILE [--tessera BIN] [--valid PATH]... [--invalid PATH]...`);
        process.exit(2);
    }
    if (Array.isArray(args[key])) args[key].push(value);
    else args[key] = value;
}

const failures = [];
let checked = 0;
const fail = (where, why) => failures.push(`FAIL ${where}: ${why}`);
const rel = (p) => {
    const r = path.relative(process.cwd(), p);
    return r && !r.startsWith("..") ? r : p;
};

// ---------------------------------------------------------------------------------------------
// The schema

const schema = JSON.parse(fs.readFileSync(args.schema, "utf8"));
const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false });
let validate;
try {
    validate = ajv.compile(schema);
} catch (e) {
    console.error(`FAIL ${rel(args.schema)}: does not compile: ${e.message}`);
    process.exit(1);
}

// Every property of a closed object is documented (the YAML language server shows these).
function lint(node, at) {
    if (!node || typeof node !== "object") return;
    if (node.additionalProperties === false && node.properties) {
        for (const [key, prop] of Object.entries(node.properties)) {
            if (typeof prop !== "object") continue;
            if (!prop.title || !prop.description) fail(rel(args.schema), `${at}/properties/${key} has no title or description`);
        }
    }
    for (const [key, child] of Object.entries(node)) {
        if (child && typeof child === "object") lint(child, `${at}/${key}`);
    }
}
lint(schema, "#");

// The enums and type names of the decoder are the schema's.
function cppTable(source, name) {
    const m = source.match(new RegExp(`${name}\\s*=\\s*\\{([\\s\\S]*?)\\};`));
    return m ? [...m[1].matchAll(/\{"([^"]+)",/g)].map((x) => x[1]) : null;
}
const decoderCc = path.join(root, "src/spec/internal/decoder.cc");
const duckdbCc = path.join(root, "src/spec/internal/duckdb_type.cc");
if (fs.existsSync(decoderCc)) {
    const src = fs.readFileSync(decoderCc, "utf8");
    const d = schema.$defs;
    const tables = {
        kProductKinds: d.DataProductSpec.properties.kind.enum,
        kStatuses: d.DataProductSpec.properties.status.enum,
        kClassifications: d.Column.properties.classification.enum,
        kMasks: d.Column.properties.mask.enum,
        kFormats: d.Output.properties.format.enum,
        kCheckTypes: d.QualityCheck.properties.type.enum,
        kSeverities: d.QualityCheck.properties.severity.enum,
        kTriggers: d.Transform.properties.trigger.enum,
        kDimensions: d.QualityCheck.properties.dimension.enum,
    };
    for (const [table, enumInSchema] of Object.entries(tables)) {
        const names = cppTable(src, table);
        const inSchema = enumInSchema.filter((v) => typeof v === "string" && v !== "");
        if (!names) fail(rel(decoderCc), `table ${table} not found: update check.mjs`);
        else if (JSON.stringify([...names].sort()) !== JSON.stringify([...inSchema].sort())) {
            fail(rel(args.schema), `enum of ${table} is [${inSchema}] but the decoder has [${names}]`);
        }
    }
    const inputFormats = d.Input.properties.format.enum.filter((v) => typeof v === "string" && v !== "");
    if (JSON.stringify(inputFormats.sort()) !== JSON.stringify([...cppTable(src, "kFormats")].sort())) {
        fail(rel(args.schema), `Input.format enum differs from the decoder's kFormats`);
    }
}
if (fs.existsSync(duckdbCc)) {
    const names = cppTable(fs.readFileSync(duckdbCc, "utf8"), "kAliases") ?? [];
    if (names.length === 0) fail(rel(duckdbCc), "kAliases not found: update check.mjs");
    const typePattern = new RegExp(schema.$defs.duckdbType.pattern, "u");
    for (const n of [...names, "DECIMAL", "NUMERIC", "DECIMAL(12,2)", "STRUCT(a INT)", "MAP(VARCHAR, INT)", "LIST(INT)"]) {
        for (const t of [n, n.toLowerCase(), `${n}[]`]) {
            if (!typePattern.test(t)) fail(rel(args.schema), `duckdbType pattern rejects "${t}", which the decoder accepts`);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Documents

function yamlFiles(p) {
    if (!fs.existsSync(p)) return [];
    if (fs.statSync(p).isFile()) return [p];
    const out = [];
    for (const e of fs.readdirSync(p, { withFileTypes: true })) {
        const full = path.join(p, e.name);
        if (e.isDirectory()) out.push(...yamlFiles(full));
        else if (/\.ya?ml$/.test(e.name)) out.push(full);
    }
    return out.sort();
}

// The documents of a file, as [{line, value}]; parse errors become failures.
function documents(file) {
    const text = fs.readFileSync(file, "utf8");
    const out = [];
    for (const doc of YAML.parseAllDocuments(text)) {
        if (doc.errors.length) {
            fail(rel(file), `YAML: ${doc.errors[0].message}`);
            continue;
        }
        const value = doc.toJS();
        if (value === null || value === undefined) continue;  // an empty document, as tessera skips
        // "file:line:col" of the node at a JSON pointer of this document (the nearest existing one).
        const at = (pointer) => {
            const keys = pointer.split("/").slice(1).map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
            for (let n = keys.length; n >= 0; n--) {
                const node = n === 0 ? doc.contents : doc.getIn(keys.slice(0, n).map((k) => (/^\d+$/.test(k) ? Number(k) : k)), true);
                if (node?.range) {
                    const before = text.slice(0, node.range[0]).split("\n");
                    return `${rel(file)}:${before.length}:${before.at(-1).length + 1}`;
                }
            }
            return rel(file);
        };
        out.push({ at, value });
    }
    return out;
}

// "/spec/outputs/0/columns/0/type: "VARCHR" does not match the pattern of DuckDB type (A DuckDB type, …)".
function describeError(e) {
    const at = e.instancePath || "/";
    if (e.keyword === "pattern") {
        const field = e.parentSchema?.title ? `${e.parentSchema.title} (${e.parentSchema.description})` : e.schemaPath;
        return `${at}: ${JSON.stringify(e.data)} does not match the pattern of ${field}`;
    }
    const extra = e.params?.additionalProperty;
    const allowed = e.params?.allowedValues ? ` (${e.params.allowedValues.map((v) => JSON.stringify(v)).join(", ")})` : "";
    return `${at}: ${e.message}${extra ? ` "${extra}"` : ""}${allowed}`;
}

// Ajv's errors without the "must match "then" schema" lines that only repeat a nested error.
function meaningful(errors) {
    const kept = errors.filter((e) => e.keyword !== "if");
    return kept.length ? kept : errors;
}

function errorPaths(e) {
    const extra = e.params?.additionalProperty ?? e.params?.missingProperty;
    return extra === undefined ? [e.instancePath] : [e.instancePath, `${e.instancePath}/${extra}`];
}

function runTessera(targets) {
    const home = fs.mkdtempSync(path.join(process.env.TMPDIR || "/tmp", "tessera-schema-home-"));
    try {
        const r = spawnSync(args.tessera, ["validate", ...targets], {
            encoding: "utf8",
            env: { ...process.env, TESSERA_HOME: home, TESSERA_LOG: "error" },
        });
        return { code: r.status ?? `signal ${r.signal}`, stderr: r.stderr ?? "", stdout: r.stdout ?? "" };
    } finally {
        fs.rmSync(home, { recursive: true, force: true });
    }
}

for (const dir of args.valid) {
    const before = failures.length;
    const files = yamlFiles(dir);
    if (files.length === 0) {
        console.log(`skip ${rel(dir)}: no YAML files`);
        continue;
    }
    for (const file of files) {
        for (const doc of documents(file)) {
            checked++;
            if (!validate(doc.value)) {
                for (const e of meaningful(validate.errors)) fail(doc.at(e.instancePath), `schema rejects a valid document: ${describeError(e)}`);
            }
        }
    }
    if (args.tessera) {
        const r = runTessera([dir]);
        if (r.code !== 0) fail(rel(dir), `tessera validate exited ${r.code}:\n${r.stderr.trimEnd()}`);
    }
    if (failures.length === before) console.log(`ok   ${rel(dir)}: ${files.length} files valid`);
}

for (const dir of args.invalid) {
    const before = failures.length;
    const files = yamlFiles(dir);
    if (files.length === 0) fail(rel(dir), "no invalid samples");
    for (const file of files) {
        const text = fs.readFileSync(file, "utf8");
        const expect = (key) => text.match(new RegExp(`^# ${key}: (.*)$`, "m"))?.[1].trim();
        const [schemaPath, decoderText] = [expect("schema"), expect("decoder")];
        const count = Number(expect("decoder-errors") ?? 1);
        if (!expect("defect") || schemaPath === undefined || decoderText === undefined) {
            fail(rel(file), "needs '# defect:', '# schema:' and '# decoder:' comments");
            continue;
        }
        const errors = [];
        for (const doc of documents(file)) {
            checked++;
            if (!validate(doc.value)) errors.push(...validate.errors);
        }
        if (errors.length === 0) {
            fail(rel(file), `the schema accepts it (${expect("defect")})`);
        } else if (!errors.some((e) => errorPaths(e).some((p) => p === schemaPath || p.startsWith(`${schemaPath}/`)))) {
            fail(rel(file), `the schema rejects it, but at none of ${schemaPath}:\n  ${meaningful(errors).map(describeError).join("\n  ")}`);
        }
        if (args.tessera) {
            const r = runTessera([file]);
            if (r.code !== 2) {
                fail(rel(file), `tessera validate exited ${r.code}, expected 2:\n${(r.stderr + r.stdout).trimEnd()}`);
            } else if (!r.stderr.includes(decoderText)) {
                fail(rel(file), `tessera's errors do not mention "${decoderText}":\n${r.stderr.trimEnd()}`);
            } else if (!r.stderr.includes(`: ${count} error${count === 1 ? "" : "s"} in 1 file`)) {
                fail(rel(file), `expected ${count} error(s) from its one defect, tessera found:\n${r.stderr.trimEnd()}`);
            }
        }
    }
    if (failures.length === before) console.log(`ok   ${rel(dir)}: ${files.length} files rejected`);
}

if (failures.length) {
    console.error(failures.join("\n"));
    console.error(`schema test: ${failures.length} failure(s)`);
    process.exit(1);
}
console.log(`schema test: ok (${checked} documents${args.tessera ? ", cross-checked with tessera validate" : ""})`);
