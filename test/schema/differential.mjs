// Differential check of the schema against `tessera validate` (slow: one tessera run per case;
// about 3 minutes on 2 cores). Opt-in: `test/schema/run.sh --differential`.
//
//   node differential.mjs --tessera BIN [--schema FILE] FILE...
//
// Mutates every document of FILE...: removes each field, sets each field to one of many values
// (null, "", numbers, lists, bad names…), adds fields; then sets the fields that have a pattern
// (column type, cron schedule, duration, version, product reference, name) to tricky strings.
// For each distinct mutant, the schema's verdict must equal tessera's verdict on that one
// document, where errors that need other documents (references, a transform's SQL file) count as
// "accepted": the schema cannot see them. Disagreements listed in KNOWN are reported, not failed.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import Ajv2020 from "ajv/dist/2020.js";
import YAML from "yaml";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = { schema: path.resolve(here, "../../docs/schema/tessera-v1.schema.json"), tessera: "", files: [] };
for (let i = 2; i < process.argv.length; i++) {
    const a = process.argv[i];
    if (a === "--schema" || a === "--tessera") args[a.slice(2)] = process.argv[++i];
    else args.files.push(a);
}
if (!args.tessera || args.files.length === 0) {
    console.error("usage: node differential.mjs --tessera BIN [--schema FILE] FILE...");
    process.exit(2);
}

// Disagreements that are understood: [pattern over the mutation's description, why].
const KNOWN = [
    [/(columns\.\d+\.(min|max)) = /, "column min > max: JSON Schema cannot compare two values"],
    [/\.product = (null|"")$/, "decoder bug: an input with product null or \"\" is accepted as neither product nor source"],
    [/^type = "(STRUCT|MAP|LIST)/, "the inside of STRUCT/MAP/LIST types is not checked by the schema"],
    [/^type = "DECIMAL\(\d+,\d+\)"$/, "DECIMAL scale <= width: not expressed"],
    [/^schedule = "\d+-\d+ /, "cron range a-b with a > b: not expressed"],
];

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
const validate = ajv.compile(JSON.parse(fs.readFileSync(args.schema, "utf8")));

const docs = [];
for (const f of args.files) {
    for (const d of YAML.parseAllDocuments(fs.readFileSync(f, "utf8"))) {
        const v = d.toJS();
        if (v) docs.push(v);
    }
}

const mutants = [];
const values = [null, "", 0, -1, 1.5, true, [], {}, "x", "Bad Name", "a__b", "24h", "1.2.0", "a.b", "a.b.c",
    ["x"], [null], [{}], { "x-a": 1 }, "sql", "row_count", "freshness", "null", "select 1", "0 * * * *", "BIGINT",
    "a".repeat(64)];
const added = ["foo", "x-foo", "description", "type", "sql", "query", "product", "source", "path", "format", "min",
    "max", "max_age", "column", "tags", "transform"];
const addedValues = [null, "", "x", 1, "select 1", "a.b", "1h", "*.csv"];

function setAt(doc, p, v) {
    const d = structuredClone(doc);
    let n = d;
    for (const k of p.slice(0, -1)) n = n[k];
    if (v === undefined) {
        if (Array.isArray(n)) n.splice(p.at(-1), 1);
        else delete n[p.at(-1)];
    } else {
        n[p.at(-1)] = v;
    }
    return d;
}
function walk(node, p, fn) {
    fn(node, p);
    if (Array.isArray(node)) node.forEach((c, i) => walk(c, [...p, i], fn));
    else if (node && typeof node === "object") for (const k of Object.keys(node)) walk(node[k], [...p, k], fn);
}
for (const doc of docs) {
    walk(doc, [], (node, p) => {
        const at = p.join(".");
        if (p.length) {
            mutants.push({ doc: setAt(doc, p, undefined), what: `remove ${at}` });
            for (const v of values) mutants.push({ doc: setAt(doc, p, v), what: `${at} = ${JSON.stringify(v)}` });
        }
        if (node && typeof node === "object" && !Array.isArray(node)) {
            for (const k of added) {
                if (k in node) continue;
                for (const v of addedValues) mutants.push({ doc: setAt(doc, [...p, k], v), what: `add ${[...p, k].join(".")} = ${JSON.stringify(v)}` });
            }
        }
    });
}

const product = () => ({
    apiVersion: "tessera/v1", kind: "DataProduct",
    metadata: { domain: "d", name: "p", owner: "t", version: "1.0.0" },
    spec: {
        inputs: [{ name: "i", product: "a.b" }],
        transform: { query: "select 1", schedule: "0 * * * *" },
        outputs: [{ name: "o", columns: [{ name: "c", type: "BIGINT" }], sla: { freshness: "1h" } }],
    },
});
const strings = {
    type: [(d, v) => (d.spec.outputs[0].columns[0].type = v), ["bigint", "BIGINT[]", "BIGINT [ ]", "BIGINT[3]",
        "BIGINT[12345]", "BIGINT[-1]", "BIGINT[]x", "int8", "INT 8", "DECIMAL", "DECIMAL()", "DECIMAL(0)", "DECIMAL(1)",
        "DECIMAL(38,38)", "DECIMAL(38,39)", "DECIMAL(5,10)", "DECIMAL(0038,02)", "DECIMAL(00038,2)", "DECIMAL(10,)",
        "DECIMAL(,2)", "DECIMAL 10", "NUMERIC(5, 2)", "VARCHAR(0)", "VARCHAR(10000)", "VARCHAR()", "VARCHAR(x)",
        "CHAR(1)", "TEXT(5)", "STRING", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP  WITH   TIME ZONE", "TIMESTAMP WITH TIME",
        "TIMESTAMP WITHOUT TIME ZONE", "TIME WITH TIME ZONE", "TIMETZ WITH TIME ZONE", "DATE WITH TIME ZONE",
        "TIMESTAMPTZ", "timestamp_s", "TIMESTAMP_US", "STRUCT(a INT)", "STRUCT()", "MAP(INT, INT)", "LIST(INT)",
        "INT[][]", "INT[ 3 ][ ]", "UNION(a INT)", "ENUM('a')", "VARINT", "DOUBLE PRECISION", "INTEGER ", "\tINTEGER",
        "", "  ", "BIGINT;", "BIG_INT", "_INT", "UUID[]", "JSON[2]", "BIT", "BITSTRING", "GEOMETRY", "INT128",
        "UHUGEINT", "DATETIME WITH TIME ZONE", "STRUCT(a INT)[]", "LIST(LIST(INT))", "STRUCT(a BIGINTT)"]],
    schedule: [(d, v) => (d.spec.transform.schedule = v), ["* * * * *", "*/5 * * * *", "0 0 1 1 0", "59 23 31 12 7",
        "60 * * * *", "* 24 * * *", "* * 0 * *", "* * 32 * *", "* * * 0 *", "* * * 13 *", "* * * * 8", "0-59 * * * *",
        "5-1 * * * *", "1-5/2 * * * *", "*/0 * * * *", "5/15 * * * *", "1,2,3 * * * *", "1,,2 * * * *", ",1 * * * *",
        "* * * * * *", "* * * *", "  * * * * *  ", "*\t* * * *", "00 00 01 01 00", "-1 * * * *", "+1 * * * *",
        "*-5 * * * *", "1-* * * * *", "*/a * * * *", "1/2/3 * * * *", "0 0 * * MON-FRI", "", "*/999999999 * * * *"]],
    freshness: [(d, v) => (d.spec.outputs[0].sla.freshness = v), ["1s", "0s", "1 h", "1  h", "1\th", "1H", "1hr",
        "h", "1", "01h", "1.5h", " 1h", "1h ", "99999999999h", "1w", "1M", ""]],
    version: [(d, v) => (d.metadata.version = v), ["1.0.0", "0.0.0", "01.0.0", "1.0", "1.0.0-", "1.0.0-rc.1",
        "1.0.0+b", "1.0.0-rc+b", "1.0.0-r_c", "v1.0.0", "1.0.0.0", "", " 1.0.0"]],
    product: [(d, v) => (d.spec.inputs[0].product = v), ["a.b", "a.b.c", "a.b.c.d", "a", "a..b", "a.b.", "A.b",
        "a_.b", "a__b.c", "1a.b", "a.b-c", `a.${"b".repeat(63)}`, `a.${"b".repeat(64)}`, `${"a".repeat(64)}.b`, ".a.b"]],
    name: [(d, v) => (d.metadata.name = v), ["a", "a1", "a_1", "a__b", "a_", "_a", "1a", "A", "a-b", "a".repeat(63),
        "a".repeat(64), "ä", "a b"]],
};
for (const [field, [set, list]] of Object.entries(strings)) {
    for (const v of list) {
        const d = product();
        set(d, v);
        mutants.push({ doc: d, what: `${field} = ${JSON.stringify(v)}` });
    }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-differential-"));
fs.mkdirSync(path.join(dir, "home"));
const file = path.join(dir, "m.yaml");
const needsOthers = /neither in the catalog nor in this apply set|expected an output port of|expected a port, as|duplicate |cycle|expected another|expected a readable SQL file/;
const seen = new Set();
const unknown = [], known = new Map();
try {
    for (const m of mutants) {
        const text = YAML.stringify(m.doc);
        if (seen.has(text)) continue;
        seen.add(text);
        fs.writeFileSync(file, text);
        const r = spawnSync(args.tessera, ["validate", file], {
            encoding: "utf8", env: { ...process.env, TESSERA_HOME: path.join(dir, "home") },
        });
        const errors = (r.stderr ?? "").split("\n").filter((l) => l.includes(": error: "));
        if (r.status !== 0 && r.status !== 2) {
            unknown.push(`tessera exited ${r.status ?? r.signal ?? r.error?.code} on ${m.what}: ${(r.stderr ?? "").trim().slice(0, 300)}`);
            continue;
        }
        const decoderAccepts = r.status === 0 || errors.every((l) => needsOthers.test(l));
        const schemaAccepts = validate(m.doc);
        if (decoderAccepts === schemaAccepts) continue;
        const line = `${schemaAccepts ? "schema accepts, tessera rejects" : "schema rejects, tessera accepts"}: ${m.what}` +
            (schemaAccepts ? `\n    ${errors.filter((l) => !needsOthers.test(l)).join("\n    ")}` : "");
        const reason = KNOWN.find(([re]) => re.test(m.what));
        if (reason) known.set(reason[1], (known.get(reason[1]) ?? 0) + 1);
        else unknown.push(line);
    }
} finally {
    fs.rmSync(dir, { recursive: true, force: true });
}

for (const [why, n] of known) console.log(`known (${n}): ${why}`);
console.log(`differential: ${seen.size} cases, ${unknown.length} unexplained disagreement(s)`);
if (unknown.length) {
    console.error(unknown.map((l) => `FAIL ${l}`).join("\n"));
    process.exit(1);
}
