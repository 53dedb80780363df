#include "spec/internal/decoder.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "common/text.h"
#include "model/cron.h"
#include "spec/internal/duckdb_type.h"

namespace tessera::spec::internal {

using model::Extensions;

// ---------------------------------------------------------------------------------------------
// Decoder

void Decoder::Error(const Value& at, const std::string& field, std::string message) {
    Error(At(at), field, std::move(message));
}

void Decoder::Error(Position at, const std::string& field, std::string message) {
    ++errors_;
    out_->push_back({std::move(at), field, std::move(message), false});
}

std::string Decoder::ReadSqlFile(const std::string& name, Position at, const std::string& field) {
    if (!files_) {
        Error(std::move(at), field, "expected inline SQL (query), found a file name where no file can be read");
        return "";
    }
    Result<std::string> text = files_->Read(name);
    if (!text.ok()) {
        Error(std::move(at), field, text.status().message());
        return "";
    }
    return std::move(text).value();
}

// ---------------------------------------------------------------------------------------------
// ObjectReader

ObjectReader::ObjectReader(Decoder& d, const Value& map, std::string path)
    : d_(d), map_(map), path_(std::move(path)) {
    if (map_.type != Value::Type::kMap) {
        valid_ = false;
        d_.Error(map_, path_.empty() ? "document" : path_, "expected a map, found " + map_.Describe());
    }
}

Position ObjectReader::PositionOf(const std::string& key) const {
    for (const auto& f : map_.fields) {
        if (f.key == key) {
            if (f.value.line > 0) return d_.At(f.value);
            return {d_.file(), f.line, f.col};
        }
    }
    return d_.At(map_);
}

const Value* ObjectReader::Get(const std::string& key) {
    Mark(key);
    if (!valid_) return nullptr;
    const Value* v = map_.Find(key);
    if (v && v->type == Value::Type::kNull) return nullptr;
    return v;
}

const Value* ObjectReader::Typed(const std::string& key, Value::Type type, const char* expected) {
    const Value* v = Get(key);
    if (!v) return nullptr;
    if (v->type == type) return v;
    std::string hint;
    if (type == Value::Type::kString && v->IsScalar()) hint = " (quote it: \"" + v->text + "\")";
    d_.Error(PositionOf(key), Field(key), std::string("expected ") + expected + ", found " + v->Describe() + hint);
    return nullptr;
}

void ObjectReader::String(const std::string& key, std::string* out, bool required) {
    const Value* v = Typed(key, Value::Type::kString, "a string");
    if (v) {
        *out = v->text;
        if (required && v->text.empty()) d_.Error(PositionOf(key), Field(key), "expected a non-empty string, found \"\"");
    } else if (required && valid_ && !map_.Find(key)) {
        d_.Error(d_.At(map_), Field(key), "expected a value, found nothing (the field is required)");
    } else if (required && valid_ && map_.Find(key)->type == Value::Type::kNull) {
        d_.Error(PositionOf(key), Field(key), "expected a value, found null (the field is required)");
    }
}

namespace {

// Where `text` (SQL read for a descriptor) stops being UTF-8, as "the byte 0xff at line 3,
// column 7"; "" when it is UTF-8 throughout.
std::string InvalidUtf8At(std::string_view text) {
    size_t bad = text::FirstInvalidUtf8(text);
    if (bad == std::string_view::npos) return "";
    int line = 1;
    size_t start = 0;
    for (size_t i = 0; i < bad; ++i) {
        if (text[i] == '\n') {
            ++line;
            start = i + 1;
        }
    }
    static const char* kHex = "0123456789abcdef";
    auto b = static_cast<unsigned char>(text[bad]);
    return std::string("the byte 0x") + kHex[b >> 4] + kHex[b & 15] + " at line " + std::to_string(line) +
           ", column " + std::to_string(bad - start + 1);
}

// A YAML 1.2 integer: decimal (leading zeros stay decimal), 0o octal, 0x hex.
bool ParseYamlInt(const std::string& text, int64_t* out) {
    try {
        size_t used = 0;
        if (text.size() > 2 && text[0] == '0' && (text[1] == 'o' || text[1] == 'x')) {
            *out = std::stoll(text.substr(2), &used, text[1] == 'o' ? 8 : 16);
            return used == text.size() - 2;
        }
        *out = std::stoll(text, &used, 10);
        return used == text.size();
    } catch (...) {
        return false;
    }
}

// "OrdersDomain" -> "orders_domain", "order-facts" -> "order_facts", "Orders Core" -> "orders_core".
std::string SnakeCase(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        bool upper = c >= 'A' && c <= 'Z';
        bool alnum = upper || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum) {
            if (!out.empty() && out.back() != '_') out += '_';
            continue;
        }
        if (upper && i > 0 && !out.empty() && out.back() != '_' && s[i - 1] >= 'a' && s[i - 1] <= 'z') out += '_';
        out += upper ? static_cast<char>(c - 'A' + 'a') : c;
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    while (!out.empty() && (out.front() == '_' || (out.front() >= '0' && out.front() <= '9'))) out.erase(0, 1);
    return out.size() > 63 ? out.substr(0, 63) : out;
}

}  // namespace

void ObjectReader::Name(const std::string& key, std::string* out, bool required) {
    String(key, out, required);
    if (!out->empty() && !model::IsLowerSnakeCase(*out)) {
        d_.Error(PositionOf(key), Field(key),
                 "expected a lower snake case name (" + std::string(SnakeCase(*out).empty() ? "[a-z][a-z0-9_]*" : "e.g. \"" + SnakeCase(*out) + "\"") +
                         "), found \"" + *out + "\"");
    }
}

void ObjectReader::Bool(const std::string& key, bool* out) {
    if (const Value* v = Typed(key, Value::Type::kBool, "true or false")) *out = v->text == "true";
}

void ObjectReader::Int(const std::string& key, int64_t* out, int64_t min_value) {
    const Value* v = Typed(key, Value::Type::kInt, "an integer");
    if (!v) return;
    if (!ParseYamlInt(v->text, out)) {
        d_.Error(PositionOf(key), Field(key), "expected an integer, found " + v->Describe() + " (out of range)");
        return;
    }
    if (*out < min_value) {
        d_.Error(PositionOf(key), Field(key),
                 "expected an integer >= " + std::to_string(min_value) + ", found " + v->text);
    }
}

void ObjectReader::OptionalInt(const std::string& key, std::optional<int64_t>* out) {
    if (!Has(key)) {
        Mark(key);
        return;
    }
    int64_t value = 0;
    size_t before = d_.error_count();
    Int(key, &value, INT64_MIN);
    if (d_.error_count() == before && Get(key)) *out = value;
}

void ObjectReader::OptionalDouble(const std::string& key, std::optional<double>* out) {
    const Value* v = Get(key);
    if (!v) return;
    if (v->type != Value::Type::kInt && v->type != Value::Type::kFloat) {
        d_.Error(PositionOf(key), Field(key), "expected a number, found " + v->Describe());
        return;
    }
    try {
        *out = std::stod(v->text);
    } catch (...) {
        d_.Error(PositionOf(key), Field(key), "expected a number, found " + v->Describe());
    }
}

void ObjectReader::ScalarList(const std::string& key, std::vector<std::string>* out) {
    const Value* v = Get(key);
    if (!v) return;
    if (v->type != Value::Type::kSeq) {
        d_.Error(PositionOf(key), Field(key), "expected a list, found " + v->Describe());
        return;
    }
    for (size_t i = 0; i < v->items.size(); ++i) {
        const Value& item = v->items[i];
        if (!item.IsScalar() || item.type == Value::Type::kNull) {
            d_.Error(item, Field(key) + "[" + std::to_string(i) + "]", "expected a scalar, found " + item.Describe());
            continue;
        }
        out->push_back(item.text);
    }
}

void ObjectReader::Duration(const std::string& key, int64_t* seconds, bool required) {
    std::string textual;
    String(key, &textual, required);
    if (textual.empty()) return;
    static const std::regex kDuration(R"(([0-9]{1,9})\s*(s|m|h|d|w))");
    std::smatch m;
    if (!std::regex_match(textual, m, kDuration)) {
        d_.Error(PositionOf(key), Field(key),
                 "expected a duration such as 90s, 15m, 24h, 7d or 2w, found \"" + textual + "\"");
        return;
    }
    int64_t n = std::stoll(m[1]);
    static const std::map<std::string, int64_t> kUnit = {
            {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}, {"w", 604800}};
    *seconds = n * kUnit.at(m[2]);
}

void ObjectReader::List(const std::string& key, const std::function<void(ObjectReader&, size_t)>& each,
                        bool required) {
    const Value* v = Get(key);
    if (!v) {
        if (required && valid_) {
            d_.Error(map_.Find(key) ? PositionOf(key) : d_.At(map_), Field(key),
                     "expected a list with at least one item, found nothing (the field is required)");
        }
        return;
    }
    if (v->type != Value::Type::kSeq) {
        d_.Error(PositionOf(key), Field(key), "expected a list, found " + v->Describe());
        return;
    }
    if (required && v->items.empty()) {
        d_.Error(PositionOf(key), Field(key), "expected a list with at least one item, found an empty list");
    }
    for (size_t i = 0; i < v->items.size(); ++i) {
        ObjectReader item(d_, v->items[i], Field(key) + "[" + std::to_string(i) + "]");
        if (item.valid()) each(item, i);
    }
}

void ObjectReader::Finish(Extensions* extensions) {
    if (!valid_) return;
    std::vector<std::string_view> candidates(known_.begin(), known_.end());
    for (const auto& f : map_.fields) {
        if (std::find(known_.begin(), known_.end(), f.key) != known_.end()) continue;
        if (f.key.rfind("x-", 0) == 0 && extensions) {
            extensions->push_back({f.key, ToJsonText(f.value)});
            continue;
        }
        std::string hint = text::ClosestMatch(f.key, candidates);
        std::string message = "unknown field";
        if (!hint.empty()) {
            message += " (did you mean \"" + hint + "\"?)";
        } else {
            std::vector<std::string> sorted(known_.begin(), known_.end());
            std::sort(sorted.begin(), sorted.end());
            sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
            message += "; expected one of " + text::Join(sorted, ", ");
            if (extensions) message += ", or an x- extension";
        }
        d_.Error(Position{d_.file(), f.line, f.col}, Field(f.key), message);
    }
}

// ---------------------------------------------------------------------------------------------
// Entities

namespace {

const std::vector<std::pair<std::string, model::ProductKind>> kProductKinds = {
        {"source-aligned", model::ProductKind::kSourceAligned},
        {"aggregate", model::ProductKind::kAggregate},
        {"consumer-aligned", model::ProductKind::kConsumerAligned}};
const std::vector<std::pair<std::string, model::LifecycleStatus>> kStatuses = {
        {"proposed", model::LifecycleStatus::kProposed}, {"draft", model::LifecycleStatus::kDraft},
        {"active", model::LifecycleStatus::kActive}, {"deprecated", model::LifecycleStatus::kDeprecated},
        {"retired", model::LifecycleStatus::kRetired}};
const std::vector<std::pair<std::string, model::Classification>> kClassifications = {
        {"public", model::Classification::kPublic}, {"internal", model::Classification::kInternal},
        {"confidential", model::Classification::kConfidential},
        {"restricted", model::Classification::kRestricted}, {"pii", model::Classification::kPii}};
const std::vector<std::pair<std::string, model::Mask>> kMasks = {
        {"none", model::Mask::kNone}, {"hash", model::Mask::kHash}, {"redact", model::Mask::kRedact},
        {"null", model::Mask::kNull}};
const std::vector<std::pair<std::string, model::DataFormat>> kFormats = {
        {"parquet", model::DataFormat::kParquet}, {"csv", model::DataFormat::kCsv},
        {"json", model::DataFormat::kJson}};
const std::vector<std::pair<std::string, model::CheckType>> kCheckTypes = {
        {"sql", model::CheckType::kSql}, {"row_count", model::CheckType::kRowCount},
        {"freshness", model::CheckType::kFreshness}};
const std::vector<std::pair<std::string, model::Severity>> kSeverities = {
        {"error", model::Severity::kError}, {"warning", model::Severity::kWarning}};
const std::vector<std::pair<std::string, model::Trigger>> kTriggers = {
        {"none", model::Trigger::kNone}, {"upstream", model::Trigger::kUpstream}};
const std::vector<std::pair<std::string, std::string>> kDimensions = {
        {"accuracy", "accuracy"}, {"completeness", "completeness"}, {"conformity", "conformity"},
        {"consistency", "consistency"}, {"coverage", "coverage"}, {"timeliness", "timeliness"},
        {"uniqueness", "uniqueness"}};

// Names within one list must be unique; reports the second occurrence.
class UniqueNames {
public:
    UniqueNames(Decoder& d, std::string what, bool case_insensitive = false)
        : d_(d), what_(std::move(what)), ci_(case_insensitive) {}
    void Add(const std::string& name, ObjectReader& r, const std::string& key) {
        if (name.empty()) return;
        std::string k = ci_ ? text::Lower(name) : name;
        auto [it, inserted] = seen_.emplace(k, r.path());
        if (!inserted) {
            d_.Error(r.PositionOf(key), r.Field(key),
                     "duplicate " + what_ + " \"" + name + "\" (first declared at " + it->second + ")");
        }
    }

private:
    Decoder& d_;
    std::string what_;
    bool ci_;
    std::map<std::string, std::string> seen_;
};

bool IsSemver(const std::string& v);

// A calendar date YYYY-MM-DD that exists (2027-02-29 does not).
bool IsDate(const std::string& s) {
    static const std::regex kDate(R"(([0-9]{4})-([0-9]{2})-([0-9]{2}))");
    std::smatch m;
    if (!std::regex_match(s, m, kDate)) return false;
    int y = std::stoi(m[1]), mo = std::stoi(m[2]), d = std::stoi(m[3]);
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= kDays[mo - 1] + (mo == 2 && leap ? 1 : 0);
}

// `deprecated: {since, sunset, reason, replacement}` of a port or column.
void DecodeDeprecation(ObjectReader& r, std::optional<model::Deprecation>* out) {
    const Value* v = r.Get("deprecated");
    if (!v) return;
    ObjectReader d(r.decoder(), *v, r.Field("deprecated"));
    if (!d.valid()) return;
    model::Deprecation dep;
    d.String("since", &dep.since);
    if (!dep.since.empty() && !IsSemver(dep.since)) {
        r.decoder().Error(d.PositionOf("since"), d.Field("since"),
                          "expected the semantic version that deprecated it, such as \"1.4.0\", found \"" +
                                  dep.since + "\"");
    }
    d.String("sunset", &dep.sunset, true);
    if (!dep.sunset.empty() && !IsDate(dep.sunset)) {
        r.decoder().Error(d.PositionOf("sunset"), d.Field("sunset"),
                          "expected a date YYYY-MM-DD (the first day it may be removed), found \"" + dep.sunset +
                                  "\"");
    }
    d.String("reason", &dep.reason);
    d.String("replacement", &dep.replacement);
    d.Finish(nullptr);
    *out = std::move(dep);
}

void DecodeColumn(ObjectReader& r, model::Column* c) {
    r.String("name", &c->name, true);
    std::string type;
    r.String("type", &type, true);
    if (!type.empty()) {
        std::string error;
        if (NormalizeDuckDbType(type, &c->type, &error)) {
        } else {
            r.decoder().Error(r.PositionOf("type"), r.Field("type"),
                              "expected a DuckDB type (BIGINT, VARCHAR, DECIMAL(p,s), TIMESTAMP, …), found \"" +
                                      type + "\": " + error +
                                      (type.find('(') != std::string::npos && type.find(')') == std::string::npos
                                               ? " (in a flow map {…} a comma ends the value: quote the type, "
                                                 "e.g. type: \"DECIMAL(12,2)\")"
                                               : ""));
        }
    }
    r.String("title", &c->title);
    r.String("description", &c->description);
    r.Bool("required", &c->required);
    r.Bool("unique", &c->unique);
    r.Bool("primary_key", &c->primary_key);
    r.Enum("classification", &c->classification, kClassifications);
    if (r.Has("mask") && !r.Get("mask")) {
        r.decoder().Error(r.PositionOf("mask"), r.Field("mask"),
                          "expected one of none, hash, redact, null, found a YAML null (write mask: \"null\" to "
                          "replace values by NULL; a bare null means nothing)");
    }
    r.Enum("mask", &c->mask, kMasks);
    r.ScalarList("tags", &c->tags);
    r.ScalarList("glossary", &c->glossary);
    r.ScalarList("accepted_values", &c->accepted_values);
    r.OptionalDouble("min", &c->min);
    r.OptionalDouble("max", &c->max);
    if (c->min && c->max && *c->min > *c->max) {
        r.decoder().Error(r.PositionOf("max"), r.Field("max"),
                          "expected max >= min, found min " + std::to_string(*c->min) + " and max " +
                                  std::to_string(*c->max));
    }
    r.ScalarList("examples", &c->examples);
    DecodeDeprecation(r, &c->deprecated);
    r.Finish(&c->extensions);
}

void DecodeCheck(ObjectReader& r, model::QualityCheck* q) {
    r.Name("name", &q->name, true);
    r.String("description", &q->description);
    q->type = model::CheckType::kSql;
    if (!r.Has("type")) {
        if (!r.Has("sql") && (r.Has("min") || r.Has("max"))) q->type = model::CheckType::kRowCount;
        if (!r.Has("sql") && r.Has("max_age")) q->type = model::CheckType::kFreshness;
    }
    r.Enum("type", &q->type, kCheckTypes);
    r.String("sql", &q->sql, q->type == model::CheckType::kSql);
    r.Int("max_rows", &q->max_rows, 0);
    r.OptionalInt("min", &q->min);
    r.OptionalInt("max", &q->max);
    r.String("column", &q->column, q->type == model::CheckType::kFreshness);
    r.Duration("max_age", &q->max_age_seconds, q->type == model::CheckType::kFreshness);
    r.Enum("dimension", &q->dimension, kDimensions);
    r.Enum("severity", &q->severity, kSeverities);
    if (q->type == model::CheckType::kRowCount && !q->min && !q->max && r.valid()) {
        r.decoder().Error(r.decoder().At(r.node()), r.path(), "a row_count check needs min, max or both");
    }
    if (q->type != model::CheckType::kSql && !q->sql.empty()) {
        r.decoder().Error(r.PositionOf("sql"), r.Field("sql"),
                          "only checks of type sql take sql, found it on a " +
                                  std::string(model::CheckTypeName(q->type)) + " check");
    }
    r.Finish(&q->extensions);
}

// `draft`: the product's status is draft or proposed, whose ports may wait for their columns.
void DecodeOutput(ObjectReader& r, model::OutputPort* o, bool draft) {
    r.Name("name", &o->name, true);
    r.String("description", &o->description);
    r.Enum("format", &o->format, kFormats);
    UniqueNames columns(r.decoder(), "column", true);
    r.List(
            "columns",
            [&](ObjectReader& c, size_t) {
                model::Column col;
                DecodeColumn(c, &col);
                columns.Add(col.name, c, "name");
                o->columns.push_back(std::move(col));
            },
            !draft);
    UniqueNames checks(r.decoder(), "quality check");
    r.List("quality", [&](ObjectReader& q, size_t) {
        model::QualityCheck check;
        DecodeCheck(q, &check);
        checks.Add(check.name, q, "name");
        o->quality.push_back(std::move(check));
    });
    if (const Value* sla = r.Get("sla")) {
        ObjectReader s(r.decoder(), *sla, r.Field("sla"));
        s.Duration("freshness", &o->sla.freshness_seconds);
        s.Duration("retention", &o->sla.retention_seconds);
        s.String("availability", &o->sla.availability);
        s.Finish(&o->sla.extensions);
    }
    DecodeDeprecation(r, &o->deprecated);
    r.Finish(&o->extensions);
}

bool IsProductRef(const std::string& ref) {
    std::vector<std::string> parts;
    std::stringstream ss(ref);
    std::string part;
    while (std::getline(ss, part, '.')) parts.push_back(part);
    if (ref.empty() || ref.back() == '.' || parts.size() < 2 || parts.size() > 3) return false;
    return std::all_of(parts.begin(), parts.end(), model::IsLowerSnakeCase);
}

void DecodeInput(ObjectReader& r, model::InputPort* in, Position* at) {
    r.Name("name", &in->name, true);
    r.String("description", &in->description);
    std::string ref;
    r.String("product", &ref);
    r.Name("source", &in->source);
    r.Enum("format", &in->format, kFormats);
    r.String("path", &in->path);
    // A key given as null or "" counts as absent: an input must really name what it reads.
    bool has_product = !ref.empty(), has_source = !in->source.empty() || !in->path.empty();
    if (has_product && has_source) {
        r.decoder().Error(r.PositionOf("product"), r.path(),
                          "an input reads either a product or a source, found both product and source/path");
    } else if (!has_product && !has_source && r.valid()) {
        r.decoder().Error(r.decoder().At(r.node()), r.path(),
                          "expected product: domain.product[.port] or source + path, found neither");
    } else if (has_source && in->path.empty() && r.valid()) {
        r.decoder().Error(r.decoder().At(r.node()), r.Field("path"),
                          "expected a path (glob) for the source's files, found nothing");
    } else if (has_product && r.Get("format")) {
        r.decoder().Error(r.PositionOf("format"), r.Field("format"),
                          "format applies to source inputs only; a product input reads the port's snapshot");
    }
    if (!ref.empty()) {
        if (!IsProductRef(ref)) {
            r.decoder().Error(r.PositionOf("product"), r.Field("product"),
                              "expected domain.product or domain.product.port in lower snake case, found \"" +
                                      ref + "\"");
        } else {
            auto first = ref.find('.');
            auto second = ref.find('.', first + 1);
            in->product = ref.substr(0, second);
            if (second != std::string::npos) in->port = ref.substr(second + 1);
        }
    }
    *at = r.PositionOf(has_product ? "product" : "source");
    r.Finish(&in->extensions);
}

void DecodeTransform(ObjectReader& r, model::Transform* t) {
    Decoder& d = r.decoder();
    r.String("sql", &t->sql_file);
    r.String("query", &t->sql);
    if (d.origin() == Origin::kFile) {
        std::string inline_sql = t->sql;
        if (!t->sql_file.empty()) {
            size_t errors = d.error_count();
            t->sql = d.ReadSqlFile(t->sql_file, r.PositionOf("sql"), r.Field("sql"));
            // A described descriptor carries both; they must agree.
            if (d.error_count() == errors && !inline_sql.empty() && inline_sql != t->sql) {
                d.Error(r.PositionOf("query"), r.Field("query"),
                        "give either sql (a file) or query (inline SQL); both are given and differ");
            }
        }
    }
    if (std::string bad = InvalidUtf8At(t->sql); !bad.empty()) {
        d.Error(r.PositionOf(t->sql_file.empty() ? "query" : "sql"), r.Field(t->sql_file.empty() ? "query" : "sql"),
                "expected UTF-8 SQL, found " + bad + (t->sql_file.empty() ? "" : " of " + t->sql_file));
    }
    r.String("schedule", &t->schedule);
    if (!t->schedule.empty()) {
        auto cron = model::CronSchedule::Parse(t->schedule);
        if (!cron.ok()) {
            d.Error(r.PositionOf("schedule"), r.Field("schedule"),
                    "expected a cron expression such as \"0 * * * *\", found \"" + t->schedule +
                            "\": " + cron.status().message());
        }
    }
    r.Enum("trigger", &t->trigger, kTriggers);
    r.Finish(&t->extensions);
}

bool IsSemver(const std::string& v) {
    static const std::regex kSemver(
            R"((0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?)");
    return std::regex_match(v, kSemver);
}

// metadata + spec readers of one document; `Finish` checks both.
struct DocumentReaders {
    ObjectReader metadata;
    ObjectReader spec;
};

const Value& EmptyMap() {
    static const Value kEmpty = [] {
        Value v;
        v.type = Value::Type::kMap;
        return v;
    }();
    return kEmpty;
}

const std::vector<std::pair<std::string, model::PolicySeverity>> kPolicySeverities = {
        {"error", model::PolicySeverity::kError}, {"warning", model::PolicySeverity::kWarning},
        {"info", model::PolicySeverity::kInfo}};
const std::vector<std::pair<std::string, model::PolicyState>> kPolicyStates = {
        {"proposed", model::PolicyState::kProposed}, {"warn", model::PolicyState::kWarn},
        {"enforce", model::PolicyState::kEnforce}};
const char* const kProperties[] = {"discoverable", "addressable", "trustworthy", "self-describing", "interoperable",
                                   "secure"};

void DecodePolicy(Decoder& d, ObjectReader& metadata, ObjectReader& spec, bool has_spec, PolicyDoc* doc) {
    model::Policy& p = doc->policy;
    metadata.Name("name", &p.name, true);
    metadata.Name("domain", &p.domain);
    metadata.Name("group", &p.group);
    metadata.Finish(nullptr);
    doc->name_at = metadata.PositionOf("name");
    doc->domain_at = metadata.PositionOf("domain");
    if (!has_spec) {
        d.Error(d.At(metadata.node()), "spec", "expected a map, found nothing (the field is required)");
        return;
    }
    spec.String("title", &p.title);
    spec.String("rationale", &p.rationale);
    spec.Enum("severity", &p.severity, kPolicySeverities);
    spec.Enum("state", &p.state, kPolicyStates);
    spec.String("enforce_from", &p.enforce_from);
    if (!p.enforce_from.empty() && !IsDate(p.enforce_from)) {
        d.Error(spec.PositionOf("enforce_from"), spec.Field("enforce_from"),
                "expected a date YYYY-MM-DD, found \"" + p.enforce_from + "\"");
    }
    std::vector<std::string> properties;
    spec.ScalarList("properties", &properties);
    for (size_t i = 0; i < properties.size(); ++i) {
        const auto& name = properties[i];
        if (std::find(std::begin(kProperties), std::end(kProperties), name) == std::end(kProperties)) {
            std::vector<std::string_view> candidates(std::begin(kProperties), std::end(kProperties));
            std::string hint = text::ClosestMatch(name, candidates);
            d.Error(spec.PositionOf("properties"), spec.Field("properties") + "[" + std::to_string(i) + "]",
                    "expected one of discoverable, addressable, trustworthy, self-describing, interoperable, secure, "
                    "found \"" + name + "\"" + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
        } else if (std::find(p.properties.begin(), p.properties.end(), name) == p.properties.end()) {
            p.properties.push_back(name);
        }
    }
    spec.String("sql", &p.sql_file);
    spec.String("query", &p.sql);
    doc->query_at = spec.PositionOf(spec.Has("query") ? "query" : "sql");
    if (d.origin() == Origin::kFile && !p.sql_file.empty()) {
        std::string inline_sql = p.sql;
        size_t errors = d.error_count();
        p.sql = d.ReadSqlFile(p.sql_file, spec.PositionOf("sql"), spec.Field("sql"));
        if (d.error_count() == errors && !inline_sql.empty() && inline_sql != p.sql) {
            d.Error(spec.PositionOf("query"), spec.Field("query"),
                    "give either sql (a file) or query (inline SQL); both are given and differ");
        }
    }
    if (std::string bad = InvalidUtf8At(p.sql); !bad.empty()) {
        d.Error(doc->query_at, spec.Field(p.sql_file.empty() ? "query" : "sql"),
                "expected UTF-8 SQL, found " + bad + (p.sql_file.empty() ? "" : " of " + p.sql_file));
    }
    if (p.sql.empty() && p.sql_file.empty() && spec.valid()) {
        d.Error(d.At(spec.node()), spec.Field("query"),
                "expected query (inline SQL) or sql (a file), found neither: a policy is a query whose rows are "
                "violations");
    }
    spec.String("message", &p.message, true);
    spec.String("remediation", &p.remediation);
    int64_t timeout_seconds = 0;
    spec.Duration("timeout", &timeout_seconds);
    p.timeout_ms = timeout_seconds * 1000;
    spec.Finish(&p.extensions);
}

}  // namespace

bool Decoder::DecodeEntity(const Value& root, Entity* entity) {
    Batch batch;
    DecodeDocument(root, &batch);
    if (errors_ > 0) return false;
    if (!batch.domains.empty()) *entity = std::move(batch.domains[0].domain);
    else if (!batch.teams.empty()) *entity = std::move(batch.teams[0].team);
    else if (!batch.products.empty()) *entity = std::move(batch.products[0].product);
    else if (!batch.policies.empty()) *entity = std::move(batch.policies[0].policy);
    else return false;
    return true;
}

void Decoder::DecodeDocument(const Value& root, Batch* batch) {
    if (root.type == Value::Type::kNull) return;  // an empty document, e.g. a trailing ---
    size_t errors_before = errors_;
    ObjectReader top(*this, root, "");
    if (!top.valid()) return;
    std::string api_version, kind;
    top.String("apiVersion", &api_version, true);
    if (!api_version.empty() && api_version != "tessera/v1") {
        Error(top.PositionOf("apiVersion"), "apiVersion", "expected \"tessera/v1\", found \"" + api_version + "\"");
    }
    top.String("kind", &kind, true);
    const Value* metadata_node = top.Get("metadata");
    const Value* spec_node = top.Get("spec");
    top.Finish(nullptr);
    if (!metadata_node) {
        Error(At(root), "metadata", "expected a map, found nothing (the field is required)");
        return;
    }
    ObjectReader metadata(*this, *metadata_node, "metadata");
    ObjectReader spec(*this, spec_node ? *spec_node : EmptyMap(), "spec");
    if (!metadata.valid() || !spec.valid()) return;

    if (kind == "Domain") {
        DomainDoc doc;
        model::Domain& dom = doc.domain;
        metadata.Name("name", &dom.name, true);
        metadata.ScalarList("tags", &dom.tags);
        metadata.Finish(nullptr);
        spec.String("title", &dom.title);
        spec.String("description", &dom.description);
        spec.Name("owner", &dom.owner);
        spec.Name("parent", &dom.parent);
        spec.Duration("time_to_fix", &dom.time_to_fix_seconds);
        spec.Finish(&dom.extensions);
        doc.at = At(root);
        doc.name_at = metadata.PositionOf("name");
        doc.owner_at = spec.PositionOf("owner");
        doc.parent_at = spec.PositionOf("parent");
        if (errors_ == errors_before) batch->domains.push_back(std::move(doc));
    } else if (kind == "Team") {
        TeamDoc doc;
        model::Team& team = doc.team;
        metadata.Name("name", &team.name, true);
        metadata.Finish(nullptr);
        spec.String("title", &team.title);
        spec.String("description", &team.description);
        spec.Name("domain", &team.domain);
        if (const Value* contact = spec.Get("contact")) {
            ObjectReader c(*this, *contact, "spec.contact");
            c.String("email", &team.contact.email);
            c.String("chat", &team.contact.chat);
            c.String("url", &team.contact.url);
            c.Finish(nullptr);
        }
        spec.List("members", [&](ObjectReader& m, size_t) {
            model::TeamMember member;
            m.String("user", &member.user, true);
            m.String("name", &member.name);
            m.String("role", &member.role);
            m.String("date_in", &member.date_in);
            m.String("date_out", &member.date_out);
            m.Finish(nullptr);
            team.members.push_back(std::move(member));
        });
        spec.Finish(&team.extensions);
        doc.at = At(root);
        doc.name_at = metadata.PositionOf("name");
        doc.domain_at = spec.PositionOf("domain");
        if (errors_ == errors_before) batch->teams.push_back(std::move(doc));
    } else if (kind == "DataProduct") {
        ProductDoc doc;
        model::DataProduct& p = doc.product;
        metadata.Name("domain", &p.domain, true);
        metadata.Name("name", &p.name, true);
        p.version.clear();
        metadata.String("version", &p.version);
        if (p.version.empty()) {
            p.version = "0.1.0";
        } else if (!IsSemver(p.version)) {
            Error(metadata.PositionOf("version"), "metadata.version",
                  "expected a semantic version MAJOR.MINOR.PATCH such as \"1.2.0\", found \"" + p.version + "\"");
        }
        metadata.Name("owner", &p.owner, true);
        metadata.ScalarList("tags", &p.tags);
        metadata.Finish(nullptr);
        if (!spec_node) {
            Error(At(root), "spec", "expected a map, found nothing (the field is required)");
            return;
        }
        spec.String("title", &p.title);
        spec.String("description", &p.description);
        spec.Enum("kind", &p.kind, kProductKinds);
        spec.Enum("status", &p.status, kStatuses);
        UniqueNames inputs(*this, "input");
        std::vector<Position> input_name_at;
        spec.List("inputs", [&](ObjectReader& r, size_t) {
            input_name_at.push_back(r.PositionOf("name"));
            model::InputPort in;
            Position at;
            DecodeInput(r, &in, &at);
            inputs.Add(in.name, r, "name");
            p.inputs.push_back(std::move(in));
            doc.input_at.push_back(at);
        });
        if (const Value* t = spec.Get("transform")) {
            ObjectReader tr(*this, *t, "spec.transform");
            if (tr.valid()) DecodeTransform(tr, &p.transform);
        }
        // A draft (or proposed) product describes what it will be: it may wait for its columns,
        // ports and transform, and is catalogued but not built (docs/descriptors.md).
        bool draft = model::IsDraft(p.status);
        if (p.transform.sql.empty() && p.inputs.size() != 1 && origin_ == Origin::kFile &&
            errors_ == errors_before && !draft) {
            Error(spec.Has("transform") ? spec.PositionOf("transform") : At(*spec_node), "spec.transform",
                  "expected sql (a file) or query, found nothing (only a product with exactly one input may "
                  "leave out its transform)");
        }
        UniqueNames outputs(*this, "output port");
        spec.List(
                "outputs",
                [&](ObjectReader& r, size_t) {
                    model::OutputPort o;
                    DecodeOutput(r, &o, draft);
                    outputs.Add(o.name, r, "name");
                    p.outputs.push_back(std::move(o));
                },
                !draft);
        for (size_t i = 0; i < p.inputs.size(); ++i) {
            for (const auto& o : p.outputs) {
                if (!o.name.empty() && p.inputs[i].name == o.name) {
                    Error(i < input_name_at.size() ? input_name_at[i] : At(*spec_node),
                          "spec.inputs[" + std::to_string(i) + "].name",
                          "expected a name other than the output port's \"" + o.name +
                                  "\": the transform sees the port as a table of that name");
                }
            }
        }
        spec.Finish(&p.extensions);
        doc.at = At(root);
        doc.name_at = metadata.PositionOf("name");
        doc.domain_at = metadata.PositionOf("domain");
        doc.owner_at = metadata.PositionOf("owner");
        doc.origin = file_;
        if (errors_ == errors_before) batch->products.push_back(std::move(doc));
    } else if (kind == "Policy") {
        PolicyDoc doc;
        DecodePolicy(*this, metadata, spec, spec_node != nullptr, &doc);
        doc.at = At(root);
        doc.origin = file_;
        if (errors_ == errors_before) batch->policies.push_back(std::move(doc));
    } else if (!kind.empty()) {
        std::string hint = text::ClosestMatch(kind, {"Domain", "Team", "DataProduct", "Policy"});
        Error(top.PositionOf("kind"), "kind",
              "expected one of Domain, Team, DataProduct, Policy, found \"" + kind + "\"" +
                      (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
    }
}

}  // namespace tessera::spec::internal
