#pragma once

// What the converters of every standard share: names, types, extension blocks, quality rules,
// durations. The rule that keeps conversions lossless: a field of the standard moves into a
// native field only when the native value gives it back exactly; everything else stays, verbatim,
// in the object's `x-<standard>` extension ("the rest"). Export starts from the rest and adds the
// native fields (`Overlay`); a `null` in the rest means "the original had no such field, do not
// add the native one".

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/mesh.h"
#include "spec/internal/standard_doc.h"
#include "spec/interop.h"

namespace tessera::spec::internal {

// The value of `values` whose model name (`name_of`) is `s`; nothing for other text (the standards
// spell classification and lifecycle status as we do, so their words map one to one).
template <typename E, size_t N>
std::optional<E> EnumByName(const std::string& s, const E (&values)[N], std::string_view (*name_of)(E)) {
    for (E v : values) {
        if (name_of(v) == s) return v;
    }
    return std::nullopt;
}
inline std::optional<model::Classification> ClassificationOf(const std::string& s) {
    static const model::Classification kValues[] = {model::Classification::kPublic, model::Classification::kInternal,
                                                    model::Classification::kConfidential,
                                                    model::Classification::kRestricted, model::Classification::kPii};
    return EnumByName(s, kValues, model::ClassificationName);
}

// "Customer Data Product" -> "customer_data_product"; a leading digit gets a "n_" prefix; at most
// 63 characters. Empty when nothing alphanumeric is left.
std::string SnakeCase(std::string_view text);
// True for MAJOR.MINOR.PATCH[-pre][+build].
bool IsSemver(std::string_view v);

// The extension `key` of `ext` as JSON, or null when absent.
OrderedJson GetExtension(const model::Extensions& ext, std::string_view key);
// The same, as an object: an empty one when absent or not an object (the rest an export starts from).
OrderedJson ExtensionObject(const model::Extensions& ext, std::string_view key);
// Sets (or, for null/empty objects, removes) extension `key`.
void SetExtension(model::Extensions* ext, std::string_view key, const OrderedJson& value);

// The rest plus the native fields, as described above.
OrderedJson Overlay(OrderedJson rest, const OrderedJson& native);

// Sets `n["description"]` from the product's description, as ODCS and ODPS spell it: an object
// whose `purpose` is the description, keeping the other fields of the original's `description`
// object (taken out of `rest`).
void PutPurpose(const std::string& description, OrderedJson* rest, OrderedJson* n);

// A team as ODCS v3.1 and ODPS write it: `name`, `description`, `members` (each `username`, `name`,
// `role`, `dateIn`, `dateOut`; empty fields left out), and the members alone (ODCS v3.0's `team`).
OrderedJson TeamJson(const model::Team& team);
OrderedJson MembersJson(const model::Team& team);

// The constraints ODCS properties and DCS fields spell alike: `required` (also for a primary key),
// `unique`, `primaryKey`, `classification`.
void PutConstraints(const model::Column& c, OrderedJson* n);

// Erases each of `keys` from `rest` when the native export (`plain`) gives back the original's
// value exactly: the copy in the extension would say nothing.
void EraseRecovered(const OrderedJson& original, const OrderedJson& plain,
                    std::initializer_list<const char*> keys, OrderedJson* rest);

// Takes `key` out of `rest` and returns it (null when absent).
OrderedJson Take(OrderedJson* rest, const std::string& key);
// Non-empty list of strings -> vector; anything else -> nullopt.
std::optional<std::vector<std::string>> StringList(const OrderedJson& v);

// The DuckDB type of an ODCS property, dbt column or DPDS column, from the one table of
// spec/internal/type_map.h: the physical (SQL) type when the table or DuckDB knows it, else the
// logical type (ODCS logical types, JSON Schema types). Never fails: unknown types become VARCHAR.
std::string DuckTypeFor(std::string_view physical, std::string_view logical);
// The DuckDB type of a Data Contract Specification field type (same table; VARCHAR when unknown).
std::string DcsDuckType(std::string_view type);
// ODCS `logicalType` of a DuckDB type.
std::string OdcsLogicalType(std::string_view duck_type);
// Data Contract Specification field type of a DuckDB type.
std::string DcsType(std::string_view duck_type);
// JSON Schema type of a DuckDB type ("string", "integer", …) and its `format` ("" when none).
std::pair<std::string, std::string> JsonSchemaType(std::string_view duck_type);

// Seconds of a duration given as value + unit (ODCS slaProperties: d, day, days, y, yr, years,
// h, m, w…), "25h" strings, or ISO 8601 periods ("P1Y", "PT25H"). nullopt when not a duration.
std::optional<int64_t> DurationSeconds(const OrderedJson& value, std::string_view unit);

// A native quality check from a standard's quality rule (ODCS v3.0/v3.1 and DCS 1.2 share the
// shape: `type: sql` with `query`, library `metric`/`rule` names, `mustBe…` operators). The SQL
// that Tessera runs returns one row when the rule's metric breaks its bound. nullopt for rules
// that cannot run (text, custom, no operator); `why` says why.
std::optional<model::QualityCheck> CheckFromRule(const OrderedJson& rule,
                                                 const std::string& port,
                                                 const std::string& column,
                                                 std::string* why);
// Removes from `rest` (what an import keeps verbatim in its extension) the top-level fields the
// native product gives back exactly on export (`plain`: the export of the product with no
// extension), and the description's `purpose` (the product's own description).
void DropRecoveredFields(const OrderedJson& original, const OrderedJson& plain, OrderedJson* rest);

// Imports the quality rules at `at` (e.g. "schema[0].properties[2]") of a column (`column`, or ""
// for the table) into `port`: a runnable rule becomes a native check marked with where it came from
// in `ext`, the others stay in `ext` only; each is a line of the import report.
void ImportQualityRules(const OrderedJson& rules,
                        const std::string& at,
                        const std::string& column,
                        const char* ext,
                        model::OutputPort* port,
                        ImportResult* r,
                        const std::string& file);
// Makes `name` unique among the checks of `port` (appends _2, _3…).
std::string UniqueCheckName(const model::OutputPort& port, std::string name);

// The ODCS/DCS quality rule (sql type) that expresses a native check; `port` is the table name.
OrderedJson RuleFromCheck(const model::QualityCheck& check, const std::string& port, bool odcs_v31);

// Checks an export against `schema_name`. A violation inside a field that came from the
// product's `ext` extension is the descriptor's fault (kInvalidArgument naming `ext.field`);
// any other is ours (kInternal).
Status CheckExport(const OrderedJson& doc,
                   const OrderedJson& rest,
                   const std::string& schema_name,
                   const std::string& ext,
                   const std::string& product);

// How the import report says where a product's domain came from: `from` is "--domain" or the
// field of the document (" (from --domain)", " (from the document's info.owner; --domain
// overrides it)").
std::string DomainSource(const std::string& from);

// One line of the import report.
void Mapped(ImportResult* r,
            const std::string& file,
            const std::string& from,
            const std::string& to);

// Escapes a string as a SQL literal.
std::string SqlLiteral(std::string_view text);
std::string SqlIdentifier(std::string_view name);

}  // namespace tessera::spec::internal

namespace tessera::spec::internal {

// Gives an imported product what `tessera run` needs to build it: one source input per output
// port (`<port>_source`, Parquet files under data/<domain>/<product>/<port>/, a path the team
// points at its data) and a transform that casts the declared columns. Contracts describe data
// built elsewhere; this is the scaffold `tessera init product` would write, and the report says so.
void AddBuildScaffold(model::DataProduct* p,
                      const std::string& source,
                      ImportResult* r,
                      const std::string& file);

}  // namespace tessera::spec::internal
