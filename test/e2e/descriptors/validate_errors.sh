# Every broken descriptor gives every error at once, file:line:col first, and exit code 2.
cp -r "$CASE_DIR/broken" .
for f in broken/unknown_fields.yaml broken/wrong_types.yaml broken/bad_names.yaml broken/types_and_enums.yaml \
         broken/missing_required.yaml broken/duplicates_and_refs.yaml broken/syntax.yaml broken/cycle \
         broken/several_files; do
    expect 2 validate "$f"
done
expect 2 validate broken/nowhere.yaml
# Nothing was written: validate never creates a catalog.
[ ! -e .tessera ] || fail "validate created a catalog"
