# Quality issues: a failing check opens one issue through a real run (one per check, not one per
# run), a passing run resolves it; consumers open, acknowledge, comment and resolve issues by hand;
# overdue issues (past their domain's time to fix) show in issue list, describe and status.
mkdir -p mesh/data
printf 'id,city\n1,Paris\n2,Lyon\n' > mesh/data/customers.csv
cat > mesh/mesh.yaml <<'YAML'
apiVersion: tessera/v1
kind: Domain
metadata: {name: shop}
spec: {time_to_fix: 2d}
---
apiVersion: tessera/v1
kind: Domain
metadata: {name: ops}
spec: {time_to_fix: 1s}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: shop_team}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: shop, name: customers, owner: shop_team}
spec:
  inputs: [{name: raw, source: crm, path: data/customers.csv}]
  transform: {query: "select id::BIGINT as id, city::VARCHAR as city from raw"}
  outputs:
    - name: current
      columns:
        - {name: id, type: BIGINT, unique: true}
        - {name: city, type: VARCHAR, accepted_values: [Paris, Lyon]}
      quality: [{name: two_rows, type: row_count, max: 2}]
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: ops, name: tickets, owner: shop_team}
spec:
  inputs: [{name: raw, source: crm, path: data/customers.csv}]
  outputs: [{name: all, columns: [{name: id, type: BIGINT}, {name: city, type: VARCHAR}]}]
YAML
# Like `run`, with durations written as <n unit>.
show() { echo "\$ tessera $*"; { tessera "$@" 2>&1 || echo "[exit $?]"; } | sed -E -e 's/[0-9]+(\.[0-9]+)? (ms|s|min|h)\b/<duration>/g' -e 's/[0-9]+(\.[0-9]+)? (B|KB|MB)\b/<n \2>/g'; }
expect 0 apply mesh
expect 0 describe shop
show run shop.customers
expect 0 issue list
# Rome is not an accepted city, and 3 rows are too many: the run is blocked and opens two issues.
printf '3,Rome\n' >> mesh/data/customers.csv
show run shop.customers
expect 0 issue list
# Still failing: the same two issues, not two more.
show run shop.customers
expect 0 issue list --product shop.customers
expect 0 issue show 1
# A consumer reports a problem by hand, against a column.
expect 0 issue open shop.customers --title "Lyon is spelled LYON in some rows" --column city --description "seen in the weekly report" --as ann
expect 0 issue ack 3 --as bob
expect 0 issue comment 3 "looking at the CRM export" --as bob
expect 5 issue ack 3
expect 0 issue show '#3'
# The data is fixed: the next run publishes and resolves the check issues by itself.
printf 'id,city\n1,Paris\n2,Lyon\n' > mesh/data/customers.csv
show run shop.customers
expect 0 issue list
expect 0 issue resolve 3 --note "fixed upstream in the CRM" --as bob
expect 5 issue resolve 3
expect 0 issue list --state resolved
tessera --json issue list --state all | grep '"id"\|"state"\|"origin"\|"resolution"'
# ops has a time to fix of one second: its issue is overdue in list, describe and status.
expect 0 issue open ops.tickets --title "duplicate tickets" --port all
sleep 2
expect 0 issue list --overdue
expect 0 describe ops
echo "\$ tessera status"; tessera status | sed -n '/^Overdue/,$p'
tessera --json status | grep '"product"\|"open_issues"\|"overdue_issues"' | paste - - -
# Errors: one line each, with the exit code of their kind.
expect 3 issue open shop.customrs --title x
expect 3 issue open shop.customers --title x --column town
expect 3 issue open shop.customers --title x --port daily
expect 2 issue open shop.customers --title ""
expect 2 issue show twelve
expect 3 issue show 99
expect 3 issue comment 99 "hello"
expect 2 issue list --state closed
expect 3 issue list --domain nowhere
expect 2 issue open shop.customers
