#include "spec/internal/value.h"

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <algorithm>

namespace tessera::spec::internal {
namespace {

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

Value FromYaml(const YAML::Node& node) {
    Value v;
    v.line = node.Mark().line + 1;
    v.col = node.Mark().column + 1;
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
            for (const auto& item : node) v.items.push_back(FromYaml(item));
            break;
        case YAML::NodeType::Map:
            v.type = Value::Type::kMap;
            for (const auto& kv : node) {
                Value::Field f;
                f.key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
                f.line = kv.first.Mark().line + 1;
                f.col = kv.first.Mark().column + 1;
                f.value = FromYaml(kv.second);
                v.fields.push_back(std::move(f));
            }
            break;
    }
    return v;
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
    try {
        std::vector<YAML::Node> nodes = YAML::LoadAll(std::string(text));
        for (const auto& n : nodes) {
            ParsedDocument d;
            d.root = FromYaml(n);
            d.line = n.Mark().line + 1;
            docs->push_back(std::move(d));
        }
        return true;
    } catch (const YAML::Exception& e) {
        *error = e.msg;
        *line = e.mark.line + 1;
        *col = e.mark.column + 1;
        return false;
    }
}

bool ParseJson(std::string_view text, Value* out, std::string* error) {
    auto j = nlohmann::ordered_json::parse(text, nullptr, false);
    if (j.is_discarded()) {
        *error = "malformed JSON";
        return false;
    }
    *out = FromNlohmann(j);
    return true;
}

std::string ToJsonText(const Value& v) { return ToNlohmann(v).dump(); }

}  // namespace tessera::spec::internal
