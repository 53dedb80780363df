#!/usr/bin/env bash
# The e-commerce demo (make demo): generate the source systems' files, apply the mesh to a fresh
# catalog, build every product, and query across domains. Everything lands in build/demo:
#   export TESSERA_HOME=build/demo    # then explore: tessera describe orders.order_facts, …
# DEMO_SCALE=0.01 make demo           # a smaller data set (default 1: ~1M order lines)
set -euo pipefail
cd "$(dirname "$0")/.."
T=build/tessera
export TESSERA_HOME=build/demo
export TESSERA_USER="${TESSERA_USER:-demo}"
scale="${DEMO_SCALE:-1}"
data=examples/ecommerce/data

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '\033[2m$ tessera %s\033[0m\n' "$*"; "$T" "$@"; }

if [ "$(cat "$data/.scale" 2>/dev/null)" != "$scale" ]; then
    step "Generating the source systems' files (scale $scale)"
    rm -rf "$data"
    start=$(date +%s)
    build/tessera-sqlrun examples/ecommerce/generate.sql --var scale="$scale" --var out="$data"
    echo "$scale" > "$data/.scale"
    echo "generated $(du -sh "$data" | cut -f1) in $(( $(date +%s) - start )) s into $data"
fi

rm -rf "$TESSERA_HOME"
step "1. Domains own their data products: validate and plan the mesh"
show validate examples/ecommerce
show plan examples/ecommerce | tail -3
step "2. Apply it to a fresh catalog: one revision, all or nothing"
show apply examples/ecommerce -m "Harbor & Pine demo mesh"
show get domains
show get products
step "3. Self-serve build: every product, in dependency order, checked before it publishes"
show run --all
show status
step "4. A product describes itself: schema, classification, checks, SLA, lineage, last run"
show describe orders.order_facts
step "5. Consumers query across domains (read-only sandbox; PII masked)"
show query "select c.loyalty_tier, f.traffic_source, count(distinct f.order_id) as orders,
       sum(f.net_amount) as revenue
from orders.order_facts f join users.customers c using (customer_id)
where f.is_revenue
group by all order by revenue desc limit 8"
show query "with revenue as (
  select session_id, sum(net_amount) as revenue from orders.order_facts
  where is_revenue and session_id is not null group by all)
select s.device_type, count(*) as sessions, round(100.0 * avg(s.is_converted::int), 2) as conversion_pct,
       sum(r.revenue) as revenue
from traffic.sessions s left join revenue r using (session_id)
group by all order by sessions desc"
show query "select customer_id, email, full_name, city, loyalty_tier from users.customers order by customer_id limit 3"
step "6. Federated governance: the mesh's policies over every product, and the scorecard"
show policy list
show check
show check --format sarif -o build/demo/policies.sarif
show scorecard
step "Explore further"
cat <<TXT
export TESSERA_HOME=$TESSERA_HOME
build/tessera describe marketing.customer_360
build/tessera runs traffic.sessions
build/tessera query "select * from marketing.daily_revenue order by revenue_date desc limit 7"
build/tessera scorecard --domain orders --history     # after a few checks: the trend
build/tessera token create                            # a token to sign in to the web catalog (shown once)
build/tessera serve --listen 127.0.0.1:8080           # the web catalog: open http://127.0.0.1:8080/
TXT
