#include "spec/internal/value.h"

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <algorithm>

#include "common/text.h"

namespace tessera::spec::internal {
namespace {

std::string HexByte(char c) {
    static const char* kHex = "0123456789abcdef";
    auto b = static_cast<unsigned char>(c);
    return {kHex[b >> 4], kHex[b & 15]};
}

bool AllOf(std::string_view s, bool (*pred)(char)) {
    return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsOctal(char c) { return c >= '0' && c <= '7'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool IsFloat(std::string_view s) {
    size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t int_digits = 0, frac_digits = 0;
    while (i < s.size() && IsDigit(s[i])) ++i, ++int_digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && IsDigit(s[i])) ++i, ++frac_digits;
    }
    if (int_digits == 0 && frac_digits == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
        if (!AllOf(s.substr(i), IsDigit)) return false;
        return true;
    }
    return i == s.size();
}

// YAML 1.2 core schema resolution of a plain (unquoted) scalar.
Value::Type ResolvePlain(const std::string& s) {
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Value::Type::kNull;
    if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
        return Value::Type::kBool;
    }
    std::string_view v(s);
    std::string_view unsigned_part = (v[0] == '-' || v[0] == '+') ? v.substr(1) : v;
    if (AllOf(unsigned_part, IsDigit)) return Value::Type::kInt;
    if (v.size() > 2 && v[0] == '0' && v[1] == 'o' && AllOf(v.substr(2), IsOctal)) return Value::Type::kInt;
    if (v.size() > 2 && v[0] == '0' && v[1] == 'x' && AllOf(v.substr(2), IsHex)) return Value::Type::kInt;
    if (IsFloat(v)) return Value::Type::kFloat;
    static const char* kSpecial[] = {".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", "+.Inf", "+.INF",
                                     ".nan", ".NaN", ".NAN"};
    for (const char* sp : kSpecial) {
        if (v == sp) return Value::Type::kFloat;
    }
    return Value::Type::kString;
}

// What one parse may build: YAML aliases are references, so a small text can name a tree of
// billions of nodes (an "alias bomb"); the walk counts every node it builds, aliases expanded,
// and stops at the limits of value.h.
struct Budget {
    size_t nodes = 0;
    bool exceeded = false;
    std::string error;
    int line = 0, col = 0;

    // False (and the error, at `mark`) once a limit is passed.
    bool Take(const YAML::Mark& mark, int depth) {
        if (exceeded) return false;
        if (++nodes > kMaxDocumentNodes) {
            Fail(mark, "expected at most " + std::to_string(kMaxDocumentNodes) +
                               " values in a text (aliases expanded), found more: split it or write fewer aliases");
        } else if (depth > kMaxDocumentDepth) {
            Fail(mark, "expected at most " + std::to_string(kMaxDocumentDepth) + " levels of nesting, found more");
        }
        return !exceeded;
    }
    void Fail(const YAML::Mark& mark, std::string why) {
        exceeded = true;
        error = std::move(why);
        line = mark.line + 1;
        col = mark.column + 1;
    }
};

Value FromYaml(const YAML::Node& node, Budget& budget, int depth) {
    Value v;
    v.line = node.Mark().line + 1;
    v.col = node.Mark().column + 1;
    if (!budget.Take(node.Mark(), depth)) return v;
    switch (node.Type()) {
        case YAML::NodeType::Undefined:
        case YAML::NodeType::Null: v.type = Value::Type::kNull; break;
        case YAML::NodeType::Scalar: {
            v.text = node.Scalar();
            // yaml-cpp tags quoted and block scalars "!", plain ones "?".
            v.type = node.Tag() == "?" ? ResolvePlain(v.text) : Value::Type::kString;
            if (v.type == Value::Type::kBool) {
                v.text = (v.text[0] == 't' || v.text[0] == 'T') ? "true" : "false";
            }
            break;
        }
        case YAML::NodeType::Sequence:
            v.type = Value::Type::kSeq;
            for (const auto& item : node) {
                v.items.push_back(FromYaml(item, budget, depth + 1));
                if (budget.exceeded) break;
            }
            break;
        case YAML::NodeType::Map:
            v.type = Value::Type::kMap;
            for (const auto& kv : node) {
                Value::Field f;
                f.key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
                f.line = kv.first.Mark().line + 1;
                f.col = kv.first.Mark().column + 1;
                f.value = FromYaml(kv.second, budget, depth + 1);
                v.fields.push_back(std::move(f));
                if (budget.exceeded) break;
            }
            break;
    }
    return v;
}

// Line and column (from 1; the column counts bytes) of `offset` in `text`.
void LineColOf(std::string_view text, size_t offset, int* line, int* col) {
    *line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++*line;
            line_start = i + 1;
        }
    }
    *col = static_cast<int>(offset - line_start) + 1;
}

Value FromNlohmann(const nlohmann::ordered_json& j) {
    Value v;
    switch (j.type()) {
        case nlohmann::ordered_json::value_t::null:
        case nlohmann::ordered_json::value_t::discarded: v.type = Value::Type::kNull; break;
        case nlohmann::ordered_json::value_t::boolean:
            v.type = Value::Type::kBool;
            v.text = j.get<bool>() ? "true" : "false";
            break;
        case nlohmann::ordered_json::value_t::number_integer:
        case nlohmann::ordered_json::value_t::number_unsigned:
            v.type = Value::Type::kInt;
            v.text = j.dump();
            break;
        case nlohmann::ordered_json::value_t::number_float:
            v.type = Value::Type::kFloat;
            v.text = j.dump();
            break;
        case nlohmann::ordered_json::value_t::string:
            v.type = Value::Type::kString;
            v.text = j.get<std::string>();
            break;
        case nlohmann::ordered_json::value_t::array:
            v.type = Value::Type::kSeq;
            for (const auto& item : j) v.items.push_back(FromNlohmann(item));
            break;
        case nlohmann::ordered_json::value_t::object:
            v.type = Value::Type::kMap;
            for (const auto& [key, val] : j.items()) {
                Value::Field f;
                f.key = key;
                f.value = FromNlohmann(val);
                v.fields.push_back(std::move(f));
            }
            break;
        case nlohmann::ordered_json::value_t::binary: v.type = Value::Type::kNull; break;
    }
    return v;
}

nlohmann::ordered_json ToNlohmann(const Value& v) {
    switch (v.type) {
        case Value::Type::kNull: return nullptr;
        case Value::Type::kBool: return v.text == "true";
        case Value::Type::kInt:
            try {
                if (v.text.size() > 2 && v.text[0] == '0' && (v.text[1] == 'o' || v.text[1] == 'x')) {
                    return std::stoll(v.text.substr(2), nullptr, v.text[1] == 'o' ? 8 : 16);
                }
                return std::stoll(v.text, nullptr, 10);
            } catch (...) {
                return v.text;
            }
        case Value::Type::kFloat:
            try {
                return std::stod(v.text);
            } catch (...) {
                return v.text;
            }
        case Value::Type::kString: return v.text;
        case Value::Type::kSeq: {
            auto arr = nlohmann::ordered_json::array();
            for (const auto& item : v.items) arr.push_back(ToNlohmann(item));
            return arr;
        }
        case Value::Type::kMap: {
            auto obj = nlohmann::ordered_json::object();
            for (const auto& f : v.fields) obj[f.key] = ToNlohmann(f.value);
            return obj;
        }
    }
    return nullptr;
}

}  // namespace

const Value* Value::Find(std::string_view key) const {
    for (const auto& f : fields) {
        if (f.key == key) return &f.value;
    }
    return nullptr;
}

std::string Value::Describe() const {
    switch (type) {
        case Type::kNull: return "null";
        case Type::kBool: return "boolean " + text;
        case Type::kInt:
        case Type::kFloat: return "number " + text;
        case Type::kString: return "string \"" + text + "\"";
        case Type::kSeq: return "a list";
        case Type::kMap: return "a map";
    }
    return "?";
}

bool ParseYaml(std::string_view text, std::vector<ParsedDocument>* docs, std::string* error, int* line,
               int* col) {
    // Invalid UTF-8 would reach every JSON writer downstream (the catalog, the API).
    if (size_t bad = text::FirstInvalidUtf8(text); bad != std::string_view::npos) {
        LineColOf(text, bad, line, col);
        *error = "expected UTF-8 text, found the byte 0x" + HexByte(text[bad]) + " (save the file as UTF-8)";
        return false;
    }
    try {
        std::vector<YAML::Node> nodes = YAML::LoadAll(std::string(text));
        Budget budget;
        for (const auto& n : nodes) {
            ParsedDocument d;
            d.root = FromYaml(n, budget, 0);
            if (budget.exceeded) {
                *error = budget.error;
                *line = budget.line;
                *col = budget.col;
                docs->clear();
                return false;
            }
            d.line = n.Mark().line + 1;
            docs->push_back(std::move(d));
        }
        return true;
    } catch (const YAML::Exception& e) {
        *error = "expected valid YAML, found a syntax error: " + e.msg;
        *line = e.mark.line + 1;
        *col = e.mark.column + 1;
        return false;
    }
}

bool ParseJson(std::string_view text, Value* out, std::string* error) {
    if (size_t bad = text::FirstInvalidUtf8(text); bad != std::string_view::npos) {
        *error = "expected UTF-8 text, found the byte 0x" + HexByte(text[bad]) + " at offset " + std::to_string(bad);
        return false;
    }
    size_t nodes = 0;
    bool too_big = false;
    auto j = nlohmann::ordered_json::parse(
            text,
            [&](int depth, nlohmann::ordered_json::parse_event_t event, nlohmann::ordered_json&) {
                if (event == nlohmann::ordered_json::parse_event_t::key) return true;
                if (depth > kMaxDocumentDepth || ++nodes > kMaxDocumentNodes) too_big = true;
                return !too_big;
            },
            false);
    if (too_big) {
        *error = "expected at most " + std::to_string(kMaxDocumentNodes) + " values and " +
                 std::to_string(kMaxDocumentDepth) + " levels of nesting, found more";
        return false;
    }
    if (j.is_discarded()) {
        *error = "malformed JSON";
        return false;
    }
    *out = FromNlohmann(j);
    return true;
}

std::string ToJsonText(const Value& v) { return ToNlohmann(v).dump(); }

}  // namespace tessera::spec::internal
