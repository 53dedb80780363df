#pragma once

// Decoding of one parsed document into a model entity, collecting every error with its position.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "spec/descriptor.h"
#include "spec/internal/value.h"

namespace tessera::spec::internal {

// How a document reached us: from a file a person wrote (transform `sql` is a file to read and
// `query` may not be given with it), or from the catalog (both are present, nothing is read).
enum class Origin { kFile, kStored };

class Decoder {
public:
    // `files` (not owned, outlives the decoder) gives the SQL files of an Origin::kFile document.
    Decoder(std::string file, const SqlFiles* files, Origin origin, std::vector<Diagnostic>* out)
        : file_(std::move(file)), files_(files), origin_(origin), out_(out) {}

    // Decodes one document; appends to `batch` when it decoded without errors.
    void DecodeDocument(const Value& root, Batch* batch);

    // Decodes a stored document (no positions); used by DecodeJson.
    bool DecodeEntity(const Value& root, Entity* entity);

    Position At(const Value& v) const { return {file_, v.line, v.col}; }
    void Error(const Value& at, const std::string& field, std::string message);
    void Error(Position at, const std::string& field, std::string message);
    const std::string& file() const { return file_; }
    // The text of the SQL file named in field `field` at `at`; an error there (and "") when it
    // may not or cannot be read.
    std::string ReadSqlFile(const std::string& name, Position at, const std::string& field);
    Origin origin() const { return origin_; }
    size_t error_count() const { return errors_; }

private:
    std::string file_;
    const SqlFiles* files_;
    Origin origin_;
    std::vector<Diagnostic>* out_;
    size_t errors_ = 0;
};

// Reads the fields of one map, checking their types and, at `Finish`, that no field is unknown.
// Every accessor marks its key as known even when absent, so "did you mean" can suggest it.
class ObjectReader {
public:
    ObjectReader(Decoder& d, const Value& map, std::string path);

    bool valid() const { return valid_; }
    const Value& node() const { return map_; }
    const std::string& path() const { return path_; }
    std::string Field(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
    Position PositionOf(const std::string& key) const;

    const Value* Get(const std::string& key);
    bool Has(const std::string& key) const { return map_.Find(key) != nullptr; }

    void String(const std::string& key, std::string* out, bool required = false);
    // A lower snake case name (an address part).
    void Name(const std::string& key, std::string* out, bool required = false);
    void Bool(const std::string& key, bool* out);
    void Int(const std::string& key, int64_t* out, int64_t min_value);
    void OptionalInt(const std::string& key, std::optional<int64_t>* out);
    void OptionalDouble(const std::string& key, std::optional<double>* out);
    // A list of scalars, kept as text.
    void ScalarList(const std::string& key, std::vector<std::string>* out);
    // A duration such as 90s, 15m, 24h, 7d, 2w.
    void Duration(const std::string& key, int64_t* seconds, bool required = false);
    // One of `names`; `values[i]` is stored for `names[i]`.
    template <typename E>
    void Enum(const std::string& key, E* out, const std::vector<std::pair<std::string, E>>& table);
    // Runs `each` on every element of a list of maps.
    void List(const std::string& key, const std::function<void(ObjectReader&, size_t)>& each,
              bool required = false);

    // Reports unknown fields (with a suggestion) and collects `x-` keys into `extensions`
    // (or reports them as unknown when `extensions` is null).
    void Finish(model::Extensions* extensions);

    Decoder& decoder() { return d_; }

private:
    const Value* Typed(const std::string& key, Value::Type type, const char* expected);
    void Mark(const std::string& key) { known_.push_back(key); }

    Decoder& d_;
    const Value& map_;
    std::string path_;
    std::vector<std::string> known_;
    bool valid_ = true;
};

template <typename E>
void ObjectReader::Enum(const std::string& key, E* out, const std::vector<std::pair<std::string, E>>& table) {
    std::string text;
    String(key, &text);
    if (text.empty()) return;
    std::string names;
    for (const auto& [name, value] : table) {
        if (name == text) {
            *out = value;
            return;
        }
        names += (names.empty() ? "" : ", ") + name;
    }
    d_.Error(*map_.Find(key), Field(key), "expected one of " + names + ", found \"" + text + "\"");
}

}  // namespace tessera::spec::internal
