# Bad input: located errors (file:line:col: error: field: …), exit 2, nothing written.
I="$CASE_DIR/inputs"
sed 's/^apiVersion: v3.1.0/apiVersion: v4.1.0/' "$I/orders.odcs.yaml" > unknown_version.odcs.yaml
expect 2 import odcs unknown_version.odcs.yaml --out ws
sed 's/^apiVersion: v3.1.0/apiVersion: 3.1/' "$I/orders.odcs.yaml" > number_version.odcs.yaml
expect 2 import odcs number_version.odcs.yaml --out ws
# YAML typing: an unquoted version is a number, the schema wants a string.
sed 's/^version: 2.1.0/version: 2.1/; s/        required: true$/        required: "yes"/' "$I/orders.odcs.yaml" > wrong_types.odcs.yaml
expect 2 import odcs wrong_types.odcs.yaml --out ws
# One bad file among good ones: nothing is written.
expect 2 import odcs "$I/payments.odcs.yaml" wrong_types.odcs.yaml --out ws
sed "s|#/definitions/shipment_id|#/definitions/parcel_id|" "$I/shipments.dcs.yaml" > broken_ref.dcs.yaml
expect 2 import dcs broken_ref.dcs.yaml --domain fulfilment --out ws
sed "s|ports/trips-port.yaml|ports/missing.yaml|" "$I/trips.dpd.yaml" > broken_ref.dpd.yaml
expect 2 import dpds broken_ref.dpd.yaml --out ws
# A DCS contract that says no domain (no info.domain, no domain: tag, no owner) needs --domain.
grep -v "owner:" "$I/shipments.dcs.yaml" > no_owner.dcs.yaml
expect 2 import dcs no_owner.dcs.yaml --out ws
echo '{"nodes": {}}' > manifest.json
expect 2 import dbt manifest.json --out ws
expect 2 import odcs missing.yaml --out ws
expect 2 import rdf "$I/orders.odcs.yaml"
[ ! -e ws ] && echo "nothing was written"
# Existing files are not overwritten without --force.
expect 0 import odcs "$I/payments.odcs.yaml" --out ws -q
expect 4 import odcs "$I/payments.odcs.yaml" --out ws
expect 0 import odcs "$I/payments.odcs.yaml" --out ws --force -q
expect 3 export orders.nothing --format odcs
expect 2 export ws/domains/payments/products/card_payments.yaml --format avro
expect 2 export ws/domains/payments/products/card_payments.yaml --format sql-ddl --dialect oracle
# More located errors: no domain, remote and non-local references, several documents, one product twice.
grep -v '^domain:' "$I/orders.odcs.yaml" > no_domain.odcs.yaml
expect 2 import odcs no_domain.odcs.yaml --out ws2
sed "s|ports/trips-port.yaml|https://example.com/ports/trips.yaml|" "$I/trips.dpd.yaml" > remote_ref.dpd.yaml
expect 2 import dpds remote_ref.dpd.yaml --out ws2
sed "s|'#/definitions/shipment_id'|'other.yaml#/definitions/shipment_id'|" "$I/shipments.dcs.yaml" > external_ref.dcs.yaml
expect 2 import dcs external_ref.dcs.yaml --domain fulfilment --out ws2
{ cat "$I/payments.odcs.yaml"; echo "---"; cat "$I/payments.odcs.yaml"; } > two_documents.odcs.yaml
expect 2 import odcs two_documents.odcs.yaml --out ws2
cp "$I/payments.odcs.yaml" payments_copy.odcs.yaml
expect 2 import odcs "$I/payments.odcs.yaml" payments_copy.odcs.yaml --out ws2
[ ! -e ws2 ] && echo "nothing was written"
# An extension that breaks the standard's schema is the descriptor's fault, and named.
sed 's/^spec:/spec:\n  x-odps: {support: {channel: "#payments"}}/' ws/domains/payments/products/card_payments.yaml > bad_extension.yaml
expect 2 export bad_extension.yaml --format odps
