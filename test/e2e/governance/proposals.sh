# Collaborative change: propose, preview the impact, approve by domain representatives up to the
# quorum, warn, then enforce from a date.
cp "$CASE_DIR/fixtures/mesh.yaml" "$CASE_DIR/fixtures/ids_policy.yaml" .
expect 0 apply mesh.yaml
expect 2 policy propose mesh.yaml
expect 2 policy propose no_such_file.yaml
expect 0 policy propose ids_policy.yaml --quorum 2
expect 4 policy propose ids_policy.yaml
expect 0 policy preview 1
expect 0 policy preview 1 --json
expect 3 policy preview 7
expect 6 policy approve 1 --as mallory
expect 0 policy approve 1 --as olga
expect 4 policy approve 1 --as olga
expect 0 policy list
expect 3 check --policy customer_id_bigint
expect 0 policy approve 1 --as bea
expect 5 policy approve 1 --as ugo
expect 0 policy list
expect 0 describe customer_id_bigint
expect 0 check --policy customer_id_bigint
expect 2 policy enforce customer_id_bigint --from 2030-13-01
expect 3 policy enforce no_such_policy
expect 0 policy enforce customer_id_bigint --from 2030-01-01
TESSERA_TODAY=2029-12-31 expect 0 check --policy customer_id_bigint
TESSERA_TODAY=2030-01-01 expect 5 check --policy customer_id_bigint
expect 0 history customer_id_bigint
