#include "spec/internal/duckdb_type.h"

#include <cctype>
#include <map>
#include <vector>

#include "common/text.h"

namespace tessera::spec::internal {
namespace {

const std::map<std::string, std::string>& Aliases() {
    static const std::map<std::string, std::string> kAliases = {
            {"BIGINT", "BIGINT"}, {"INT8", "BIGINT"}, {"LONG", "BIGINT"},
            {"INTEGER", "INTEGER"}, {"INT", "INTEGER"}, {"INT4", "INTEGER"}, {"SIGNED", "INTEGER"},
            {"SMALLINT", "SMALLINT"}, {"INT2", "SMALLINT"}, {"SHORT", "SMALLINT"},
            {"TINYINT", "TINYINT"}, {"INT1", "TINYINT"},
            {"HUGEINT", "HUGEINT"}, {"INT128", "HUGEINT"},
            {"UBIGINT", "UBIGINT"}, {"UINTEGER", "UINTEGER"}, {"USMALLINT", "USMALLINT"},
            {"UTINYINT", "UTINYINT"}, {"UHUGEINT", "UHUGEINT"},
            {"DOUBLE", "DOUBLE"}, {"FLOAT8", "DOUBLE"},
            {"FLOAT", "FLOAT"}, {"FLOAT4", "FLOAT"}, {"REAL", "FLOAT"},
            {"VARCHAR", "VARCHAR"}, {"TEXT", "VARCHAR"}, {"STRING", "VARCHAR"}, {"CHAR", "VARCHAR"},
            {"BPCHAR", "VARCHAR"},
            {"BOOLEAN", "BOOLEAN"}, {"BOOL", "BOOLEAN"}, {"LOGICAL", "BOOLEAN"},
            {"DATE", "DATE"}, {"TIME", "TIME"}, {"TIMETZ", "TIME WITH TIME ZONE"},
            {"TIMESTAMP", "TIMESTAMP"}, {"DATETIME", "TIMESTAMP"},
            {"TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"},
            {"TIMESTAMP_S", "TIMESTAMP_S"}, {"TIMESTAMP_MS", "TIMESTAMP_MS"},
            {"TIMESTAMP_NS", "TIMESTAMP_NS"},
            {"INTERVAL", "INTERVAL"}, {"UUID", "UUID"}, {"BLOB", "BLOB"}, {"BYTEA", "BLOB"},
            {"JSON", "JSON"}, {"BIT", "BIT"},
    };
    return kAliases;
}

class TypeParser {
public:
    explicit TypeParser(std::string_view s) : s_(s) {}

    bool Parse(std::string* out, std::string* error) {
        if (!ParseType(out, error)) return false;
        SkipSpace();
        if (pos_ != s_.size()) {
            *error = "unexpected '" + std::string(s_.substr(pos_)) + "'";
            return false;
        }
        return true;
    }

private:
    void SkipSpace() {
        while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    }
    std::string Word() {
        SkipSpace();
        size_t start = pos_;
        while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) {
            ++pos_;
        }
        return std::string(s_.substr(start, pos_ - start));
    }
    // A STRUCT field name: a word, or a quoted identifier as DuckDB prints keywords
    // (`STRUCT("source" VARCHAR)`), kept quoted.
    std::string FieldName() {
        SkipSpace();
        if (pos_ >= s_.size() || s_[pos_] != '"') return Word();
        size_t start = pos_++;
        while (pos_ < s_.size()) {
            if (s_[pos_] == '"' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '"') {
                pos_ += 2;
            } else if (s_[pos_] == '"') {
                ++pos_;
                return pos_ - start > 2 ? std::string(s_.substr(start, pos_ - start)) : "";
            } else {
                ++pos_;
            }
        }
        return "";
    }
    bool Eat(char c) {
        SkipSpace();
        if (pos_ < s_.size() && s_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    bool Number(int* n) {
        SkipSpace();
        size_t start = pos_;
        while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
        if (start == pos_ || pos_ - start > 4) return false;
        *n = std::stoi(std::string(s_.substr(start, pos_ - start)));
        return true;
    }
    // "WITH TIME ZONE" after TIMESTAMP / TIME.
    bool TryWithTimeZone() {
        size_t save = pos_;
        if (text::Upper(Word()) == "WITH" && text::Upper(Word()) == "TIME" && text::Upper(Word()) == "ZONE") {
            return true;
        }
        pos_ = save;
        return false;
    }

    bool ParseType(std::string* out, std::string* error) {
        std::string word = text::Upper(Word());
        if (word.empty()) {
            *error = "a type name is missing";
            return false;
        }
        std::string base;
        if (word == "DECIMAL" || word == "NUMERIC") {
            int p = 18, s = 3;
            if (Eat('(')) {
                if (!Number(&p)) return Fail(error, "DECIMAL needs a width: DECIMAL(p,s)");
                s = 0;
                if (Eat(',') && !Number(&s)) return Fail(error, "DECIMAL needs a scale: DECIMAL(p,s)");
                if (!Eat(')')) return Fail(error, "')' missing after DECIMAL(p,s)");
            }
            if (p < 1 || p > 38 || s < 0 || s > p) {
                return Fail(error, "DECIMAL(p,s) needs 1 <= p <= 38 and 0 <= s <= p");
            }
            base = "DECIMAL(" + std::to_string(p) + "," + std::to_string(s) + ")";
        } else if (word == "VARCHAR" || word == "CHAR" || word == "BPCHAR" || word == "TEXT" || word == "STRING") {
            int n;
            if (Eat('(') && (!Number(&n) || !Eat(')'))) return Fail(error, "VARCHAR(n) needs a number");
            base = "VARCHAR";
        } else if (word == "STRUCT") {
            if (!Eat('(')) return Fail(error, "STRUCT needs fields: STRUCT(name TYPE, …)");
            base = "STRUCT(";
            bool first = true;
            do {
                std::string field = FieldName();
                if (field.empty()) return Fail(error, "STRUCT field name missing");
                std::string type;
                if (!ParseType(&type, error)) return false;
                base += (first ? "" : ", ") + field + " " + type;
                first = false;
            } while (Eat(','));
            if (!Eat(')')) return Fail(error, "')' missing after STRUCT fields");
            base += ")";
        } else if (word == "MAP") {
            std::string k, v;
            if (!Eat('(') || !ParseType(&k, error) || !Eat(',') || !ParseType(&v, error) || !Eat(')')) {
                if (error->empty()) *error = "MAP needs MAP(KEY_TYPE, VALUE_TYPE)";
                return false;
            }
            base = "MAP(" + k + ", " + v + ")";
        } else if (word == "LIST") {
            std::string inner;
            if (!Eat('(') || !ParseType(&inner, error) || !Eat(')')) {
                if (error->empty()) *error = "LIST needs LIST(TYPE)";
                return false;
            }
            base = inner + "[]";
        } else {
            auto it = Aliases().find(word);
            if (it == Aliases().end()) {
                std::vector<std::string_view> names;
                for (const auto& [k, v] : Aliases()) names.push_back(k);
                names.push_back("DECIMAL");
                names.push_back("STRUCT");
                names.push_back("MAP");
                std::string hint = text::ClosestMatch(word, names);
                *error = "unknown type '" + word + "'" + (hint.empty() ? "" : " (did you mean " + hint + "?)");
                return false;
            }
            base = it->second;
            if ((base == "TIMESTAMP" || base == "TIME") && TryWithTimeZone()) base += " WITH TIME ZONE";
        }
        // Suffixes: T[] (list), T[n] (array), repeatable.
        while (Eat('[')) {
            int n;
            if (Eat(']')) {
                base += "[]";
            } else if (Number(&n) && Eat(']')) {
                base += "[" + std::to_string(n) + "]";
            } else {
                return Fail(error, "'[' must be followed by ']' or a size and ']'");
            }
        }
        *out = base;
        return true;
    }

    static bool Fail(std::string* error, std::string message) {
        *error = std::move(message);
        return false;
    }

    std::string_view s_;
    size_t pos_ = 0;
};

}  // namespace

bool NormalizeDuckDbType(std::string_view text, std::string* normalized, std::string* error) {
    error->clear();
    return TypeParser(text).Parse(normalized, error);
}

}  // namespace tessera::spec::internal
