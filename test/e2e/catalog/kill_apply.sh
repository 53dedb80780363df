# kill -9 of apply at random moments, 24 times: the catalog is always at the old or the new
# revision, never between, and always readable.
"$SOURCE_DIR/bench/gen_mesh.sh" 600 v1 1.0.0
"$SOURCE_DIR/bench/gen_mesh.sh" 600 v2 2.0.0
tessera -q apply v1
state() {  # prints "<revision> <distinct product versions> <products>", read straight from the store
    sqlite3 "$TESSERA_HOME/catalog.db" "SELECT (SELECT MAX(number) FROM revisions) || ' ' ||
        (SELECT group_concat(v) FROM (SELECT DISTINCT json_extract(document, '$.metadata.version') AS v
                                      FROM entities WHERE kind = 'DataProduct')) || ' ' ||
        (SELECT COUNT(*) FROM entities WHERE kind = 'DataProduct')"
}
[ "$(state)" = '1 1.0.0 600' ] || fail "unexpected start state: $(state)"
killed_mid_way=0
for i in $(seq 1 24); do
    if [ $((i % 2)) -eq 1 ]; then next=v2; want='2.0.0 600'; else next=v1; want='1.0.0 600'; fi
    before=$(state)
    tessera -q apply "$next" -m "round $i" &
    pid=$!
    sleep "0.$(printf '%03d' $((RANDOM % 450)))"
    kill -9 "$pid" 2>/dev/null && killed_mid_way=$((killed_mid_way + 1))
    wait "$pid" 2>/dev/null || true
    after=$(state)
    integrity=$(sqlite3 "$TESSERA_HOME/catalog.db" 'PRAGMA integrity_check')
    [ "$integrity" = ok ] || fail "round $i: integrity check says $integrity"
    tessera -q get domains || fail "round $i: the catalog is not readable"
    # Either nothing happened, or the whole batch landed as one revision.
    if [ "$after" != "$before" ]; then
        version_part="${after#* }"
        [ "$version_part" = "$want" ] || fail "round $i: half-applied catalog: before=$before after=$after"
    else
        # The apply did not land: finish it so the next round flips versions again.
        tessera -q apply "$next"
    fi
done
echo "killed $killed_mid_way of 24 applies mid-way; the catalog was whole every time"
[ "$killed_mid_way" -ge 5 ] || fail "too few applies were killed mid-way to mean anything ($killed_mid_way)"
