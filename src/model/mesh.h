#pragma once

// The value types of the mesh: what a descriptor declares and the catalog keeps. Plain data, no
// I/O, no validation (spec/ checks them; catalog/ stores them). Names are lower snake case
// addresses; a product's address is `domain.name`, an output port's `domain.name.port`.
//
//   model::DataProduct p;
//   p.domain = "orders"; p.name = "order_facts";
//   p.FullName();  // "orders.order_facts"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tessera::model {

// A key starting with `x-` and its value as canonical JSON text. Extensions carry what Tessera has
// no field for (an imported ODCS `customProperties`, a team's own annotations) through every
// apply, describe and export unchanged.
struct Extension {
    std::string key;
    std::string json;
    bool operator==(const Extension&) const = default;
};
using Extensions = std::vector<Extension>;

enum class EntityKind { kDomain, kTeam, kDataProduct, kPolicy };

// How long a domain's owners have to fix a quality issue when the domain does not say.
inline constexpr int64_t kDefaultTimeToFixSeconds = 7 * 86400;

struct Domain {
    std::string name;
    std::string title;
    std::string description;
    std::string owner;   // team name
    std::string parent;  // parent domain for subdomains, or empty
    // The time-to-fix target of the domain's quality issues (0: kDefaultTimeToFixSeconds). An
    // issue open longer than this is overdue.
    int64_t time_to_fix_seconds = 0;
    std::vector<std::string> tags;
    Extensions extensions;
    bool operator==(const Domain&) const = default;
};

struct TeamMember {
    std::string user;  // login or e-mail
    std::string name;
    std::string role;  // owner | developer | steward | consumer | free text
    std::string date_in;
    std::string date_out;
    bool operator==(const TeamMember&) const = default;
};

struct Contact {
    std::string email;
    std::string chat;
    std::string url;
    bool operator==(const Contact&) const = default;
};

struct Team {
    std::string name;
    std::string title;
    std::string description;
    std::string domain;  // the domain the team belongs to, or empty for platform teams
    Contact contact;
    std::vector<TeamMember> members;
    Extensions extensions;
    bool operator==(const Team&) const = default;
};

enum class ProductKind { kSourceAligned, kAggregate, kConsumerAligned };
enum class LifecycleStatus { kProposed, kDraft, kActive, kDeprecated, kRetired };
// A proposed or draft product describes what it will be: it may wait for its ports, columns and
// transform, is catalogued (found, described, planned) but never built.
inline bool IsDraft(LifecycleStatus s) { return s == LifecycleStatus::kProposed || s == LifecycleStatus::kDraft; }
enum class Classification { kUnset, kPublic, kInternal, kConfidential, kRestricted, kPii };
enum class Mask { kNone, kHash, kRedact, kNull };
enum class DataFormat { kParquet, kCsv, kJson };

// An output port or column on its way out. Consumers see it in describe, get, search and in their
// own plan; removing it is refused before `sunset` and allowed from that date on as a breaking
// change (a major version).
struct Deprecation {
    std::string since;        // the product version that deprecated it, e.g. "1.4.0" (optional)
    std::string sunset;       // YYYY-MM-DD, UTC: the first day it may be removed
    std::string reason;
    std::string replacement;  // what to read instead: a port, product or column address
    bool operator==(const Deprecation&) const = default;
};

struct Column {
    std::string name;
    std::string type;  // a DuckDB type, upper case: BIGINT, VARCHAR, DECIMAL(12,2), TIMESTAMP...
    std::string title;  // business name
    std::string description;
    bool required = false;
    bool unique = false;
    bool primary_key = false;
    Classification classification = Classification::kUnset;
    Mask mask = Mask::kNone;
    std::vector<std::string> tags;
    std::vector<std::string> glossary;         // business glossary terms
    std::vector<std::string> accepted_values;  // as SQL literals' text
    std::optional<double> min;
    std::optional<double> max;
    std::vector<std::string> examples;
    std::optional<Deprecation> deprecated;
    Extensions extensions;
    bool operator==(const Column&) const = default;
};

enum class CheckType { kSql, kRowCount, kFreshness };
enum class Severity { kError, kWarning };

struct QualityCheck {
    std::string name;
    std::string description;
    CheckType type = CheckType::kSql;
    std::string sql;               // kSql: rows returned are failures
    int64_t max_rows = 0;          // kSql: failures tolerated
    std::optional<int64_t> min;    // kRowCount bounds
    std::optional<int64_t> max;
    std::string column;            // kFreshness: the timestamp column
    int64_t max_age_seconds = 0;   // kFreshness
    std::string dimension;         // accuracy | completeness | conformity | consistency | coverage | timeliness | uniqueness
    Severity severity = Severity::kError;
    Extensions extensions;
    bool operator==(const QualityCheck&) const = default;
};

struct Sla {
    int64_t freshness_seconds = 0;  // 0: none declared
    int64_t retention_seconds = 0;
    std::string availability;       // e.g. "99.9%"
    Extensions extensions;
    bool operator==(const Sla&) const = default;
};

struct OutputPort {
    std::string name;
    std::string description;
    DataFormat format = DataFormat::kParquet;
    std::vector<Column> columns;
    std::vector<QualityCheck> quality;
    Sla sla;
    std::optional<Deprecation> deprecated;
    Extensions extensions;
    bool operator==(const OutputPort&) const = default;
};

// Where an input comes from: another product's output port, or files of a declared source.
struct InputPort {
    std::string name;         // the table name the transform SQL reads
    std::string description;
    // kind product: `product` = "domain.product", `port` = its output port (empty: its only port)
    std::string product;
    std::string port;
    // kind source: files, globbed, relative to the descriptor's folder
    std::string source;       // the source system's name, e.g. orders_db
    DataFormat format = DataFormat::kCsv;
    std::string path;
    Extensions extensions;
    bool IsProduct() const { return !product.empty(); }
    bool operator==(const InputPort&) const = default;
};

enum class Trigger { kNone, kUpstream };

struct Transform {
    std::string sql_file;  // as written in the descriptor, relative to its folder; may be empty
    std::string sql;       // the query itself (read from sql_file at load time when given)
    std::string schedule;  // cron expression, or empty
    Trigger trigger = Trigger::kNone;
    Extensions extensions;
    bool operator==(const Transform&) const = default;
};

struct DataProduct {
    std::string domain;
    std::string name;
    std::string version = "0.1.0";
    std::string owner;  // team name
    std::string title;
    std::string description;
    ProductKind kind = ProductKind::kSourceAligned;
    LifecycleStatus status = LifecycleStatus::kActive;
    std::vector<std::string> tags;
    std::vector<InputPort> inputs;
    Transform transform;
    std::vector<OutputPort> outputs;
    Extensions extensions;

    std::string FullName() const { return domain + "." + name; }
    bool operator==(const DataProduct&) const = default;
};

enum class PolicySeverity { kError, kWarning, kInfo };
// proposed: previewed only; warn: violations are reported; enforce: an error blocks apply (from
// `enforce_from` on, when given; before that date it warns).
enum class PolicyState { kProposed, kWarn, kEnforce };

// A federated governance rule: a DuckDB query over the metadata tables (docs/governance.md) whose
// every returned row is a violation. `message` is a template filled from the row's columns
// (`{column}`); a row's `product` column ("domain.name") attributes it to a product.
struct Policy {
    std::string name;    // the id, lower snake case, unique in the mesh
    std::string domain;  // scope: empty for the whole mesh, else the one domain it applies to
    std::string group;   // the owning governance group (a team name or free lower snake case)
    std::string title;
    std::string rationale;
    PolicySeverity severity = PolicySeverity::kError;
    PolicyState state = PolicyState::kWarn;
    std::string enforce_from;  // YYYY-MM-DD (UTC) or empty: enforced from that day on
    std::vector<std::string> properties;  // discoverable, addressable, trustworthy, ...
    std::string sql_file;  // as written, relative to the descriptor's folder; may be empty
    std::string sql;       // the query (read from sql_file at load time when given)
    std::string message;
    std::string remediation;
    int64_t timeout_ms = 0;  // 0: the evaluator's default
    Extensions extensions;
    bool operator==(const Policy&) const = default;
};

std::string_view EntityKindName(EntityKind kind);  // "Domain", "Team", "DataProduct", "Policy"
std::string_view PolicySeverityName(PolicySeverity s);  // "error", "warning", "info"
std::string_view PolicyStateName(PolicyState s);        // "proposed", "warn", "enforce"
std::string_view ProductKindName(ProductKind kind);  // "source-aligned"...
std::string_view LifecycleStatusName(LifecycleStatus s);
std::string_view ClassificationName(Classification c);  // "" for kUnset
std::string_view MaskName(Mask m);
std::string_view DataFormatName(DataFormat f);
std::string_view CheckTypeName(CheckType t);
std::string_view SeverityName(Severity s);
std::string_view TriggerName(Trigger t);

// True when `name` is a lower snake case address part: [a-z][a-z0-9_]*, no double or trailing
// underscore, at most 63 characters (a PostgreSQL identifier).
bool IsLowerSnakeCase(std::string_view name);

}  // namespace tessera::model
