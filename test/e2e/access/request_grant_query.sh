# Identity and access from the CLI: the first admin, roles per domain, a consumer who asks for
# access, the owning domain that approves, queries through every SQL route under the grant, masks
# that stay without an unmasked grant, revoke, tokens, and the audit log that saw it all.
mkdir -p mesh/data
printf 'order_id,amount,email\n1,10.5,ann@example.com\n2,20,bob@example.com\n3,5,cy@example.com\n' > mesh/data/orders.csv
printf 'email,city\nann@example.com,Paris\nbob@example.com,Lyon\n' > mesh/data/customers.csv
cat > mesh/mesh.yaml <<'YAML'
apiVersion: tessera/v1
kind: Domain
metadata: {name: orders}
---
apiVersion: tessera/v1
kind: Domain
metadata: {name: users}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: orders_team}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: users_team}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: order_facts, owner: orders_team}
spec:
  inputs: [{name: raw, source: shop, path: data/orders.csv}]
  transform: {query: "select order_id::BIGINT as order_id, amount::DOUBLE as amount, email::VARCHAR as email from raw"}
  outputs:
    - name: daily
      columns:
        - {name: order_id, type: BIGINT}
        - {name: amount, type: DOUBLE}
        - {name: email, type: VARCHAR, classification: pii, mask: redact}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: users, name: customers, owner: users_team}
spec:
  inputs: [{name: raw, source: crm, path: data/customers.csv}]
  transform: {query: "select email::VARCHAR as email, city::VARCHAR as city from raw"}
  outputs:
    - {name: current, columns: [{name: email, type: VARCHAR, classification: pii, mask: redact}, {name: city, type: VARCHAR}]}
YAML
expect 0 apply mesh -q
expect 0 run --all -q

# Open until the first admin: everyone reads, masked. Only the owner of the files binds the first admin.
expect 0 query "select count(*) as n from orders.order_facts" --as carl
expect 5 role grant olga owner --domain orders
expect 0 role grant root admin
expect 6 role grant mallory admin --as mallory
expect 0 role grant olga owner --domain orders --as root
expect 0 role grant dev developer --domain orders --as olga
expect 6 role grant uma owner --domain users --as olga
expect 2 role grant uma owner --as root
expect 3 role grant uma owner --domain nowhere --as root
expect 0 role grant uma owner --domain users --as root
expect 0 role list

# A consumer without a grant reads nothing, whatever the route.
expect 6 query "select * from orders.order_facts" --as carl
expect 6 query "with x as (select * from orders.order_facts) select count(*) from x" --as carl
expect 6 query "select 1 where exists (select 1 from orders.order_facts)" --as carl
# The owning team reads its own domain in clear, and no other domain.
expect 0 query "select order_id, email from orders.order_facts order by 1" --as dev
expect 6 query "select * from users.customers" --as dev

# Request -> approve -> query, masked.
expect 2 access request orders.order_facts --as carl
expect 3 access request orders.order_facts --reason "weekly report" --columns order_id,emial --as carl
expect 0 access request orders.order_facts --reason "weekly report" --as carl
expect 4 access request orders.order_facts --reason "again" --as carl
expect 0 access list --queue --as olga
expect 0 access list --queue --as uma
expect 6 access approve 1 --as uma
expect 6 access approve 1 --as carl
expect 0 access approve 1 --reason "ok for the report" --as olga
expect 5 access approve 1 --as olga
expect 0 query "select order_id, amount, email from orders.order_facts order by 1" --as carl
expect 0 query "with x as (select * from orders.order_facts) select count(*) as n, min(email) as e from x" --as carl
# Filters and joins see the mask, not the value: a masked email matches nothing.
expect 0 query "select email from (select * from orders.order_facts) s where email = 'ann@example.com'" --as carl
# A join with an ungranted product is refused as a whole.
expect 6 query "select f.order_id, c.city from orders.order_facts f join users.customers c using (email)" --as carl

# Unmasked access to one column only: the others disappear, the granted one is clear.
expect 2 access request users.customers --reason "city split" --until 2026-02-30 --as carl
expect 0 access request users.customers --reason "city split" --columns email --unmasked --until 30d --as carl
expect 0 access approve 2 --as uma
expect 0 query "select f.order_id, c.email from orders.order_facts f join users.customers c using (email) order by 1" --as carl
expect 0 query "select * from users.customers order by 1" --as carl
expect 2 query "select city from users.customers" --as carl
expect 0 access grants

# Deny needs a reason; revoke refuses again.
expect 0 access request users.customers --reason "everything" --as dana
expect 2 access deny 3 --as uma
expect 0 access deny 3 --reason "ask for the columns you need" --as uma
expect 0 access list
expect 0 access revoke 1 --reason "report done" --as olga
expect 5 access revoke 1 --as olga
expect 6 query "select count(*) from orders.order_facts" --as carl

# Tokens: printed once, listed without secrets, revocable. Ids and secrets differ at every run.
hide() { sed -E 's/tsr_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/<token>/g; s/[0-9a-f]{16}/<id>/g'; }
tessera token create --user carl --expires 2099-01-01 --description laptop --as root 2>&1 > token.txt | hide
grep -c '^tsr_[0-9a-f]\{16\}_[A-Za-z0-9_-]\{43\}$' token.txt
expect 6 token create --user olga --as carl
tessera token list --user carl --as root | hide
if grep -q "$(cut -c22- token.txt)" "$TESSERA_HOME/catalog.db"; then fail "the token's secret is in the catalog"; fi
expect 0 token revoke "$(cat token.txt)" --as carl 2>&1 | hide
expect 5 token revoke "$(cat token.txt)" --as carl 2>&1 | hide
# Writes need the domain's team: builds, applies and deletes (run and delete act as $TESSERA_USER).
TESSERA_USER=carl expect 6 run orders.order_facts
TESSERA_USER=dev expect 0 run orders.order_facts -q
TESSERA_USER=dev expect 6 run --all
sed -i 's/{name: current, columns/{name: current, description: Customers now, columns/' mesh/mesh.yaml
expect 6 apply mesh --author dev
expect 0 apply mesh --author uma
TESSERA_USER=dev expect 6 delete users.customers

# The audit log: governance and admins only, every decision and query with its rows.
expect 6 audit --as carl
expect 0 role grant gina governance --as root
tessera audit --as gina | hide
expect 0 audit --action access --user olga --as gina
expect 2 audit --since yesterday --as gina
