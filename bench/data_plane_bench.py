#!/usr/bin/env python3
"""Data plane benchmark (make bench): the e-commerce mesh at BENCH_SCALE (default 10, ~10M order
lines), each figure next to its baseline run in this same script on the same machine:

  build   `tessera run --all` (transform, schema check, quality checks, atomic publish) vs the
          same transform SQL run by plain DuckDB as `COPY (sql) TO 'x.parquet'`, one process per
          product like Tessera's own in-memory DuckDB per product.
  query   10 analytic queries through `tessera query` (sandbox checks, masked views) vs the same
          SQL on plain DuckDB over views of the same Parquet files; each the best of 3 runs, both
          measured as whole processes.

Targets (issue #3): query ratio <= 1.10, build ratio <= 1.2.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BUILD = os.environ.get("BUILD", os.path.join(ROOT, "build"))
TESSERA = os.path.join(BUILD, "tessera")
SQLRUN = os.path.join(BUILD, "tessera-sqlrun")
SCALE = os.environ.get("BENCH_SCALE", "10")
WORK = os.path.join(BUILD, "bench-" + SCALE)
HOME = os.path.join(WORK, "home")
MESH = os.path.join(ROOT, "examples", "ecommerce")

QUERIES = [
    ("revenue by month", "select date_trunc('month', order_date) as month, sum(net_amount) as revenue "
     "from orders.order_facts where is_revenue group by all order by month"),
    ("top categories", "select category, count(distinct order_id) as orders, sum(net_amount) as revenue, "
     "sum(margin_amount) as margin from orders.order_facts where is_revenue group by all order by revenue desc limit 10"),
    ("tier x source", "select c.loyalty_tier, f.traffic_source, sum(f.net_amount) as revenue "
     "from orders.order_facts f join users.customers c using (customer_id) where f.is_revenue "
     "group by all order by revenue desc limit 20"),
    ("conversion by device", "with r as (select session_id, sum(net_amount) as revenue from orders.order_facts "
     "where is_revenue and session_id is not null group by all) select s.device_type, count(*) as sessions, "
     "avg(s.is_converted::int) as conversion, sum(r.revenue) as revenue from traffic.sessions s "
     "left join r using (session_id) group by all"),
    ("running revenue", "select order_date, sum(net_amount) as revenue, sum(sum(net_amount)) over "
     "(order by order_date rows between 6 preceding and current row) as last_7_days "
     "from orders.order_facts where is_revenue group by order_date order by order_date"),
    ("customer rank", "select customer_id, revenue, rank() over (partition by country_code order by revenue desc) as r "
     "from (select f.customer_id, c.country_code, sum(f.net_amount) as revenue from orders.order_facts f "
     "join users.customers c using (customer_id) group by all) qualify r <= 3 order by country_code, r"),
    ("basket size", "select channel, avg(lines) as lines_per_order, avg(amount) as order_value from "
     "(select order_id, channel, count(*) as lines, sum(net_amount) as amount from orders.order_facts group by all) "
     "group by channel"),
    ("campaign roi", "select a.campaign_id, sum(s.cost) as cost, sum(a.revenue) as revenue from "
     "(select campaign_id, sum(net_amount) as revenue from orders.order_facts where campaign_id is not null "
     "group by all) a left join (select campaign_id, sum(spend_amount) as cost from marketing.ad_spend group by all) s "
     "using (campaign_id) group by all order by revenue desc"),
    ("brand share", "select brand, sum(net_amount) / sum(sum(net_amount)) over () as share "
     "from orders.order_facts where is_revenue group by brand order by share desc limit 15"),
    ("sessions funnel", "select traffic_medium, count(*) as sessions, sum(has_add_to_cart::int) as carts, "
     "sum(is_converted::int) as orders, median(duration_seconds) as median_duration "
     "from traffic.sessions group by all order by sessions desc"),
]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def tessera(*args):
    env = dict(os.environ, TESSERA_HOME=HOME, TESSERA_USER="bench")
    return subprocess.run([TESSERA, *args], check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=env).stdout


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def quote(s):
    return "'" + s.replace("'", "''") + "'"


def read_files(fmt, glob):
    if fmt == "parquet":
        return "read_parquet(%s)" % quote(glob)
    if fmt == "csv":
        return "read_csv(%s, auto_detect = true)" % quote(glob)
    return "read_json_auto(%s)" % quote(glob)


def main():
    data = os.path.join(WORK, "data")
    if not os.path.exists(os.path.join(data, ".done")):
        print("generating the mesh's source data at scale %s (once; kept in %s)" % (SCALE, data), flush=True)
        shutil.rmtree(data, ignore_errors=True)
        os.makedirs(WORK, exist_ok=True)
        t = timed(lambda: run([SQLRUN, os.path.join(MESH, "generate.sql"), "--var", "scale=" + SCALE, "--var", "out=" + data]))
        open(os.path.join(data, ".done"), "w").write("%.1f\n" % t)
    # The mesh reads ../data relative to its descriptors: copy the descriptors next to this data.
    mesh = os.path.join(WORK, "mesh")
    shutil.rmtree(mesh, ignore_errors=True)
    shutil.copytree(MESH, mesh, ignore=shutil.ignore_patterns("data"))
    os.symlink(data, os.path.join(mesh, "data"))
    shutil.rmtree(HOME, ignore_errors=True)
    tessera("apply", "-q", mesh)

    # --- build ---
    outcomes = []
    build_s = timed(lambda: outcomes.extend(json.loads(tessera("run", "--all", "--json"))))
    failed = [o["product"] for o in outcomes if o["status"] != "succeeded"]
    if failed:
        sys.exit("the build failed for " + ", ".join(failed))
    products = json.loads(tessera("get", "products", "--json"))
    order = [o["product"] for o in outcomes]
    by_name = {p["metadata"]["domain"] + "." + p["metadata"]["name"]: p for p in products}
    raw_dir = os.path.join(WORK, "raw")
    shutil.rmtree(raw_dir, ignore_errors=True)
    os.makedirs(raw_dir)
    raw_out = {}
    scripts = []
    for name in order:
        p = by_name[name]
        origin = json.loads(tessera("describe", name, "--json"))
        base = os.path.join(mesh, "domains", p["metadata"]["domain"], "products")
        lines = ["SET temp_directory = %s;" % quote(os.path.join(raw_dir, ".spill"))]
        for i in p["spec"].get("inputs", []):
            if "product" in i:
                rel = "read_parquet(%s)" % quote(raw_out[i["product"].rsplit(".", 1)[0] if i["product"].count(".") == 2 else i["product"]])
            else:
                rel = read_files(i.get("format", "csv"), os.path.normpath(os.path.join(base, i["path"])))
            lines.append("CREATE VIEW %s AS SELECT * FROM %s;" % (i["name"], rel))
        port = p["spec"]["outputs"][0]["name"]
        out = os.path.join(raw_dir, name + "." + port + ".parquet")
        sql = origin["spec"]["transform"].get("query") or "SELECT * FROM " + p["spec"]["inputs"][0]["name"]
        sql = re.sub(r"--[^\n]*", "", sql).strip().rstrip(";")
        lines.append("COPY (%s) TO %s (FORMAT parquet, COMPRESSION zstd);" % (sql, quote(out)))
        raw_out[name] = out
        path = os.path.join(raw_dir, name + ".sql")
        open(path, "w").write("\n".join(lines) + "\n")
        scripts.append(path)
    raw_build_s = timed(lambda: [run([SQLRUN, s]) for s in scripts])

    # --- queries ---
    snaps = {}
    for name in by_name:
        s = json.loads(tessera("snapshots", name, "--json"))
        snaps[name] = s[0]["path"] + "/*.parquet"
    results = []
    for label, sql in QUERIES:
        names = sorted(set(re.findall(r"\b(orders|users|traffic|marketing|catalog)\.([a-z_0-9]+)", sql)))
        views = ["CREATE SCHEMA IF NOT EXISTS %s;" % d for d, _ in names]
        views += ["CREATE VIEW %s.%s AS SELECT * FROM read_parquet(%s);" % (d, p, quote(snaps[d + "." + p])) for d, p in names]
        raw_sql = os.path.join(raw_dir, "q.sql")
        open(raw_sql, "w").write("\n".join(views) + "\n" + sql + ";\n")
        t_tessera = min(timed(lambda: tessera("query", sql, "--format", "csv", "--max-rows", "10000000")) for _ in range(3))
        t_raw = min(timed(lambda: run([SQLRUN, raw_sql])) for _ in range(3))
        results.append((label, t_tessera, t_raw))

    print()
    print("data plane, e-commerce mesh at scale %s (%s order lines)" %
          (SCALE, tessera("query", "select count(*) from orders.order_facts", "--format", "csv").split()[-1]))
    print("%-34s %10s %10s %7s" % ("figure", "tessera", "baseline", "ratio"))
    print("%-34s %9.2fs %9.2fs %7.2f" % ("build: run --all vs DuckDB COPY", build_s, raw_build_s, build_s / raw_build_s))
    product = 1.0
    for label, a, b in results:
        print("%-34s %9.3fs %9.3fs %7.2f" % ("query: " + label, a, b, a / b))
        product *= a / b
    print("%-34s %10s %10s %7.2f" % ("query: geometric mean", "", "", product ** (1.0 / len(results))))
    print("targets: query ratio <= 1.10, build ratio <= 1.2")


if __name__ == "__main__":
    sys.exit(main())
