# A descriptor (or its SQL file) that is not UTF-8 is refused by the local CLI with a located
# error; before, `apply` aborted in the JSON encoder.
mkdir -p "$WORK/mesh/sql"
printf 'apiVersion: tessera/v1\nkind: Domain\nmetadata: {name: sales, owner: team/sales}\nspec:\n  description: "Caf\xe9 sales"\n' \
    >"$WORK/mesh/domain.yaml"
rc=0
tessera apply "$WORK/mesh" >"$WORK/out" 2>&1 || rc=$?
cat "$WORK/out"
[ "$rc" -eq 2 ] || fail "expected exit 2 (invalid), got $rc"
grep -q 'mesh/domain.yaml:5:20: error: expected UTF-8 text, found the byte 0xe9' "$WORK/out" || fail "no located error"
