# kill -9 of `tessera run` at random moments, 20 times: the previous snapshot stays current and
# readable, no half-written snapshot is ever served, and the next run cleans up what was left.
mkdir -p mesh/data
cat > mesh/mesh.yaml <<'YAML'
apiVersion: tessera/v1
kind: Domain
metadata: {name: shop}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: shop_team}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: shop, name: events, owner: shop_team}
spec:
  inputs: [{name: raw, source: tracker, path: data/events.csv}]
  transform:
    query: "select id::BIGINT as id, kind::VARCHAR as kind, amount::DOUBLE as amount from raw order by amount"
  outputs:
    - name: all_events
      columns:
        - {name: id, type: BIGINT, primary_key: true}
        - {name: kind, type: VARCHAR, accepted_values: [view, click, buy]}
        - {name: amount, type: DOUBLE, min: 0}
YAML
awk 'BEGIN { print "id,kind,amount"; split("view click buy", k, " "); for (i = 1; i <= 1500000; i++) printf "%d,%s,%d.%02d\n", i, k[i % 3 + 1], i % 997, i % 100 }' > mesh/data/events.csv
tessera -q apply mesh
tessera -q run shop.events
count() { tessera query "select count(*) || '/' || count(distinct id) from shop.events" --format csv | tail -1; }
[ "$(count)" = "1500000/1500000" ] || fail "first run: $(count)"
killed=0
for i in $(seq 1 20); do
    tessera -q run shop.events &
    pid=$!
    sleep "0.$(printf '%03d' $((RANDOM % 900)))"
    kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
    wait "$pid" 2>/dev/null || true
    # The current snapshot is whole and readable, whatever moment the run died at.
    [ "$(count)" = "1500000/1500000" ] || fail "round $i: the current snapshot is not whole: $(count)"
    # Every recorded snapshot is complete.
    for v in $(tessera --json snapshots shop.events | grep '"version"' | tr -dc '0-9\n'); do
        n=$(tessera query "select count(*) from shop.events@v$v" --format csv | tail -1)
        [ "$n" = 1500000 ] || fail "round $i: snapshot v$v has $n rows"
    done
done
echo "killed $killed of 20 runs mid-way"
[ "$killed" -ge 5 ] || fail "too few runs were killed mid-way ($killed)"
# The next run finishes, and cleans up: no temporary folder, no unrecorded version folder.
tessera -q run shop.events
recorded=$(tessera --json snapshots shop.events | grep '"version"' | tr -dc '0-9\n' | sed 's/^/v/' | sort)
on_disk=$(ls "$TESSERA_HOME/data/shop/events/all_events" | sort)
[ "$recorded" = "$on_disk" ] || fail "leftovers on disk: recorded [$recorded] on disk [$on_disk]"
# Killed runs are not left "running" forever.
tessera --json runs shop.events --limit 100 | grep -q '"status": "running"' && fail "a dead run is still running"
echo "the snapshot store holds exactly the recorded versions"
