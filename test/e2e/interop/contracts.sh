# Contracts that import without hand work (issue 14): the domain and a readable name come from the
# document, an existing domain keeps its owner, a contract without a schema is a draft, types map
# by the one table of docs/interop.md, and exports read back the same with a YAML 1.1 reader.
I="$CASE_DIR/inputs/contracts"
cp -r "$I/ws" ws

# 1, 7: the domain from the contract's `domain` (said where it came from), the name from `name`,
# not from the UUID id. 2: customer_care exists in the workspace: its owner owns the product.
expect 0 import odcs "$I/tickets.odcs.yaml" "$I/backlog.odcs.yaml" --out ws
test -f ws/domains/customer_care/products/support_tickets.yaml || fail "support_tickets.yaml not written"
test ! -e ws/domains/customer_care/teams/customer_care_team.yaml || fail "an empty customer_care_team was invented"
grep -q "owner: care_desk" ws/domains/customer_care/products/support_tickets.yaml || fail "not owned by care_desk"
# 5: serial -> INTEGER, logical timestamp -> TIMESTAMP (with a zone only when timezone: true).
grep -A1 "name: ticket_id\|name: opened_at\|name: closed_at\|name: updated_at\|name: effort" \
    ws/domains/customer_care/products/support_tickets.yaml | grep "type:"
# 3: a contract without a schema is a draft that validates and applies, and run does not build.
grep -n "status: draft" ws/domains/customer_care/products/ticket_backlog.yaml
expect 0 validate ws
expect 0 apply ws -m "imported contracts"
expect 5 run customer_care.ticket_backlog
# --domain overrides the document, and the report says so.
tessera import odcs "$I/tickets.odcs.yaml" --domain support 2>&1 >/dev/null | grep "metadata.domain"
tessera import odcs "$I/tickets.odcs.yaml" 2>&1 >/dev/null | grep "metadata.domain"
# DCS: the domain from info.owner ("Fulfilment Team"), the name from info.title.
tessera import dcs "$CASE_DIR/inputs/shipments.dcs.yaml" 2>&1 >/dev/null | grep "metadata.domain\|metadata.name"

# 4: the export quotes every string a YAML 1.1 reader would take for another type.
expect 0 export customer_care.support_tickets --format odcs --out tickets.odcs.yaml
grep -n "contractCreatedTs\|\"yes\"\|\"1.0\"\|\"2024-01-01\"\|\"on\"\|\"0o17\"\|\"1:20\"\|\"~\"" tickets.odcs.yaml
python3 - tickets.odcs.yaml <<'PY'
import datetime, sys, yaml  # PyYAML reads YAML 1.1
doc = yaml.safe_load(open(sys.argv[1]))
def strings_only(v, at):
    if isinstance(v, dict):
        for k, x in v.items(): strings_only(x, at + "." + str(k))
    elif isinstance(v, list):
        for i, x in enumerate(v): strings_only(x, at + "[" + str(i) + "]")
    elif isinstance(v, (datetime.date, datetime.datetime)):
        sys.exit("PyYAML reads %s as %s" % (at, type(v).__name__))
strings_only(doc, "")
assert doc["contractCreatedTs"] == "2023-09-28T08:15:00Z", doc["contractCreatedTs"]
assert doc["tags"] == ["yes", "1.0", "2024-01-01"], doc["tags"]
print("PyYAML (YAML 1.1) reads the export's strings as strings")
PY

# 6: the other "ODPS" (opendataproducts.org) is named, with what is supported.
expect 2 import odps "$I/opendataproducts.yaml"

# 9: every spelling of an address, and a port-qualified name.
for a in customer_care.support_tickets urn:tessera:customer_care:support_tickets \
         /api/v1/domains/customer_care/products/support_tickets customer_care.support_tickets.tickets \
         urn:tessera:customer_care:support_tickets:tickets; do
    tessera describe "$a" | head -1
done
expect 0 history urn:tessera:customer_care:support_tickets
expect 0 export urn:tessera:customer_care:support_tickets:tickets --format sql-ddl
expect 3 describe customer_care.support_tickets.daily
expect 2 describe urn:tessera:Customer_Care:x
expect 2 delete urn:tessera:customer_care:support_tickets:tickets
expect 0 describe urn:tessera:customer_care
