#pragma once

// A document of an open standard (ODCS, ODPS, Data Contract Specification, DPDS, a dbt
// manifest) as read from a file: its JSON value with the original key order, and where each
// value was written, so that schema violations and conversion errors point at `file:line:col`.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "spec/descriptor.h"

namespace tessera::spec::internal {

using OrderedJson = nlohmann::ordered_json;

struct StandardDocument {
    std::string file;
    OrderedJson json;
    std::map<std::string, Position> positions;  // JSON pointer -> where its value starts

    // The position of `pointer`, or of its nearest ancestor that has one.
    Position At(const std::string& pointer) const;
    // "schema[0].properties[2].type" for "/schema/0/properties/2/type".
    static std::string FieldOf(const std::string& pointer);
    Diagnostic Error(const std::string& pointer, std::string message) const;
    // The same as a warning: the import goes on, the report shows it.
    Diagnostic Warning(const std::string& pointer, std::string message) const;
};

// Reads one YAML or JSON file (its first document). YAML scalars are typed by the YAML 1.2 core
// schema, as the standards' own tools read them (`version: 4.1` is a number). A syntax error is
// a located diagnostic.
Result<StandardDocument> ReadStandardDocument(const std::string& path,
                                              std::vector<Diagnostic>* diagnostics);
Result<StandardDocument> ParseStandardDocument(std::string_view text,
                                               const std::string& file,
                                               std::vector<Diagnostic>* diagnostics);

// Validates `doc` against the official JSON Schema named `schema_name` (e.g.
// "odcs/odcs-json-schema-v3.1.0.json", as built in from the standards' repositories). Appends a
// located diagnostic per violation and returns false when there is any. kUnavailable when the
// schema was not built into this binary.
Result<bool> ValidateAgainst(const StandardDocument& doc,
                             const std::string& schema_name,
                             std::vector<Diagnostic>* diagnostics);

// Validates a JSON value (an export) against a built-in schema; the messages name JSON pointers.
Result<std::vector<std::string>> ValidateJson(const OrderedJson& value,
                                              const std::string& schema_name);

// Replaces every `{"$ref": "other-file#/pointer"}` object that points outside the document with
// the value it names, read relative to the document's folder (DPDS splits ports into files).
// Local refs (`#/…`) are left alone. A ref that cannot be read is a located diagnostic.
bool ResolveExternalRefs(StandardDocument* doc, std::vector<Diagnostic>* diagnostics);

}  // namespace tessera::spec::internal
