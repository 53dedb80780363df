#include "spec/internal/json_schema.h"

#include <cmath>
#include <map>
#include <mutex>
#include <regex>
#include <set>

namespace tessera::spec::internal {
namespace {

using Json = nlohmann::json;

std::string Escape(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

std::string TypeOf(const Json& v) {
    switch (v.type()) {
        case Json::value_t::null:
            return "null";
        case Json::value_t::boolean:
            return "boolean";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
            return "integer";
        case Json::value_t::number_float:
            return "number";
        case Json::value_t::string:
            return "string";
        case Json::value_t::array:
            return "array";
        case Json::value_t::object:
            return "object";
        default:
            return "value";
    }
}

// What "found …" says about an instance value, short.
std::string Found(const Json& v) {
    if (v.is_string()) {
        std::string s = v.get<std::string>();
        if (s.size() > 40)
            s = s.substr(0, 37) + "...";
        return "string \"" + s + "\"";
    }
    if (v.is_number())
        return "number " + v.dump();
    if (v.is_boolean())
        return std::string("boolean ") + (v.get<bool>() ? "true" : "false");
    if (v.is_null())
        return "null";
    if (v.is_array())
        return "a list";
    return "a map";
}

bool IsType(const Json& v, const std::string& type) {
    if (type == "integer") {
        if (v.is_number_integer() || v.is_number_unsigned())
            return true;
        if (v.is_number_float()) {
            double d = v.get<double>();
            return std::isfinite(d) && std::floor(d) == d;
        }
        return false;
    }
    if (type == "number")
        return v.is_number();
    return TypeOf(v) == type || (type == "number" && v.is_number());
}

// Numbers compare by value (1 == 1.0), as JSON Schema says.
bool Equal(const Json& a, const Json& b) {
    if (a.is_number() && b.is_number())
        return a.get<double>() == b.get<double>();
    if (a.type() != b.type())
        return false;
    if (a.is_array()) {
        if (a.size() != b.size())
            return false;
        for (size_t i = 0; i < a.size(); ++i) {
            if (!Equal(a[i], b[i]))
                return false;
        }
        return true;
    }
    if (a.is_object()) {
        if (a.size() != b.size())
            return false;
        for (auto it = a.begin(); it != a.end(); ++it) {
            auto other = b.find(it.key());
            if (other == b.end() || !Equal(*it, *other))
                return false;
        }
        return true;
    }
    return a == b;
}

size_t Utf8Length(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s) {
        if ((c & 0xC0) != 0x80)
            ++n;
    }
    return n;
}

class Validator {
public:
    explicit Validator(const Json& root) : root_(root) {}

    // Validates `inst` at `ptr` against `schema`; appends violations to `errs` and the names of
    // the properties it evaluated (for unevaluatedProperties) to `evaluated`.
    void Check(const Json& schema,
               const Json& inst,
               const std::string& ptr,
               std::vector<SchemaError>& errs,
               std::set<std::string>& evaluated,
               int depth = 0) {
        if (depth > 64) {
            errs.push_back({ptr, "the schema nests $ref more than 64 levels deep"});
            return;
        }
        if (schema.is_boolean()) {
            if (!schema.get<bool>())
                errs.push_back({ptr, "no value is allowed here"});
            return;
        }
        if (!schema.is_object())
            return;

        if (auto it = schema.find("$ref"); it != schema.end() && it->is_string()) {
            const Json* target = Resolve(it->get<std::string>());
            if (!target) {
                errs.push_back({ptr, "the schema's $ref \"" + it->get<std::string>() +
                                             "\" cannot be resolved"});
            } else {
                Check(*target, inst, ptr, errs, evaluated, depth + 1);
            }
        }
        if (auto it = schema.find("type"); it != schema.end()) {
            std::vector<std::string> types;
            if (it->is_string())
                types.push_back(it->get<std::string>());
            if (it->is_array()) {
                for (const auto& t : *it)
                    types.push_back(t.get<std::string>());
            }
            bool ok = types.empty();
            for (const auto& t : types)
                ok = ok || IsType(inst, t);
            if (!ok) {
                std::string want;
                for (const auto& t : types)
                    want += (want.empty() ? "" : " or ") + t;
                std::string hint;
                if (inst.is_number() && types.size() == 1 && types[0] == "string") {
                    hint = " (YAML reads it as a number: quote it)";
                }
                if (inst.is_boolean() && types.size() == 1 && types[0] == "string") {
                    hint = " (YAML reads it as a boolean: quote it)";
                }
                errs.push_back({ptr, "expected " + want + ", found " + Found(inst) + hint});
                return;  // the other keywords would only repeat the mismatch
            }
        }
        if (auto it = schema.find("enum"); it != schema.end() && it->is_array()) {
            bool ok = false;
            for (const auto& v : *it)
                ok = ok || Equal(v, inst);
            if (!ok) {
                std::string names;
                for (const auto& v : *it)
                    names += (names.empty() ? "" : ", ") +
                             (v.is_string() ? v.get<std::string>() : v.dump());
                errs.push_back({ptr, "expected one of " + names + ", found " + Found(inst)});
            }
        }
        if (auto it = schema.find("const"); it != schema.end()) {
            if (!Equal(*it, inst))
                errs.push_back({ptr, "expected " + it->dump() + ", found " + Found(inst)});
        }
        if (inst.is_string())
            CheckString(schema, inst.get<std::string>(), ptr, errs);
        if (inst.is_number())
            CheckNumber(schema, inst, ptr, errs);
        if (inst.is_array())
            CheckArray(schema, inst, ptr, errs, depth);
        if (inst.is_object())
            CheckObject(schema, inst, ptr, errs, evaluated, depth);

        if (auto it = schema.find("allOf"); it != schema.end() && it->is_array()) {
            for (const auto& sub : *it)
                Check(sub, inst, ptr, errs, evaluated, depth + 1);
        }
        if (auto it = schema.find("anyOf"); it != schema.end() && it->is_array()) {
            std::vector<std::vector<SchemaError>> branch_errors;
            bool any = false;
            for (const auto& sub : *it) {
                std::vector<SchemaError> e;
                std::set<std::string> ev;
                Check(sub, inst, ptr, e, ev, depth + 1);
                if (e.empty()) {
                    any = true;
                    evaluated.insert(ev.begin(), ev.end());
                }
                branch_errors.push_back(std::move(e));
            }
            if (!any)
                ReportBranches(branch_errors, ptr, "any", errs);
        }
        if (auto it = schema.find("oneOf"); it != schema.end() && it->is_array()) {
            std::vector<std::vector<SchemaError>> branch_errors;
            int matched = 0;
            for (const auto& sub : *it) {
                std::vector<SchemaError> e;
                std::set<std::string> ev;
                Check(sub, inst, ptr, e, ev, depth + 1);
                if (e.empty()) {
                    ++matched;
                    evaluated.insert(ev.begin(), ev.end());
                }
                branch_errors.push_back(std::move(e));
            }
            if (matched == 0)
                ReportBranches(branch_errors, ptr, "one", errs);
            if (matched > 1)
                errs.push_back({ptr, "matches " + std::to_string(matched) +
                                             " of the allowed shapes, expected exactly one"});
        }
        if (auto it = schema.find("not"); it != schema.end()) {
            std::vector<SchemaError> e;
            std::set<std::string> ev;
            Check(*it, inst, ptr, e, ev, depth + 1);
            if (e.empty())
                errs.push_back({ptr, "matches a shape that is not allowed here"});
        }
        if (auto it = schema.find("if"); it != schema.end()) {
            std::vector<SchemaError> e;
            std::set<std::string> ev;
            Check(*it, inst, ptr, e, ev, depth + 1);
            if (e.empty()) {
                evaluated.insert(ev.begin(), ev.end());
                if (auto then = schema.find("then"); then != schema.end())
                    Check(*then, inst, ptr, errs, evaluated, depth + 1);
            } else if (auto other = schema.find("else"); other != schema.end()) {
                Check(*other, inst, ptr, errs, evaluated, depth + 1);
            }
        }
        // Last: it needs what every other applicator evaluated.
        if (inst.is_object()) {
            if (auto it = schema.find("unevaluatedProperties"); it != schema.end()) {
                for (auto p = inst.begin(); p != inst.end(); ++p) {
                    if (evaluated.count(p.key()))
                        continue;
                    std::string child = ptr + "/" + Escape(p.key());
                    if (it->is_boolean() && !it->get<bool>()) {
                        errs.push_back(
                                {child, "unknown field \"" + p.key() + "\"" + Allowed(schema)});
                    } else {
                        std::set<std::string> ev;
                        Check(*it, *p, child, errs, ev, depth + 1);
                    }
                    evaluated.insert(p.key());
                }
            }
        }
    }

private:
    const Json* Resolve(const std::string& ref) {
        if (ref.empty() || ref[0] != '#')
            return nullptr;
        std::string pointer = ref.substr(1);
        try {
            const Json& target = root_.at(Json::json_pointer(pointer));
            return &target;
        } catch (const std::exception&) {
            return nullptr;
        }
    }

    // The known property names, for "unknown field" messages.
    static std::string Allowed(const Json& schema) {
        auto props = schema.find("properties");
        if (props == schema.end() || !props->is_object() || props->empty() || props->size() > 12)
            return "";
        std::string names;
        for (auto it = props->begin(); it != props->end(); ++it)
            names += (names.empty() ? "" : ", ") + it.key();
        return " (expected one of " + names + ")";
    }

    // No branch of anyOf/oneOf matched: report the branch that came closest (fewest errors, then
    // deepest), since that is the shape the writer most likely meant.
    static void ReportBranches(std::vector<std::vector<SchemaError>>& branches,
                               const std::string& ptr,
                               const char* which,
                               std::vector<SchemaError>& errs) {
        const std::vector<SchemaError>* best = nullptr;
        size_t best_depth = 0;
        for (const auto& b : branches) {
            size_t depth = 0;
            for (const auto& e : b)
                depth = std::max(depth, e.pointer.size());
            // The deepest branch got furthest into the document before failing; among equals,
            // the one with fewer errors.
            if (!best || depth > best_depth || (depth == best_depth && b.size() < best->size())) {
                best = &b;
                best_depth = depth;
            }
        }
        if (best && !best->empty() && best_depth > ptr.size()) {
            errs.insert(errs.end(), best->begin(), best->end());
            return;
        }
        std::string detail = best && !best->empty() ? ": " + best->front().message : "";
        errs.push_back({ptr, std::string("matches none of the allowed shapes (") + which + " of " +
                                     std::to_string(branches.size()) + " expected)" + detail});
    }

    void CheckString(const Json& schema,
                     const std::string& s,
                     const std::string& ptr,
                     std::vector<SchemaError>& errs) {
        if (auto it = schema.find("minLength");
            it != schema.end() && it->is_number() && Utf8Length(s) < it->get<size_t>()) {
            errs.push_back({ptr, "expected at least " + it->dump() + " characters, found " +
                                         std::to_string(Utf8Length(s))});
        }
        if (auto it = schema.find("maxLength");
            it != schema.end() && it->is_number() && Utf8Length(s) > it->get<size_t>()) {
            errs.push_back({ptr, "expected at most " + it->dump() + " characters, found " +
                                         std::to_string(Utf8Length(s))});
        }
        if (auto it = schema.find("pattern"); it != schema.end() && it->is_string()) {
            if (!Matches(it->get<std::string>(), s)) {
                errs.push_back({ptr, "expected a string matching " + it->get<std::string>() +
                                             ", found \"" + s + "\""});
            }
        }
    }

    void CheckNumber(const Json& schema,
                     const Json& inst,
                     const std::string& ptr,
                     std::vector<SchemaError>& errs) {
        double d = inst.get<double>();
        auto bound = [&](const char* key, bool (*ok)(double, double), const char* words) {
            if (auto it = schema.find(key);
                it != schema.end() && it->is_number() && !ok(d, it->get<double>())) {
                errs.push_back({ptr, std::string("expected a number ") + words + " " + it->dump() +
                                             ", found " + inst.dump()});
            }
        };
        bound(
                "minimum", [](double v, double b) { return v >= b; }, "at least");
        bound(
                "maximum", [](double v, double b) { return v <= b; }, "at most");
        bound(
                "exclusiveMinimum", [](double v, double b) { return v > b; }, "greater than");
        bound(
                "exclusiveMaximum", [](double v, double b) { return v < b; }, "less than");
    }

    void CheckArray(const Json& schema,
                    const Json& inst,
                    const std::string& ptr,
                    std::vector<SchemaError>& errs,
                    int depth) {
        if (auto it = schema.find("minItems");
            it != schema.end() && it->is_number() && inst.size() < it->get<size_t>()) {
            errs.push_back({ptr, "expected at least " + it->dump() + " items, found " +
                                         std::to_string(inst.size())});
        }
        if (auto it = schema.find("maxItems");
            it != schema.end() && it->is_number() && inst.size() > it->get<size_t>()) {
            errs.push_back({ptr, "expected at most " + it->dump() + " items, found " +
                                         std::to_string(inst.size())});
        }
        if (auto it = schema.find("uniqueItems");
            it != schema.end() && it->is_boolean() && it->get<bool>()) {
            for (size_t i = 0; i < inst.size(); ++i) {
                for (size_t j = i + 1; j < inst.size(); ++j) {
                    if (Equal(inst[i], inst[j])) {
                        errs.push_back({ptr + "/" + std::to_string(j),
                                        "duplicates item " + std::to_string(i) +
                                                ", expected unique items"});
                    }
                }
            }
        }
        size_t first = 0;
        if (auto it = schema.find("prefixItems"); it != schema.end() && it->is_array()) {
            for (size_t i = 0; i < it->size() && i < inst.size(); ++i) {
                std::set<std::string> ev;
                Check((*it)[i], inst[i], ptr + "/" + std::to_string(i), errs, ev, depth + 1);
            }
            first = it->size();
        }
        if (auto it = schema.find("items"); it != schema.end()) {
            if (it->is_array()) {  // draft-07 tuple form
                for (size_t i = 0; i < it->size() && i < inst.size(); ++i) {
                    std::set<std::string> ev;
                    Check((*it)[i], inst[i], ptr + "/" + std::to_string(i), errs, ev, depth + 1);
                }
            } else {
                for (size_t i = first; i < inst.size(); ++i) {
                    std::set<std::string> ev;
                    Check(*it, inst[i], ptr + "/" + std::to_string(i), errs, ev, depth + 1);
                }
            }
        }
    }

    void CheckObject(const Json& schema,
                     const Json& inst,
                     const std::string& ptr,
                     std::vector<SchemaError>& errs,
                     std::set<std::string>& evaluated,
                     int depth) {
        if (auto it = schema.find("required"); it != schema.end() && it->is_array()) {
            for (const auto& key : *it) {
                if (key.is_string() && !inst.contains(key.get<std::string>())) {
                    errs.push_back(
                            {ptr, "missing required field \"" + key.get<std::string>() + "\""});
                }
            }
        }
        if (auto it = schema.find("dependentRequired"); it != schema.end() && it->is_object()) {
            for (auto d = it->begin(); d != it->end(); ++d) {
                if (!inst.contains(d.key()))
                    continue;
                for (const auto& key : *d) {
                    if (!inst.contains(key.get<std::string>())) {
                        errs.push_back({ptr, "\"" + d.key() + "\" needs \"" +
                                                     key.get<std::string>() + "\" too"});
                    }
                }
            }
        }
        if (auto it = schema.find("minProperties");
            it != schema.end() && it->is_number() && inst.size() < it->get<size_t>()) {
            errs.push_back({ptr, "expected at least " + it->dump() + " fields, found " +
                                         std::to_string(inst.size())});
        }
        if (auto it = schema.find("maxProperties");
            it != schema.end() && it->is_number() && inst.size() > it->get<size_t>()) {
            errs.push_back({ptr, "expected at most " + it->dump() + " fields, found " +
                                         std::to_string(inst.size())});
        }
        const Json* props = nullptr;
        if (auto it = schema.find("properties"); it != schema.end() && it->is_object())
            props = &*it;
        const Json* patterns = nullptr;
        if (auto it = schema.find("patternProperties"); it != schema.end() && it->is_object())
            patterns = &*it;
        const Json* additional = nullptr;
        if (auto it = schema.find("additionalProperties"); it != schema.end())
            additional = &*it;
        const Json* names = nullptr;
        if (auto it = schema.find("propertyNames"); it != schema.end())
            names = &*it;

        for (auto p = inst.begin(); p != inst.end(); ++p) {
            std::string child = ptr + "/" + Escape(p.key());
            bool matched = false;
            if (names) {
                std::vector<SchemaError> e;
                std::set<std::string> ev;
                Check(*names, Json(p.key()), child, e, ev, depth + 1);
                for (auto& x : e)
                    errs.push_back({child, "field name \"" + p.key() + "\": " + x.message});
            }
            if (props) {
                if (auto s = props->find(p.key()); s != props->end()) {
                    std::set<std::string> ev;
                    Check(*s, *p, child, errs, ev, depth + 1);
                    matched = true;
                }
            }
            if (patterns) {
                for (auto pp = patterns->begin(); pp != patterns->end(); ++pp) {
                    if (Matches(pp.key(), p.key())) {
                        std::set<std::string> ev;
                        Check(*pp, *p, child, errs, ev, depth + 1);
                        matched = true;
                    }
                }
            }
            if (matched) {
                evaluated.insert(p.key());
            } else if (additional) {
                if (additional->is_boolean() && !additional->get<bool>()) {
                    errs.push_back({child, "unknown field \"" + p.key() + "\"" + Allowed(schema)});
                } else {
                    std::set<std::string> ev;
                    Check(*additional, *p, child, errs, ev, depth + 1);
                }
                evaluated.insert(p.key());
            }
        }
    }

    bool Matches(const std::string& pattern, const std::string& s) {
        auto it = regexes_.find(pattern);
        if (it == regexes_.end()) {
            try {
                it = regexes_.emplace(pattern, std::regex(pattern, std::regex::ECMAScript)).first;
            } catch (const std::regex_error&) {
                return true;  // a pattern std::regex cannot read is not held against the document
            }
        }
        return std::regex_search(s, it->second);
    }

    const Json& root_;
    std::map<std::string, std::regex> regexes_;
};

}  // namespace

Result<JsonSchema> JsonSchema::Parse(std::string_view text) {
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded() || !(j.is_object() || j.is_boolean())) {
        return InvalidArgument("a JSON Schema must be a JSON object");
    }
    return JsonSchema(std::make_shared<const Json>(std::move(j)));
}

std::vector<SchemaError> JsonSchema::Validate(const nlohmann::json& instance) const {
    Validator v(*root_);
    std::vector<SchemaError> errs;
    std::set<std::string> evaluated;
    v.Check(*root_, instance, "", errs, evaluated);
    std::vector<SchemaError> unique;
    std::set<std::pair<std::string, std::string>> seen;
    for (auto& e : errs) {
        if (seen.insert({e.pointer, e.message}).second)
            unique.push_back(std::move(e));
    }
    return unique;
}

std::string JsonSchema::Dialect() const {
    if (root_->is_object()) {
        auto it = root_->find("$schema");
        if (it != root_->end() && it->is_string())
            return it->get<std::string>();
    }
    return "";
}

}  // namespace tessera::spec::internal
