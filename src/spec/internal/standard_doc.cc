#include "spec/internal/standard_doc.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/logging.h"
#include "spec/internal/json_schema.h"
#include "spec/internal/standard_schemas.h"
#include "spec/internal/value.h"

namespace tessera::spec::internal {
namespace {

std::string EscapeKey(const std::string& key) {
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

OrderedJson ToJson(const Value& v,
                   const std::string& pointer,
                   const std::string& file,
                   std::map<std::string, Position>* positions) {
    (*positions)[pointer] = Position{file, v.line, v.col};
    switch (v.type) {
        case Value::Type::kNull:
            return nullptr;
        case Value::Type::kBool:
            return v.text == "true";
        case Value::Type::kInt: {
            try {
                std::string t = v.text;
                int base = 10;
                if (t.rfind("0x", 0) == 0)
                    base = 16, t = t.substr(2);
                else if (t.rfind("0o", 0) == 0)
                    base = 8, t = t.substr(2);
                size_t used = 0;
                long long n = std::stoll(t, &used, base);
                return n;
            } catch (const std::exception&) {
                return std::stod(v.text);
            }
        }
        case Value::Type::kFloat: {
            try {
                double d = std::stod(v.text);
                if (std::isfinite(d))
                    return d;
            } catch (const std::exception&) {
            }
            return v.text;  // .inf and .nan have no JSON form
        }
        case Value::Type::kString:
            return v.text;
        case Value::Type::kSeq: {
            OrderedJson a = OrderedJson::array();
            for (size_t i = 0; i < v.items.size(); ++i) {
                a.push_back(ToJson(v.items[i], pointer + "/" + std::to_string(i), file, positions));
            }
            return a;
        }
        case Value::Type::kMap: {
            OrderedJson o = OrderedJson::object();
            for (const auto& f : v.fields) {
                o[f.key] = ToJson(f.value, pointer + "/" + EscapeKey(f.key), file, positions);
            }
            return o;
        }
    }
    return nullptr;
}

const EmbeddedSchema* FindSchema(const std::string& name) {
    for (size_t i = 0; i < kStandardSchemaCount; ++i) {
        if (name == kStandardSchemas[i].name)
            return &kStandardSchemas[i];
    }
    return nullptr;
}

Result<const JsonSchema*> LoadSchema(const std::string& name) {
    static std::map<std::string, JsonSchema> cache;
    if (auto it = cache.find(name); it != cache.end())
        return &it->second;
    const EmbeddedSchema* e = FindSchema(name);
    if (!e) {
        return Unavailable("the JSON Schema " + name +
                           " is not built into this binary: configure with "
                           "-DTESSERA_STANDARDS_DIR=<folder with the "
                           "standards' schemas> (see docs/interop.md)");
    }
    TESSERA_ASSIGN_OR_RETURN(JsonSchema s, JsonSchema::Parse(e->text));
    return &cache.emplace(name, std::move(s)).first->second;
}

}  // namespace

Position StandardDocument::At(const std::string& pointer) const {
    std::string p = pointer;
    while (true) {
        if (auto it = positions.find(p); it != positions.end())
            return it->second;
        if (p.empty())
            return Position{file, 0, 0};
        p = p.substr(0, p.rfind('/'));
    }
}

std::string StandardDocument::FieldOf(const std::string& pointer) {
    std::string out;
    size_t i = 1;
    while (i <= pointer.size() && !pointer.empty()) {
        size_t next = pointer.find('/', i);
        std::string part =
                pointer.substr(i, next == std::string::npos ? std::string::npos : next - i);
        std::string key;
        for (size_t k = 0; k < part.size(); ++k) {
            if (part[k] == '~' && k + 1 < part.size()) {
                key += part[k + 1] == '1' ? '/' : '~';
                ++k;
            } else {
                key += part[k];
            }
        }
        bool index = !key.empty() && key.find_first_not_of("0123456789") == std::string::npos;
        if (index)
            out += "[" + key + "]";
        else
            out += (out.empty() ? "" : ".") + key;
        if (next == std::string::npos)
            break;
        i = next + 1;
    }
    return out.empty() ? "(document)" : out;
}

Diagnostic StandardDocument::Error(const std::string& pointer, std::string message) const {
    return Diagnostic{At(pointer), FieldOf(pointer), std::move(message), false};
}

Diagnostic StandardDocument::Warning(const std::string& pointer, std::string message) const {
    Diagnostic d = Error(pointer, std::move(message));
    d.warning = true;
    return d;
}

Result<StandardDocument> ParseStandardDocument(std::string_view text,
                                               const std::string& file,
                                               std::vector<Diagnostic>* diagnostics) {
    std::vector<ParsedDocument> docs;
    std::string error;
    int line = 0, col = 0;
    if (!ParseYaml(text, &docs, &error, &line, &col)) {
        diagnostics->push_back(
                {Position{file, line, col}, "(document)", error, false});
        return InvalidArgument(file + ": not YAML or JSON");
    }
    if (docs.empty() || docs[0].root.type != Value::Type::kMap) {
        diagnostics->push_back({Position{file, 1, 1}, "(document)",
                                "expected a map at the top of the file", false});
        return InvalidArgument(file + ": empty");
    }
    if (docs.size() > 1) {
        diagnostics->push_back(
                {Position{file, docs[1].line, 1}, "(document)",
                 "holds several YAML documents; give one contract or product per file", false});
        return InvalidArgument(file + ": several documents");
    }
    StandardDocument doc;
    doc.file = file;
    doc.json = ToJson(docs[0].root, "", file, &doc.positions);
    return doc;
}

Result<StandardDocument> ReadStandardDocument(const std::string& path,
                                              std::vector<Diagnostic>* diagnostics) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        diagnostics->push_back(
                {Position{path, 0, 0}, "(file)", "cannot be read (does it exist?)", false});
        return NotFound(path + ": cannot be read");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return ParseStandardDocument(text.str(), path, diagnostics);
}

Result<bool> ValidateAgainst(const StandardDocument& doc,
                             const std::string& schema_name,
                             std::vector<Diagnostic>* diagnostics) {
    TESSERA_ASSIGN_OR_RETURN(const JsonSchema* schema, LoadSchema(schema_name));
    nlohmann::json plain = nlohmann::json::parse(doc.json.dump());
    auto errors = schema->Validate(plain);
    std::vector<Diagnostic> found;
    for (const auto& e : errors) {
        found.push_back(
                doc.Error(e.pointer,
                          e.message + " (" + schema_name.substr(schema_name.rfind('/') + 1) + ")"));
    }
    std::stable_sort(found.begin(), found.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::pair(a.at.line, a.at.col) < std::pair(b.at.line, b.at.col);
    });
    diagnostics->insert(diagnostics->end(), found.begin(), found.end());
    TESSERA_LOG(kDebug) << "validated " << doc.file << " against " << schema_name << ": "
                        << errors.size() << " errors";
    return errors.empty();
}

Result<std::vector<std::string>> ValidateJson(const OrderedJson& value,
                                              const std::string& schema_name) {
    TESSERA_ASSIGN_OR_RETURN(const JsonSchema* schema, LoadSchema(schema_name));
    std::vector<std::string> out;
    for (const auto& e : schema->Validate(nlohmann::json::parse(value.dump()))) {
        out.push_back(StandardDocument::FieldOf(e.pointer) + ": " + e.message);
    }
    return out;
}

namespace {

bool Resolve(OrderedJson& node,
             const std::string& pointer,
             const StandardDocument& doc,
             const std::filesystem::path& base,
             int depth,
             std::vector<Diagnostic>* diagnostics) {
    bool ok = true;
    if (node.is_object()) {
        auto ref = node.find("$ref");
        if (ref != node.end() && ref->is_string() && !ref->get<std::string>().empty() &&
            ref->get<std::string>()[0] != '#') {
            std::string target = ref->get<std::string>();
            std::string file_part = target.substr(0, target.find('#'));
            std::string fragment = target.find('#') == std::string::npos
                                           ? ""
                                           : target.substr(target.find('#') + 1);
            if (file_part.find("://") != std::string::npos) {
                diagnostics->push_back(
                        doc.Error(pointer + "/$ref",
                                  "\"" + target +
                                          "\" is a remote reference; Tessera reads only "
                                          "files beside the descriptor (download it first)"));
                return false;
            }
            if (depth > 16) {
                diagnostics->push_back(
                        doc.Error(pointer + "/$ref", "references nest more than 16 files deep"));
                return false;
            }
            std::filesystem::path path = base / file_part;
            std::vector<Diagnostic> inner;
            auto other = ReadStandardDocument(path.string(), &inner);
            if (!other.ok()) {
                std::string why = inner.empty() ? other.status().message() : inner.front().message;
                diagnostics->push_back(doc.Error(
                        pointer + "/$ref",
                        "cannot resolve \"" + target + "\": " + path.string() + " " + why));
                return false;
            }
            OrderedJson value = other->json;
            if (!fragment.empty()) {
                try {
                    value = value.at(OrderedJson::json_pointer(fragment));
                } catch (const std::exception&) {
                    diagnostics->push_back(
                            doc.Error(pointer + "/$ref", "cannot resolve \"" + target +
                                                                 "\": " + path.string() +
                                                                 " has nothing at " + fragment));
                    return false;
                }
            }
            if (!Resolve(value, pointer, *other, path.parent_path(), depth + 1, diagnostics))
                return false;
            node = std::move(value);
            return true;
        }
        for (auto it = node.begin(); it != node.end(); ++it) {
            ok = Resolve(*it, pointer + "/" + EscapeKey(it.key()), doc, base, depth, diagnostics) &&
                 ok;
        }
    } else if (node.is_array()) {
        for (size_t i = 0; i < node.size(); ++i) {
            ok = Resolve(node[i], pointer + "/" + std::to_string(i), doc, base, depth,
                         diagnostics) &&
                 ok;
        }
    }
    return ok;
}

}  // namespace

bool ResolveExternalRefs(StandardDocument* doc, std::vector<Diagnostic>* diagnostics) {
    std::filesystem::path base = std::filesystem::path(doc->file).parent_path();
    StandardDocument copy = *doc;
    return Resolve(doc->json, "", copy, base, 0, diagnostics);
}

}  // namespace tessera::spec::internal
