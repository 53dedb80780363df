#pragma once

// A JSON Schema validator for the official schemas of the standards Tessera converts (ODCS,
// ODPS, Data Contract Specification, DPDS). It implements the keywords those schemas use, in
// the three drafts they are written in (draft-07, 2019-09, 2020-12): type, enum, const,
// properties, patternProperties, additionalProperties, unevaluatedProperties, propertyNames,
// required, min/maxProperties, items (and prefixItems), min/maxItems, uniqueItems, minimum,
// maximum, exclusiveMinimum/Maximum, minLength, maxLength, pattern, allOf, anyOf, oneOf, not,
// if/then/else, dependentRequired, and `$ref` to `#/…` JSON pointers inside the same document
// (`$defs` and `definitions`). `format` is an annotation, as the 2019-09 and 2020-12 drafts
// define it by default, and is not asserted. A remote `$ref` is reported as an error of the
// schema rather than fetched.
//
//   TESSERA_ASSIGN_OR_RETURN(JsonSchema s, JsonSchema::Parse(schema_text));
//   for (const SchemaError& e : s.Validate(document)) std::cerr << e.pointer << ": " << e.message;

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace tessera::spec::internal {

// One violation: where in the instance (a JSON pointer, "" for the root) and what.
struct SchemaError {
    std::string pointer;
    std::string message;
};

// A parsed schema. Immutable once parsed, so one instance may validate from several threads.
class JsonSchema {
public:
    // kInvalidArgument when `text` is not JSON or not a schema object.
    static Result<JsonSchema> Parse(std::string_view text);

    // Every violation of `instance`, in document order, deduplicated; empty when valid.
    std::vector<SchemaError> Validate(const nlohmann::json& instance) const;

    // The `$schema` URI the schema declares ("" when none).
    std::string Dialect() const;

private:
    explicit JsonSchema(std::shared_ptr<const nlohmann::json> root) : root_(std::move(root)) {}
    std::shared_ptr<const nlohmann::json> root_;
};

}  // namespace tessera::spec::internal
