#!/usr/bin/env bash
# Checks that the demo mesh builds: every product's transform runs in DuckDB over its inputs and
# produces exactly the declared columns (names, order, types), satisfies its column constraints
# (required, unique, accepted_values, min/max), and every quality check's SQL runs against the
# result. Also lints the descriptors (known fields, enums, references, cycles) and the naming rules
# the demo follows (snake case columns, `_at` timestamps, `is_`/`has_` booleans, one type per
# `_id` column across the mesh).
#
#   examples/ecommerce/verify.sh [--sqlrun PATH] [--data DIR] [--scale S] [--keep] [-v]
#
# Without --data it generates a fresh data set at --scale (default 0.001) into a temporary folder;
# the repository's examples/ecommerce/data is never touched. Products run in dependency order, each
# in its own in-memory DuckDB (tessera-sqlrun), the way `tessera run` builds them: a view per input
# (source files through read_csv(auto_detect) / read_json_auto / read_parquet, upstream products
# from their Parquet output), then CREATE TABLE <port> AS <transform>, written as Parquet for its
# consumers.
#
# Exit status: 0 when everything holds, 1 when anything differs (each difference is printed as
# `FAIL <product>: <what>`), 2 on bad usage or a missing tool. Needs python3 with PyYAML.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
sqlrun="${TESSERA_SQLRUN:-}"
data=""
scale="0.001"
keep=0
verbose=0

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --sqlrun) sqlrun="$2"; shift 2 ;;
        --data) data="$2"; shift 2 ;;
        --scale) scale="$2"; shift 2 ;;
        --keep) keep=1; shift ;;
        -v|--verbose) verbose=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "verify.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

if [[ -z "$sqlrun" ]]; then
    for candidate in "$repo/build/tessera-sqlrun" "$repo"/build*/tessera-sqlrun; do
        if [[ -x "$candidate" ]]; then sqlrun="$candidate"; break; fi
    done
fi
if [[ -z "$sqlrun" || ! -x "$sqlrun" ]]; then
    echo "verify.sh: tessera-sqlrun not found; build it (ninja -C build tessera-sqlrun) or pass --sqlrun PATH" >&2
    exit 2
fi
if ! python3 -c 'import yaml' 2>/dev/null; then
    echo "verify.sh: python3 with PyYAML is required (apt-get install python3-yaml)" >&2
    exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/tessera-verify.XXXXXX")"
if [[ $keep -eq 0 ]]; then trap 'rm -rf "$work"' EXIT; else echo "verify.sh: keeping $work"; fi

if [[ -z "$data" ]]; then
    data="$work/data"
    start=$(date +%s%N)
    "$sqlrun" "$here/generate.sql" --var "scale=$scale" --var "out=$data"
    echo "generated data at scale $scale in $(( ($(date +%s%N) - start) / 1000000 )) ms"
fi
data="$(cd "$data" && pwd)"

exec python3 - "$here" "$data" "$work" "$sqlrun" "$verbose" <<'PY'
import glob
import os
import re
import subprocess
import sys

import yaml

here, data_dir, work, sqlrun, verbose = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "1"
repo_data = os.path.join(here, "data")
failures = []
warnings = []


def fail(where, what):
    failures.append(f"FAIL {where}: {what}")
    print(failures[-1])


def warn(where, what):
    warnings.append(f"warn {where}: {what}")
    print(warnings[-1])


# ---------------------------------------------------------------------------------------------
# Descriptors: load, lint against docs/descriptors.md, resolve references
# ---------------------------------------------------------------------------------------------

NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def is_name(s):
    return isinstance(s, str) and bool(NAME.match(s)) and "__" not in s and not s.endswith("_") and len(s) <= 63


# Allowed keys per object (docs/descriptors.md); `x-` keys are allowed where `ext` is True.
FIELDS = {
    "document": ({"apiVersion", "kind", "metadata", "spec"}, False),
    "Domain.metadata": ({"name", "tags"}, False),
    "Domain.spec": ({"title", "description", "owner", "parent"}, True),
    "Team.metadata": ({"name"}, False),
    "Team.spec": ({"title", "description", "domain", "contact", "members"}, True),
    "contact": ({"email", "chat", "url"}, False),
    "member": ({"user", "name", "role", "date_in", "date_out"}, False),
    "DataProduct.metadata": ({"domain", "name", "version", "owner", "tags"}, False),
    "DataProduct.spec": ({"title", "description", "kind", "status", "inputs", "transform", "outputs"}, True),
    "input": ({"name", "description", "product", "source", "format", "path"}, True),
    "transform": ({"sql", "query", "schedule", "trigger"}, True),
    "output": ({"name", "description", "format", "columns", "quality", "sla"}, True),
    "column": ({"name", "type", "title", "description", "required", "unique", "primary_key", "classification",
                "mask", "tags", "glossary", "accepted_values", "min", "max", "examples"}, True),
    "quality": ({"name", "type", "sql", "max_rows", "min", "max", "column", "max_age", "severity", "dimension"}, True),
    "sla": ({"freshness", "retention", "availability"}, True),
}
ENUMS = {
    ("DataProduct.spec", "kind"): {"source-aligned", "aggregate", "consumer-aligned"},
    ("DataProduct.spec", "status"): {"proposed", "draft", "active", "deprecated", "retired"},
    ("input", "format"): {"csv", "parquet", "json"},
    ("transform", "trigger"): {"none", "upstream"},
    ("output", "format"): {"parquet", "csv", "json"},
    ("column", "classification"): {"public", "internal", "confidential", "restricted", "pii"},
    ("column", "mask"): {"none", "hash", "redact", "null"},
    ("quality", "type"): {"sql", "row_count", "freshness"},
    ("quality", "severity"): {"error", "warning"},
    ("quality", "dimension"): {"accuracy", "completeness", "conformity", "consistency", "coverage", "timeliness",
                               "uniqueness"},
}
DURATION = re.compile(r"^[0-9]+[smhdw]$")
SEMVER = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$")


def lint(where, kind, obj):
    if not isinstance(obj, dict):
        fail(where, f"{kind}: expected a mapping, found {type(obj).__name__}")
        return {}
    allowed, ext = FIELDS[kind]
    for key, value in obj.items():
        if ext and isinstance(key, str) and key.startswith("x-"):
            continue
        if key not in allowed:
            fail(where, f"{kind}: unknown field '{key}'")
        elif (kind, key) in ENUMS and value not in ENUMS[(kind, key)]:
            fail(where, f"{kind}.{key}: expected one of {sorted(ENUMS[(kind, key)])}, found {value!r}")
    return obj


domains, teams, products = {}, {}, {}
descriptor_files = sorted(glob.glob(os.path.join(here, "**", "*.yaml"), recursive=True))
descriptor_files = [f for f in descriptor_files if not f.startswith(repo_data + os.sep)]
for path in descriptor_files:
    rel = os.path.relpath(path, here)
    with open(path, encoding="utf-8") as f:
        try:
            docs = [d for d in yaml.load_all(f, Loader=yaml.BaseLoader) if d is not None]
        except yaml.YAMLError as e:
            fail(rel, f"YAML: {e}")
            continue
    for doc in docs:
        lint(rel, "document", doc)
        kind = doc.get("kind")
        meta = lint(rel, f"{kind}.metadata", doc.get("metadata", {})) if kind in ("Domain", "Team", "DataProduct") else {}
        spec = lint(rel, f"{kind}.spec", doc.get("spec", {})) if kind in ("Domain", "Team", "DataProduct") else {}
        if doc.get("apiVersion") != "tessera/v1":
            fail(rel, f"apiVersion: expected tessera/v1, found {doc.get('apiVersion')!r}")
        if kind == "Domain":
            domains[meta.get("name")] = (rel, doc)
        elif kind == "Team":
            lint(rel, "contact", spec.get("contact", {}))
            for m in spec.get("members", []):
                lint(rel, "member", m)
                if "user" not in m:
                    fail(rel, "members[].user is required")
            teams[meta.get("name")] = (rel, doc)
        elif kind == "DataProduct":
            products[f"{meta.get('domain')}.{meta.get('name')}"] = (path, doc)
        else:
            fail(rel, f"kind: expected Domain, Team or DataProduct, found {kind!r}")

for name, (rel, doc) in list(domains.items()) + list(teams.items()):
    if not is_name(name):
        fail(rel, f"metadata.name: expected lower snake case, found {name!r}")
for name, (rel, doc) in domains.items():
    spec = doc.get("spec", {})
    if spec.get("owner") and spec["owner"] not in teams:
        fail(rel, f"spec.owner: no Team named {spec['owner']!r}")
    if spec.get("parent") and spec["parent"] not in domains:
        fail(rel, f"spec.parent: no Domain named {spec['parent']!r}")
for name, (rel, doc) in teams.items():
    d = doc.get("spec", {}).get("domain")
    if d and d not in domains:
        fail(rel, f"spec.domain: no Domain named {d!r}")


class Product:
    def __init__(self, path, doc):
        self.path, self.dir = path, os.path.dirname(path)
        self.rel = os.path.relpath(path, here)
        meta, spec = doc["metadata"], doc.get("spec", {})
        self.name = f"{meta.get('domain')}.{meta.get('name')}"
        self.meta, self.spec = meta, spec
        self.inputs = [lint(self.name, "input", i) for i in spec.get("inputs", [])]
        self.transform = lint(self.name, "transform", spec.get("transform", {}))
        self.outputs = [lint(self.name, "output", o) for o in spec.get("outputs", [])]
        for o in self.outputs:
            for c in o.get("columns", []):
                lint(self.name, "column", c)
            for q in o.get("quality", []):
                lint(self.name, "quality", q)
            lint(self.name, "sla", o.get("sla", {}))

    def upstream(self):
        return [i["product"].rsplit(".", 1)[0] if i["product"].count(".") == 2 else i["product"]
                for i in self.inputs if "product" in i]


catalog = {name: Product(path, doc) for name, (path, doc) in products.items()}
for p in catalog.values():
    meta, spec = p.meta, p.spec
    for field in ("domain", "name", "owner"):
        if not meta.get(field):
            fail(p.name, f"metadata.{field} is required")
    if not is_name(meta.get("name")):
        fail(p.name, f"metadata.name: expected lower snake case, found {meta.get('name')!r}")
    if meta.get("domain") not in domains:
        fail(p.name, f"metadata.domain: no Domain named {meta.get('domain')!r}")
    if meta.get("owner") not in teams:
        fail(p.name, f"metadata.owner: no Team named {meta.get('owner')!r}")
    if "version" in meta and not SEMVER.match(meta["version"]):
        fail(p.name, f"metadata.version: expected MAJOR.MINOR.PATCH, found {meta['version']!r}")
    if not p.outputs:
        fail(p.name, "spec.outputs: at least one output port is required")
    names = [i.get("name") for i in p.inputs]
    if len(set(names)) != len(names):
        fail(p.name, "spec.inputs: names must be unique")
    for i in p.inputs:
        if not is_name(i.get("name")):
            fail(p.name, f"inputs[].name: expected lower snake case, found {i.get('name')!r}")
        if ("product" in i) == ("source" in i):
            fail(p.name, f"input {i.get('name')}: give exactly one of product or source")
        if "product" in i:
            ref = i["product"]
            target = ".".join(ref.split(".")[:2])
            if target not in catalog:
                fail(p.name, f"input {i['name']}: no product {target!r}")
            elif ref.count(".") == 2 and ref.split(".")[2] not in [o.get("name") for o in catalog[target].outputs]:
                fail(p.name, f"input {i['name']}: {target} has no port {ref.split('.')[2]!r}")
            elif ref.count(".") == 1 and len(catalog[target].outputs) > 1:
                fail(p.name, f"input {i['name']}: {target} has several ports; name one")
        if "source" in i and not i.get("path"):
            fail(p.name, f"input {i['name']}: a source input needs a path")
    if ("sql" in p.transform) == ("query" in p.transform):
        fail(p.name, "transform: give exactly one of sql or query")
    if "schedule" in p.transform and len(p.transform["schedule"].split()) != 5:
        fail(p.name, f"transform.schedule: expected five cron fields, found {p.transform['schedule']!r}")
    for o in p.outputs:
        cols = [c.get("name", "") for c in o.get("columns", [])]
        if len({c.lower() for c in cols}) != len(cols):
            fail(p.name, f"port {o.get('name')}: column names must be unique")
        for q in o.get("quality", []):
            t = q.get("type", "sql")
            if t == "sql" and not q.get("sql"):
                fail(p.name, f"quality {q.get('name')}: an sql check needs sql")
            if t == "row_count" and "min" not in q and "max" not in q:
                fail(p.name, f"quality {q.get('name')}: a row_count check needs min or max")
            if t == "freshness" and not (q.get("column") and DURATION.match(q.get("max_age", ""))):
                fail(p.name, f"quality {q.get('name')}: a freshness check needs column and max_age")
        for k in ("freshness", "retention"):
            v = o.get("sla", {}).get(k)
            if v is not None and not DURATION.match(v):
                fail(p.name, f"sla.{k}: expected a duration like 24h, found {v!r}")

# Dependency order (and no cycles).
order, state = [], {}


def visit(name, trail):
    if state.get(name) == "done":
        return
    if state.get(name) == "active":
        fail(name, "inputs form a cycle: " + " -> ".join(trail + [name]))
        return
    state[name] = "active"
    for up in catalog[name].upstream():
        if up in catalog:
            visit(up, trail + [name])
    state[name] = "done"
    order.append(name)


for name in sorted(catalog):
    visit(name, [])

# ---------------------------------------------------------------------------------------------
# Naming rules the demo follows (the mesh's governance policies)
# ---------------------------------------------------------------------------------------------

id_types = {}
for name in order:
    p = catalog[name]
    for o in p.outputs:
        for c in o.get("columns", []):
            col, typ = c.get("name", ""), c.get("type", "").upper()
            where = f"{name}.{o.get('name')}.{col}"
            if not is_name(col):
                fail(where, "column names are lower snake case")
            if typ.startswith("TIMESTAMP") != col.endswith("_at"):
                fail(where, f"timestamps and only timestamps end in _at (type {typ})")
            if (typ == "BOOLEAN") != (col.startswith("is_") or col.startswith("has_")):
                fail(where, f"booleans and only booleans start with is_ or has_ (type {typ})")
            if not c.get("description"):
                fail(where, "every column needs a description")
            if c.get("classification") == "pii" and c.get("mask", "none") == "none":
                fail(where, "pii columns need a mask")
            if col.endswith("_id"):
                id_types.setdefault(col, {}).setdefault(typ, []).append(name)
for col, types in id_types.items():
    if len(types) > 1:
        fail(col, "one type per _id column across the mesh, found " +
             "; ".join(f"{t} in {', '.join(sorted(set(ps)))}" for t, ps in types.items()))

# ---------------------------------------------------------------------------------------------
# Build every product in dependency order and check what comes out
# ---------------------------------------------------------------------------------------------


def sql_string(s):
    return "'" + s.replace("'", "''") + "'"


def ident(s):
    return '"' + s.replace('"', '""') + '"'


def unescape(field):
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and i + 1 < len(field):
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(field[i + 1], field[i + 1]))
            i += 2
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def run(script_name, sql):
    """Runs `sql` with tessera-sqlrun; returns (rows as lists of str, None) or (None, error)."""
    path = os.path.join(work, script_name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(sql)
    r = subprocess.run([sqlrun, path], capture_output=True, text=True)
    if r.returncode != 0:
        return None, r.stderr.strip().replace(path + ": error: ", "")
    lines = r.stdout.split("\n")
    rows = [[unescape(x) for x in line.split("\t")] for line in lines[1:] if line != ""]
    return rows, None


def source_files(p, i):
    """The input's glob, relative to the descriptor; files under examples/ecommerce/data are read
    from the data folder being verified."""
    pattern = os.path.normpath(os.path.join(p.dir, i["path"]))
    if pattern == repo_data or pattern.startswith(repo_data + os.sep):
        pattern = data_dir + pattern[len(repo_data):]
    return pattern


# As the engine reads sources (src/engine/internal/sql_text.cc).
READERS = {"csv": "read_csv({}, auto_detect = true)", "parquet": "read_parquet({})", "json": "read_json_auto({})"}
outputs = {}  # "domain.product.port" and "domain.product" -> parquet path

for name in order:
    p = catalog[name]
    if not p.outputs:
        continue
    port = p.outputs[0]
    port_name = port.get("name", "")
    if len(p.outputs) > 1:
        warn(name, "only the first output port is built (the transform yields one table)")
    where = f"{name}.{port_name}"

    # 1. Inputs as views, the transform into a table, the table to Parquet, then its shape.
    setup = []
    missing = False
    for i in p.inputs:
        if "source" in i:
            pattern = source_files(p, i)
            if not glob.glob(pattern):
                fail(name, f"input {i['name']}: no files match {pattern}")
                missing = True
            reader = READERS.get(i.get("format", "csv"), READERS["csv"]).format(sql_string(pattern))
            setup.append(f"CREATE VIEW {ident(i['name'])} AS SELECT * FROM {reader};")
        else:
            ref = i["product"]
            target = ".".join(ref.split(".")[:2])
            upstream = outputs.get(ref) or outputs.get(target)
            if upstream is None:
                fail(name, f"input {i['name']}: {ref} was not built")
                missing = True
                continue
            setup.append(f"CREATE VIEW {ident(i['name'])} AS SELECT * FROM read_parquet({sql_string(upstream)});")
    if port_name in [i.get("name") for i in p.inputs]:
        fail(name, f"input {port_name} has the name of the output port: `tessera run` creates the port as a "
                   f"table of that name next to the input views; rename one of them")
        continue
    if missing:
        continue
    if "sql" in p.transform:
        sql_path = os.path.normpath(os.path.join(p.dir, p.transform["sql"]))
        if not os.path.exists(sql_path):
            fail(name, f"transform.sql: no file {os.path.relpath(sql_path, here)}")
            continue
        transform = open(sql_path, encoding="utf-8").read()
    else:
        transform = p.transform.get("query", "")
    transform = transform.strip().rstrip(";").strip()
    out_dir = os.path.join(work, "out", *name.split("."))
    os.makedirs(out_dir, exist_ok=True)
    out_path = os.path.join(out_dir, f"{port_name}.parquet")
    # Like `tessera run`: one SELECT becomes the port's table; a script must create it itself.
    shape, error = run(f"{name}.shape.sql", "SELECT json_array_length(json_extract(j, '$.statements')), "
                       "json_extract_string(j, '$.error') FROM (SELECT json_serialize_sql("
                       f"{sql_string(transform)}) AS j);\n")
    single_select = not error and shape[0][0] == "1" and shape[0][1] == "false"
    table = ident(port_name)
    body = f"CREATE TABLE {table} AS\n{transform}\n;\n" if single_select else f"{transform}\n;\n"
    build = "\n".join(setup) + "\n" + body + \
        f"COPY {table} TO {sql_string(out_path)} (FORMAT parquet);\n" + \
        f"SELECT column_name, column_type, (SELECT count(*) FROM {table}) AS row_count FROM (DESCRIBE {table});\n"
    rows, error = run(f"{name}.build.sql", build)
    if error:
        fail(name, f"transform does not run: {error}")
        continue
    outputs[f"{name}.{port_name}"] = out_path
    outputs[name] = out_path
    row_count = int(rows[0][2]) if rows else 0

    # 2. Declared columns, as DuckDB spells their types, against what the transform produced.
    columns = port.get("columns", [])
    canon_sql = "SELECT * FROM (VALUES " + ", ".join(
        f"({n}, typeof(CAST(NULL AS {c.get('type', 'INVALID')})))" for n, c in enumerate(columns)) + ") t(i, t) ORDER BY i;\n"
    canon, error = run(f"{name}.types.sql", canon_sql)
    if error:
        fail(name, f"a declared type is not a DuckDB type: {error}")
        continue
    declared = [(c.get("name"), t) for c, (_, t) in zip(columns, canon)]
    found = [(r[0], r[1]) for r in rows]
    for n in range(max(len(declared), len(found))):
        d = declared[n] if n < len(declared) else None
        f_ = found[n] if n < len(found) else None
        if d != f_:
            fail(where, f"column {n + 1}: declared {' '.join(d) if d else '(nothing)'}, "
                        f"transform gives {' '.join(f_) if f_ else '(nothing)'}")

    # 3. Column constraints, checked before publishing.
    view = f"CREATE VIEW {ident(port_name)} AS SELECT * FROM read_parquet({sql_string(out_path)});\n"
    t = ident(port_name)
    probes = []
    produced = {n for n, _ in found}
    for c in columns:
        if c.get("name") not in produced:
            continue  # reported above
        col = ident(c.get("name", ""))
        label = c.get("name", "")
        if c.get("required") == "true" or c.get("primary_key") == "true":
            probes.append((f"{label}: required but has NULLs", f"SELECT count(*) FROM {t} WHERE {col} IS NULL"))
        if c.get("unique") == "true" or c.get("primary_key") == "true":
            probes.append((f"{label}: unique but has duplicates", f"SELECT count({col}) - count(DISTINCT {col}) FROM {t}"))
        if c.get("accepted_values"):
            values = ", ".join(sql_string(str(v)) for v in c["accepted_values"])
            probes.append((f"{label}: values outside accepted_values",
                           f"SELECT count(*) FROM {t} WHERE CAST({col} AS VARCHAR) NOT IN ({values})"))
        if "min" in c:
            probes.append((f"{label}: values below min {c['min']}", f"SELECT count(*) FROM {t} WHERE {col} < {c['min']}"))
        if "max" in c:
            probes.append((f"{label}: values above max {c['max']}", f"SELECT count(*) FROM {t} WHERE {col} > {c['max']}"))
    if probes:
        union = "\nUNION ALL ".join(f"SELECT {n} AS i, ({q}) AS bad" for n, (_, q) in enumerate(probes))
        result, error = run(f"{name}.constraints.sql", view + f"SELECT i, bad FROM ({union}) ORDER BY i;\n")
        if error:
            fail(where, f"column constraints do not run: {error}")
        else:
            for i, bad in result:
                if int(bad) > 0:
                    fail(where, f"{probes[int(i)][0]} ({bad} rows)")

    # 4. Quality checks: every SQL check runs against the port and, on this data, passes.
    for q in port.get("quality", []):
        qname, qtype = q.get("name"), q.get("type", "sql")
        severity = q.get("severity", "error")
        report = fail if severity == "error" else warn
        if qtype == "sql":
            check = q["sql"].strip().rstrip(";")
            result, error = run(f"{name}.quality.{qname}.sql", view + f"SELECT count(*) FROM (\n{check}\n) AS failures;\n")
            if error:
                fail(where, f"quality {qname}: SQL does not run: {error}")
            elif int(result[0][0]) > int(q.get("max_rows", "0")):
                report(where, f"quality {qname}: {result[0][0]} failing rows (max_rows {q.get('max_rows', '0')})")
        elif qtype == "row_count":
            if "min" in q and row_count < int(q["min"]):
                report(where, f"quality {qname}: {row_count} rows, fewer than {q['min']}")
            if "max" in q and row_count > int(q["max"]):
                report(where, f"quality {qname}: {row_count} rows, more than {q['max']}")
        elif qtype == "freshness":
            col = q.get("column", "")
            result, error = run(f"{name}.quality.{qname}.sql",
                                view + f"SELECT typeof(max({ident(col)})), CAST(max({ident(col)}) AS VARCHAR) FROM {t};\n")
            if error:
                fail(where, f"quality {qname}: column {col!r} cannot be checked: {error}")
            elif not result[0][0].startswith("TIMESTAMP") and result[0][0] != "DATE":
                fail(where, f"quality {qname}: column {col!r} is {result[0][0]}, not a timestamp or date")
            elif verbose:
                print(f"info {where}: quality {qname}: latest {col} is {result[0][1]} (the demo data is static)")

    own = [f for f in failures if f.startswith((f"FAIL {where}", f"FAIL {name}:", f"FAIL {p.rel}:"))]
    print(f"ok   {where}: {len(found)} columns, {row_count} rows, {len(port.get('quality', []))} quality checks"
          if not own else f"--   {where}: built, with the failures above")

print(f"{len(catalog)} products, {len(domains)} domains, {len(teams)} teams: "
      f"{len(failures)} failures, {len(warnings)} warnings")
sys.exit(1 if failures else 0)
PY
