# Issue 13, item 14: the local CLI's `waiver add/revoke`, `policy enforce` and `issue ack/resolve`
# checked no role and wrote no audit line, and `--approver` was free text. Now they need the role
# of docs/access.md (manage-policies of the policy's scope; write-domain of the issue's product),
# act as the caller ($TESSERA_USER / --as), who is the waiver's approver, and are audited.
source "$CASE_DIR/security_lib.inc"
secure_mesh
export TESSERA_TODAY=2030-01-10
cat >"$WORK/rule.yaml" <<'YAML'
apiVersion: tessera/v1
kind: Policy
metadata: {name: described_more}
spec:
  title: Products say a lot
  state: warn
  query: "select product from products where length(description) < 50"
  message: "{product} needs a longer description"
YAML
TESSERA_USER=gus expect 0 apply "$WORK/rule.yaml" -q

echo "== waivers: governance only, and the approver is who runs the command"
TESSERA_USER=carl expect 6 waiver add described_more orders.orders --reason "legacy" --expires 2030-02-01
TESSERA_USER=ann expect 6 waiver add described_more orders.orders --reason "legacy" --expires 2030-02-01
expect 2 waiver add described_more orders.orders --reason "legacy" --approver lea --expires 2030-02-01
TESSERA_USER=gus expect 0 waiver add described_more orders.orders --reason "legacy" --expires 2030-02-01
tessera waiver list | grep -E "^1 +described_more +orders.orders +active +2030-02-01 +gus " || fail "the approver is not the caller"
TESSERA_USER=carl expect 6 waiver revoke 1
tessera waiver list | grep -q "active" || fail "a refused revoke revoked"
TESSERA_USER=gus expect 0 waiver revoke 1

echo "== policy enforce: governance only"
TESSERA_USER=carl expect 6 policy enforce described_more
TESSERA_USER=ann expect 6 policy enforce described_more
tessera policy list | grep -Eq "^described_more +error +warn" || fail "a refused enforce enforced"
TESSERA_USER=gus expect 0 policy enforce described_more --from 2030-03-01

echo "== issue ack and resolve: the product's domain"
expect 0 issue open orders.orders --title "totals are off by one cent" --as carl
expect 6 issue ack 1 --as carl
TESSERA_USER=dan expect 6 issue ack 1
expect 6 issue resolve 1 --note "not mine" --as dan
tessera issue show 1 --json | grep -q '"state": "open"' || fail "a refused ack changed the issue"
expect 0 issue ack 1 --as ann
expect 0 issue resolve 1 --note "rounded in the source" --as ann

echo "== each change is in the audit log, each refusal too"
tessera audit --action waiver | grep -q "waiver.add" || fail "waiver add is not audited"
tessera audit --action waiver | grep -q "waiver.revoke" || fail "waiver revoke is not audited"
tessera audit --action policy.enforce | grep -q "gus" || fail "policy enforce is not audited"
tessera audit --action issue | grep -q "issue.ack" || fail "issue ack is not audited"
tessera audit --action issue | grep -q "issue.resolve" || fail "issue resolve is not audited"
tessera audit --action authorize | grep -q "carl" || fail "the refusals are not audited"
