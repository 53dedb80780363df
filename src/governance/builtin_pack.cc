#include "governance/builtin_pack.h"

namespace tessera::governance {
namespace {

PackRule Rule(const char* name, const char* yaml) { return {std::string(name) + ".yaml", yaml}; }

}  // namespace

const std::vector<PackRule>& BuiltinPack() {
    static const std::vector<PackRule> kPack = {
            Rule("names_lower_snake_case", R"(# Built-in rule: edit it like any descriptor (docs/governance.md).
apiVersion: tessera/v1
kind: Policy
metadata:
  name: names_lower_snake_case
  group: governance_council
spec:
  title: Products, ports and columns are named in lower snake case
  rationale: >-
    One spelling for every name lets people and SQL address data the same way everywhere
    (orders.order_facts, customer_id), without quoting.
  severity: error
  state: warn
  properties: [addressable, interoperable]
  query: |
    select product, port, column_name, 'column' as what, column_name as name from columns
    where not regexp_full_match(column_name, '[a-z][a-z0-9]*(_[a-z0-9]+)*')
    union all
    select product, null, null, 'product', name from products
    where not regexp_full_match(name, '[a-z][a-z0-9]*(_[a-z0-9]+)*')
    union all
    select product, port, null, 'output port', port from ports
    where not regexp_full_match(port, '[a-z][a-z0-9]*(_[a-z0-9]+)*')
  message: '{what} "{name}" is not lower snake case'
  remediation: Rename it to lower snake case (letters, digits and single underscores), e.g. orderId -> order_id.
)"),
            Rule("id_columns_share_type", R"(# Built-in rule: edit it like any descriptor (docs/governance.md).
apiVersion: tessera/v1
kind: Policy
metadata:
  name: id_columns_share_type
  group: governance_council
spec:
  title: An identifier column has the same type in every product
  rationale: >-
    customer_id must join customer_id across domains: identifiers are the mesh's shared keys, so
    every product declares a given *_id column with the type most of the mesh uses.
  severity: error
  state: warn
  properties: [interoperable]
  query: |
    with ids as (
      select column_name, type, count(*) as uses from columns
      where ends_with(column_name, '_id') group by column_name, type
    ), common as (
      select column_name, first(type order by uses desc, type) as common_type, count(*) as types
      from ids group by column_name
    )
    select c.product, c.port, c.column_name, c.type, m.common_type
    from columns c join common m using (column_name)
    where m.types > 1 and c.type <> m.common_type
  message: '{column_name} is {type} here but {common_type} in most of the mesh'
  remediation: Cast the column to the mesh's type in the transform and declare that type.
)"),
            Rule("timestamps_end_in_at", R"(# Built-in rule: edit it like any descriptor (docs/governance.md).
apiVersion: tessera/v1
kind: Policy
metadata:
  name: timestamps_end_in_at
  group: governance_council
spec:
  title: Timestamp columns end in _at
  rationale: A reader knows a point in time from its name (created_at, shipped_at) in every product.
  severity: error
  state: warn
  properties: [self-describing, interoperable]
  query: |
    select product, port, column_name, type from columns
    where type like 'TIMESTAMP%' and not ends_with(column_name, '_at')
  message: 'timestamp column {column_name} ({type}) does not end in _at'
  remediation: Rename it to <event>_at, e.g. created -> created_at.
)"),
            Rule("booleans_start_with_is_has", R"(# Built-in rule: edit it like any descriptor (docs/governance.md).
apiVersion: tessera/v1
kind: Policy
metadata:
  name: booleans_start_with_is_has
  group: governance_council
spec:
  title: Boolean columns start with is_ or has_
  rationale: A yes/no column reads as a question (is_active, has_discount) in every product.
  severity: error
  state: warn
  properties: [self-describing, interoperable]
  query: |
    select product, port, column_name from columns
    where type = 'BOOLEAN' and not (starts_with(column_name, 'is_') or starts_with(column_name, 'has_'))
  message: 'boolean column {column_name} does not start with is_ or has_'
  remediation: Rename it to is_<state> or has_<thing>, e.g. active -> is_active.
)"),
            Rule("products_described", R"(# Built-in rule: edit it like any descriptor (docs/governance.md).
apiVersion: tessera/v1
kind: Policy
metadata:
  name: products_described
  group: governance_council
spec:
  title: Every product has a title and a description of at least 40 characters
  rationale: >-
    Consumers choose a product from its description: what one row means, where the data comes
    from, and who should use it.
  severity: error
  state: warn
  properties: [self-describing, discoverable]
  query: |
    select product, length(trim(coalesce(description, ''))) as length from products
    where length(trim(coalesce(description, ''))) < 40 or coalesce(trim(title), '') = ''
  message: 'the product needs a title and a description of at least 40 characters (the description has {length})'
  remediation: Write spec.title and spec.description (what one row means, the source, the intended use).
)"),
            Rule("columns_described", R"(# Built-in rule: edit it like any descriptor (docs/governance.md).
apiVersion: tessera/v1
kind: Policy
metadata:
  name: columns_described
  group: governance_council
spec:
  title: Every column has a description of at least 10 characters
  rationale: A column's name rarely says its unit, its source or what NULL means; its description does.
  severity: error
  state: warn
  properties: [self-describing]
  query: |
    select product, port, column_name, length(trim(coalesce(description, ''))) as length from columns
    where length(trim(coalesce(description, ''))) < 10
  message: 'column {column_name} needs a description of at least 10 characters (it has {length})'
  remediation: Describe the column (meaning, unit, what NULL means) in its description field.
)"),
            Rule("products_owned", R"(# Built-in rule: edit it like any descriptor (docs/governance.md).
apiVersion: tessera/v1
kind: Policy
metadata:
  name: products_owned
  group: governance_council
spec:
  title: Every product has an owning team that belongs to its domain and can be reached
  rationale: Someone answers for every product, so consumers know whom to ask and issues have an assignee.
  severity: error
  state: warn
  properties: [trustworthy, discoverable]
  query: |
    select p.product, p.owner, coalesce(t.domain, 'no domain') as team_domain from products p
    left join teams t on t.name = p.owner
    where t.name is null or t.domain is distinct from p.domain or (t.members = 0 and t.email is null)
  message: 'owner {owner} must be a team of the product''s domain with members or a contact (its domain: {team_domain})'
  remediation: Set metadata.owner to a team of the product's domain that lists members or a contact e-mail.
)"),
            Rule("ports_have_quality_checks", R"(# Built-in rule: edit it like any descriptor (docs/governance.md).
apiVersion: tessera/v1
kind: Policy
metadata:
  name: ports_have_quality_checks
  group: governance_council
spec:
  title: Every output port has at least one quality check
  rationale: A snapshot is published only when its checks pass; a port without checks promises nothing.
  severity: warning
  state: warn
  properties: [trustworthy]
  query: |
    select product, port from ports where quality_checks = 0
  message: 'output port {port} has no quality check'
  remediation: Add a check under the port's quality (row_count, sql or freshness).
)"),
            Rule("ports_have_freshness_sla", R"(# Built-in rule: edit it like any descriptor (docs/governance.md).
apiVersion: tessera/v1
kind: Policy
metadata:
  name: ports_have_freshness_sla
  group: governance_council
spec:
  title: Every output port declares a freshness SLA
  rationale: Consumers plan on how old the data may be; status and search show ports that are late.
  severity: warning
  state: warn
  properties: [trustworthy]
  query: |
    select product, port from ports where freshness_seconds is null
  message: 'output port {port} declares no freshness SLA'
  remediation: 'Add sla: {freshness: 24h} (or the promise you can keep) to the port.'
)"),
            Rule("columns_classified", R"(# Built-in rule: edit it like any descriptor (docs/governance.md).
apiVersion: tessera/v1
kind: Policy
metadata:
  name: columns_classified
  group: governance_council
spec:
  title: Every column is classified
  rationale: Access, masking and audits start from knowing which columns are public, internal or personal.
  severity: warning
  state: warn
  properties: [secure]
  query: |
    select product, port, column_name from columns where classification is null
  message: 'column {column_name} has no classification'
  remediation: Set classification to public, internal, confidential, restricted or pii.
)"),
            Rule("pii_masked", R"(# Built-in rule: edit it like any descriptor (docs/governance.md).
apiVersion: tessera/v1
kind: Policy
metadata:
  name: pii_masked
  group: governance_council
spec:
  title: Personal data is masked for consumers
  rationale: Readers without a grant for the column see a hash, a redaction or NULL, never the person.
  severity: error
  state: warn
  properties: [secure]
  query: |
    select product, port, column_name from columns where classification = 'pii' and mask = 'none'
  message: 'PII column {column_name} is not masked'
  remediation: 'Set mask: hash (joins still work), redact or "null" on the column.'
)"),
            Rule("products_tagged", R"(# Built-in rule: edit it like any descriptor (docs/governance.md).
apiVersion: tessera/v1
kind: Policy
metadata:
  name: products_tagged
  group: governance_council
spec:
  title: Every product carries tags or a glossary term
  rationale: Search facets and browsing by topic find a product only through its tags and glossary terms.
  severity: info
  state: warn
  properties: [discoverable]
  query: |
    select p.product from products p
    where len(p.tags) = 0
      and not exists (select 1 from columns c where c.product = p.product and len(c.glossary) > 0)
  message: 'the product has neither tags nor glossary terms'
  remediation: Add metadata.tags (topics) or glossary terms on its key columns.
)"),
    };
    return kPack;
}

}  // namespace tessera::governance
