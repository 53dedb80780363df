#pragma once

// A parsed document as a small tree that remembers where each node was written. Both YAML
// (yaml-cpp) and JSON (nlohmann) are read into it, so one decoder serves files, the catalog and
// the API. Scalars keep their text and the type YAML's core schema gives them.

#include <string>
#include <string_view>
#include <vector>

namespace tessera::spec::internal {

struct Value {
    enum class Type { kNull, kBool, kInt, kFloat, kString, kSeq, kMap };
    struct Field;

    Type type = Type::kNull;
    std::string text;  // scalar text; for kBool "true"/"false"
    std::vector<Value> items;   // kSeq
    std::vector<Field> fields;  // kMap, in document order
    int line = 0;  // from 1; 0 when unknown (JSON from the catalog)
    int col = 0;

    bool IsScalar() const { return type != Type::kSeq && type != Type::kMap; }
    const Value* Find(std::string_view key) const;
    // "string \"abc\"", "number 1.2", "a list", "a map", "null" — for "found …" in messages.
    std::string Describe() const;
};

struct Value::Field {
    std::string key;
    int line = 0;
    int col = 0;
    Value value;
};

struct ParsedDocument {
    Value root;
    int line = 0;  // where the document starts
};

// The most one text may hold (docs/descriptors.md, "Limits"): values in all its documents,
// YAML aliases expanded (an alias counts its whole tree each time it is used), and nesting.
inline constexpr size_t kMaxDocumentNodes = 100000;
inline constexpr int kMaxDocumentDepth = 64;

// Parses every YAML document of `text`. On a syntax error, text that is not UTF-8, or past the
// limits above, returns false and fills `error` ("expected …, found …"), `line`, `col`.
bool ParseYaml(std::string_view text, std::vector<ParsedDocument>* docs, std::string* error, int* line,
               int* col);

// Parses JSON text (no positions). Returns false with `error` on malformed input, text that is
// not UTF-8, or past the limits above.
bool ParseJson(std::string_view text, Value* out, std::string* error);

// Canonical JSON text of a value (numbers stay numbers, strings are escaped).
std::string ToJsonText(const Value& v);

}  // namespace tessera::spec::internal
