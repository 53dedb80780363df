#include "governance/compat.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <regex>
#include <sstream>

#include "common/logging.h"
#include "common/text.h"

namespace tessera::governance {
namespace {

using model::Column;
using model::OutputPort;
using model::QualityCheck;

// --- Types ------------------------------------------------------------------------------------

struct IntType {
    int bits;
    bool is_signed;
    int digits;  // decimal digits of its largest value
};

std::optional<IntType> IntegerType(const std::string& t) {
    static const std::map<std::string, IntType> kInts = {
            {"TINYINT", {8, true, 3}},     {"SMALLINT", {16, true, 5}},   {"INTEGER", {32, true, 10}},
            {"BIGINT", {64, true, 19}},    {"HUGEINT", {128, true, 39}},  {"UTINYINT", {8, false, 3}},
            {"USMALLINT", {16, false, 5}}, {"UINTEGER", {32, false, 10}}, {"UBIGINT", {64, false, 20}},
            {"UHUGEINT", {128, false, 39}}};
    auto it = kInts.find(t);
    if (it == kInts.end()) return std::nullopt;
    return it->second;
}

bool ParseDecimal(const std::string& t, int* p, int* s) {
    static const std::regex kDecimal(R"(DECIMAL\((\d+),\s*(\d+)\))");
    std::smatch m;
    if (!std::regex_match(t, m, kDecimal)) return false;
    *p = std::stoi(m[1]);
    *s = std::stoi(m[2]);
    return true;
}

// Timestamps from coarse to fine: each holds every value of the ones before it (TIMESTAMP_NS is
// left out: its range is narrower).
int TimestampRank(const std::string& t) {
    if (t == "TIMESTAMP_S") return 1;
    if (t == "TIMESTAMP_MS") return 2;
    if (t == "TIMESTAMP") return 3;
    return 0;
}

// --- Semantic versions --------------------------------------------------------------------------

struct Semver {
    long major = 0, minor = 0, patch = 0;
};

std::optional<Semver> ParseSemver(const std::string& v) {
    static const std::regex kSemver(R"((0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?)");
    std::smatch m;
    if (!std::regex_match(v, m, kSemver)) return std::nullopt;
    try {
        return Semver{std::stol(m[1]), std::stol(m[2]), std::stol(m[3])};
    } catch (...) {
        return std::nullopt;
    }
}

// --- Comparison ---------------------------------------------------------------------------------

std::string Num(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

std::string DurationText(int64_t seconds) {
    if (seconds <= 0) return "none";
    if (seconds % 86400 == 0) return std::to_string(seconds / 86400) + "d";
    if (seconds % 3600 == 0) return std::to_string(seconds / 3600) + "h";
    if (seconds % 60 == 0) return std::to_string(seconds / 60) + "m";
    return std::to_string(seconds) + "s";
}

// "99.9%" -> 99.9; nullopt when it is not a percentage.
std::optional<double> Percent(const std::string& s) {
    std::string t = s;
    t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
    if (t.empty() || t.back() != '%') return std::nullopt;
    t.pop_back();
    try {
        size_t used = 0;
        double v = std::stod(t, &used);
        if (used != t.size()) return std::nullopt;
        return v;
    } catch (...) {
        return std::nullopt;
    }
}

class Comparer {
public:
    Comparer(std::string_view today, std::vector<CompatChange>* out) : today_(today), out_(out) {}

    void Products(const model::DataProduct& before, const model::DataProduct& after) {
        std::vector<const OutputPort*> removed, added;
        for (const auto& o : before.outputs) {
            if (const OutputPort* n = FindPort(after, o.name)) Port(o, *n);
            else removed.push_back(&o);
        }
        for (const auto& o : after.outputs) {
            if (!FindPort(before, o.name)) added.push_back(&o);
        }
        // A removed and an added port with the same columns: a rename (consumers lose the old name).
        for (const OutputPort* r : removed) {
            auto same = std::find_if(added.begin(), added.end(), [&](const OutputPort* a) { return SameColumns(*r, *a); });
            std::string path = "spec.outputs[" + r->name + "]";
            if (same != added.end()) {
                std::string what = "output port renamed from " + r->name + " to " + (*same)->name +
                                   " (readers of " + r->name + " lose it)";
                RemovalOf(r->deprecated, "port_renamed", r->name, "", path, what);
                added.erase(same);
            } else {
                RemovalOf(r->deprecated, "port_removed", r->name, "", path, "output port " + r->name + " removed");
            }
        }
        for (const OutputPort* a : added) {
            Add(CompatLevel::kInfo, "port_added", a->name, "", "spec.outputs[" + a->name + "]",
                "output port " + a->name + " added");
        }
    }

private:
    static const OutputPort* FindPort(const model::DataProduct& p, const std::string& name) {
        for (const auto& o : p.outputs) {
            if (o.name == name) return &o;
        }
        return nullptr;
    }
    static const Column* FindColumn(const OutputPort& o, const std::string& name) {
        for (const auto& c : o.columns) {
            if (text::Lower(c.name) == text::Lower(name)) return &c;
        }
        return nullptr;
    }
    static bool SameColumns(const OutputPort& a, const OutputPort& b) {
        if (a.columns.size() != b.columns.size() || a.columns.empty()) return false;
        for (const auto& c : a.columns) {
            const Column* other = FindColumn(b, c.name);
            if (!other || other->type != c.type) return false;
        }
        return true;
    }

    void Add(CompatLevel level, std::string rule, std::string port, std::string column, std::string path,
             std::string message) {
        out_->push_back({level, std::move(rule), std::move(port), std::move(column), std::move(path), std::move(message), {}});
    }

    // Removing something deprecated: refused before its sunset, breaking from that day on.
    void RemovalOf(const std::optional<model::Deprecation>& dep, const std::string& rule, const std::string& port,
                   const std::string& column, const std::string& path, const std::string& what) {
        if (dep && std::string_view(dep->sunset) > today_) {
            Add(CompatLevel::kRefused, rule + "_before_sunset", port, column, path,
                what + " before its sunset on " + dep->sunset + ": consumers were promised it until then");
        } else if (dep) {
            Add(CompatLevel::kBreaking, rule, port, column, path, what + " (deprecated; its sunset " + dep->sunset + " has passed)");
        } else {
            Add(CompatLevel::kBreaking, rule, port, column, path, what);
        }
    }

    void Deprecation(const std::optional<model::Deprecation>& before, const std::optional<model::Deprecation>& after,
                     const std::string& port, const std::string& column, const std::string& path) {
        std::string what = column.empty() ? "output port " + port : "column " + column;
        if (!before && after) {
            Add(CompatLevel::kInfo, column.empty() ? "port_deprecated" : "column_deprecated", port, column, path + ".deprecated",
                what + " deprecated, sunset " + after->sunset + (after->replacement.empty() ? "" : "; use " + after->replacement));
        } else if (before && !after) {
            Add(CompatLevel::kInfo, column.empty() ? "port_undeprecated" : "column_undeprecated", port, column,
                path + ".deprecated", what + " no longer deprecated");
        } else if (before && after && after->sunset < before->sunset) {
            Add(CompatLevel::kWarning, "sunset_moved_earlier", port, column, path + ".deprecated.sunset",
                what + ": sunset moved earlier, " + before->sunset + " -> " + after->sunset);
        }
    }

    void Port(const OutputPort& b, const OutputPort& a) {
        const std::string path = "spec.outputs[" + b.name + "]";
        if (b.format != a.format) {
            Add(CompatLevel::kBreaking, "port_format_changed", b.name, "", path + ".format",
                "format changed " + std::string(model::DataFormatName(b.format)) + " -> " +
                        std::string(model::DataFormatName(a.format)));
        }
        Deprecation(b.deprecated, a.deprecated, b.name, "", path);
        for (const auto& c : b.columns) {
            std::string cpath = path + ".columns[" + c.name + "]";
            if (const Column* n = FindColumn(a, c.name)) ColumnChanges(b.name, c, *n, cpath);
            else RemovalOf(c.deprecated, "column_removed", b.name, c.name, cpath, "column " + c.name + " " + c.type + " removed");
        }
        for (const auto& c : a.columns) {
            if (!FindColumn(b, c.name)) {
                Add(CompatLevel::kInfo, "column_added", b.name, c.name, path + ".columns[" + c.name + "]",
                    "column " + c.name + " " + c.type + " added");
            }
        }
        Quality(b, a, path);
        Sla(b, a, path);
    }

    void ColumnChanges(const std::string& port, const Column& b, const Column& a, const std::string& path) {
        auto add = [&](CompatLevel level, const char* rule, const char* field, const std::string& message) {
            Add(level, rule, port, b.name, path + (*field ? std::string(".") + field : ""), b.name + ": " + message);
        };
        if (b.type != a.type) {
            if (IsWideningType(b.type, a.type)) add(CompatLevel::kInfo, "column_type_widened", "type", "type widened " + b.type + " -> " + a.type);
            else add(CompatLevel::kBreaking, "column_type_changed", "type", "type changed " + b.type + " -> " + a.type + " (not a widening)");
        }
        // A primary key is required and unique (the run checks all three).
        bool req_b = b.required || b.primary_key, req_a = a.required || a.primary_key;
        bool uniq_b = b.unique || b.primary_key, uniq_a = a.unique || a.primary_key;
        if (req_b && !req_a) add(CompatLevel::kBreaking, "column_required_removed", "required", "no longer required: readers may now see NULLs");
        if (!req_b && req_a) {
            add(CompatLevel::kBreaking, "column_required_added", "required",
                "made required: published rows may hold NULLs, and a run with NULLs is now blocked");
        }
        if (uniq_b && !uniq_a) add(CompatLevel::kBreaking, "column_unique_removed", "unique", "no longer unique: readers joining on it may multiply rows");
        if (!uniq_b && uniq_a) {
            add(CompatLevel::kBreaking, "column_unique_added", "unique",
                "made unique: published rows may hold duplicates, and a run with duplicates is now blocked");
        }
        if (b.primary_key != a.primary_key) {
            add(CompatLevel::kWarning, b.primary_key ? "column_primary_key_removed" : "column_primary_key_added", "primary_key",
                b.primary_key ? "no longer the primary key" : "now the primary key");
        }
        AcceptedValues(port, b, a, path);
        Bound(port, b, a, path, true);
        Bound(port, b, a, path, false);
        if (b.mask != a.mask) {
            bool relaxed = a.mask == model::Mask::kNone;
            add(relaxed ? CompatLevel::kWarning : CompatLevel::kBreaking, relaxed ? "column_mask_removed" : "column_mask_changed", "mask",
                "mask " + std::string(model::MaskName(b.mask)) + " -> " + std::string(model::MaskName(a.mask)) +
                        (relaxed ? " (readers without an unmasked grant now see the values: review the classification)"
                                 : " (readers without an unmasked grant see other values)"));
        }
        if (b.classification != a.classification) {
            auto name = [](model::Classification c) {
                std::string n(model::ClassificationName(c));
                return n.empty() ? std::string("unset") : n;
            };
            add(CompatLevel::kWarning, "column_classification_changed", "classification",
                "classification " + name(b.classification) + " -> " + name(a.classification));
        }
        Deprecation(b.deprecated, a.deprecated, port, b.name, path);
    }

    void AcceptedValues(const std::string& port, const Column& b, const Column& a, const std::string& path) {
        if (b.accepted_values == a.accepted_values) return;
        std::set<std::string> before(b.accepted_values.begin(), b.accepted_values.end());
        std::set<std::string> after(a.accepted_values.begin(), a.accepted_values.end());
        if (before == after) return;  // reordered
        std::vector<std::string> dropped, added;
        std::set_difference(before.begin(), before.end(), after.begin(), after.end(), std::back_inserter(dropped));
        std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(added));
        std::string p = path + ".accepted_values";
        if (before.empty()) {
            Add(CompatLevel::kBreaking, "column_accepted_values_added", port, b.name, p,
                b.name + ": accepted values restricted to " + text::Join(a.accepted_values, ", ") +
                        " (any value was accepted; a run with other values is now blocked)");
        } else if (after.empty()) {
            Add(CompatLevel::kWarning, "column_accepted_values_removed", port, b.name, p,
                b.name + ": any value accepted now (was " + text::Join(b.accepted_values, ", ") + ")");
        } else if (!dropped.empty()) {
            Add(CompatLevel::kBreaking, "column_accepted_values_tightened", port, b.name, p,
                b.name + ": accepted values tightened, " + text::Join(dropped, ", ") + " no longer accepted");
        } else {
            Add(CompatLevel::kWarning, "column_accepted_values_widened", port, b.name, p,
                b.name + ": accepted values widened with " + text::Join(added, ", ") +
                        " (readers that branch on every value may miss the new ones)");
        }
    }

    // min (`lower`) or max: tightened (a new bound, or a stricter one) is breaking, loosened a warning.
    void Bound(const std::string& port, const Column& b, const Column& a, const std::string& path, bool lower) {
        const auto& vb = lower ? b.min : b.max;
        const auto& va = lower ? a.min : a.max;
        if (vb == va) return;
        const char* field = lower ? "min" : "max";
        std::string what = std::string(field) + " " + (vb ? Num(*vb) : "none") + " -> " + (va ? Num(*va) : "none");
        bool tightened = va && (!vb || (lower ? *va > *vb : *va < *vb));
        Add(tightened ? CompatLevel::kBreaking : CompatLevel::kWarning,
            std::string("column_") + field + (tightened ? "_tightened" : "_loosened"), port, b.name, path + "." + field,
            b.name + ": " + what + (tightened ? " (rows outside it are now blocked)" : " (readers may see values outside the old range)"));
    }

    void Quality(const OutputPort& b, const OutputPort& a, const std::string& path) {
        auto find = [](const OutputPort& o, const std::string& name) -> const QualityCheck* {
            for (const auto& q : o.quality) {
                if (q.name == name) return &q;
            }
            return nullptr;
        };
        for (const auto& q : b.quality) {
            std::string p = path + ".quality[" + q.name + "]";
            const QualityCheck* n = find(a, q.name);
            if (!n) {
                Add(CompatLevel::kBreaking, "quality_check_removed", b.name, "", p,
                    "quality check " + q.name + " removed: what it kept out of published snapshots may now reach readers");
                continue;
            }
            if (q.severity == model::Severity::kError && n->severity == model::Severity::kWarning) {
                Add(CompatLevel::kBreaking, "quality_check_relaxed", b.name, "", p + ".severity",
                    "quality check " + q.name + " severity error -> warning: it no longer blocks publishing");
            } else if (q.severity == model::Severity::kWarning && n->severity == model::Severity::kError) {
                Add(CompatLevel::kInfo, "quality_check_strengthened", b.name, "", p + ".severity",
                    "quality check " + q.name + " severity warning -> error: it now blocks publishing");
            }
            std::vector<std::string> looser, stricter;
            if (n->type != q.type || n->sql != q.sql || n->column != q.column) {
                Add(CompatLevel::kWarning, "quality_check_changed", b.name, "", p,
                    "quality check " + q.name + " changed its " +
                            (n->type != q.type ? "type" : n->sql != q.sql ? "sql" : "column") +
                            ": whether it is stricter cannot be told; review it");
                continue;
            }
            if (n->max_rows > q.max_rows) looser.push_back("max_rows " + std::to_string(q.max_rows) + " -> " + std::to_string(n->max_rows));
            if (n->max_rows < q.max_rows) stricter.push_back("max_rows " + std::to_string(q.max_rows) + " -> " + std::to_string(n->max_rows));
            auto opt = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) : std::string("none"); };
            if (n->min != q.min) {
                bool loose = !n->min || (q.min && *n->min < *q.min);
                (loose ? looser : stricter).push_back("min " + opt(q.min) + " -> " + opt(n->min));
            }
            if (n->max != q.max) {
                bool loose = !n->max || (q.max && *n->max > *q.max);
                (loose ? looser : stricter).push_back("max " + opt(q.max) + " -> " + opt(n->max));
            }
            if (n->max_age_seconds > q.max_age_seconds) looser.push_back("max_age " + DurationText(q.max_age_seconds) + " -> " + DurationText(n->max_age_seconds));
            if (n->max_age_seconds < q.max_age_seconds) stricter.push_back("max_age " + DurationText(q.max_age_seconds) + " -> " + DurationText(n->max_age_seconds));
            if (!looser.empty()) {
                Add(CompatLevel::kBreaking, "quality_check_loosened", b.name, "", p,
                    "quality check " + q.name + " loosened: " + text::Join(looser, ", "));
            }
            if (!stricter.empty()) {
                Add(CompatLevel::kInfo, "quality_check_tightened", b.name, "", p,
                    "quality check " + q.name + " tightened: " + text::Join(stricter, ", "));
            }
        }
        for (const auto& q : a.quality) {
            if (!find(b, q.name)) {
                Add(CompatLevel::kInfo, "quality_check_added", b.name, "", path + ".quality[" + q.name + "]",
                    "quality check " + q.name + " added");
            }
        }
    }

    void Sla(const OutputPort& b, const OutputPort& a, const std::string& path) {
        const std::string p = path + ".sla";
        int64_t fb = b.sla.freshness_seconds, fa = a.sla.freshness_seconds;
        if (fb != fa) {
            bool looser = fb > 0 && (fa == 0 || fa > fb);
            Add(looser ? CompatLevel::kBreaking : CompatLevel::kInfo, looser ? "sla_freshness_loosened" : "sla_freshness_tightened",
                b.name, "", p + ".freshness", "freshness SLA " + DurationText(fb) + " -> " + DurationText(fa));
        }
        int64_t rb = b.sla.retention_seconds, ra = a.sla.retention_seconds;
        if (rb != ra) {
            bool shorter = rb > 0 && (ra == 0 || ra < rb);
            Add(shorter ? CompatLevel::kBreaking : CompatLevel::kInfo, shorter ? "sla_retention_shortened" : "sla_retention_extended",
                b.name, "", p + ".retention", "retention " + DurationText(rb) + " -> " + DurationText(ra));
        }
        if (b.sla.availability != a.sla.availability) {
            auto pb = Percent(b.sla.availability), pa = Percent(a.sla.availability);
            std::string what = "availability " + (b.sla.availability.empty() ? "none" : b.sla.availability) + " -> " +
                               (a.sla.availability.empty() ? "none" : a.sla.availability);
            if (!b.sla.availability.empty() && (a.sla.availability.empty() || (pb && pa && *pa < *pb))) {
                Add(CompatLevel::kBreaking, "sla_availability_lowered", b.name, "", p + ".availability", what);
            } else if (b.sla.availability.empty() || (pb && pa && *pa > *pb)) {
                Add(CompatLevel::kInfo, "sla_availability_raised", b.name, "", p + ".availability", what);
            } else {
                Add(CompatLevel::kWarning, "sla_availability_changed", b.name, "", p + ".availability",
                    what + " (not comparable as percentages)");
            }
        }
    }

    std::string_view today_;
    std::vector<CompatChange>* out_;
};

bool IsBlocking(CompatLevel l) { return l == CompatLevel::kRefused || l == CompatLevel::kBreaking; }

// The output port an input reads: its `port`, or the upstream's first port.
std::string PortRead(const model::InputPort& in, const model::DataProduct& upstream) {
    if (!in.port.empty()) return in.port;
    return upstream.outputs.empty() ? std::string() : upstream.outputs.front().name;
}

}  // namespace

std::string_view CompatLevelName(CompatLevel level) {
    switch (level) {
        case CompatLevel::kRefused: return "refused";
        case CompatLevel::kBreaking: return "breaking";
        case CompatLevel::kWarning: return "warning";
        case CompatLevel::kInfo: return "info";
    }
    return "";
}

bool IsWideningType(const std::string& from, const std::string& to) {
    if (from == to) return true;
    // Lists: element-wise.
    auto list_of = [](const std::string& t) -> std::optional<std::string> {
        if (t.size() > 2 && t.compare(t.size() - 2, 2, "[]") == 0) return t.substr(0, t.size() - 2);
        return std::nullopt;
    };
    if (auto lf = list_of(from), lt = list_of(to); lf && lt) return IsWideningType(*lf, *lt);
    auto fi = IntegerType(from), ti = IntegerType(to);
    int p = 0, s = 0;
    if (fi && ti) {
        if (fi->is_signed == ti->is_signed) return ti->bits >= fi->bits;
        return !fi->is_signed && ti->is_signed && ti->bits > fi->bits;  // UINTEGER -> BIGINT
    }
    if (fi && ParseDecimal(to, &p, &s)) return p - s >= fi->digits;
    if (fi && to == "DOUBLE") return fi->bits <= 32;  // 53-bit mantissa
    if (fi && to == "FLOAT") return fi->bits <= 16;   // 24-bit mantissa
    if (from == "FLOAT" && to == "DOUBLE") return true;
    int fp = 0, fs = 0;
    if (ParseDecimal(from, &fp, &fs)) {
        if (ParseDecimal(to, &p, &s)) return s >= fs && p - s >= fp - fs;
        if (to == "DOUBLE") return fp <= 15;
        return false;
    }
    int rf = TimestampRank(from), rt = TimestampRank(to);
    return rf > 0 && rt > 0 && rt >= rf;
}

bool IsMajorBump(const std::string& before, const std::string& after) {
    auto b = ParseSemver(before), a = ParseSemver(after);
    if (!b || !a) return false;
    if (a->major != b->major) return a->major > b->major;
    return b->major == 0 && a->minor > b->minor;
}

std::string NextMajor(const std::string& version) {
    auto v = ParseSemver(version);
    if (!v) return "1.0.0";
    if (v->major == 0) return "0." + std::to_string(v->minor + 1) + ".0";
    return std::to_string(v->major + 1) + ".0.0";
}

std::vector<CompatChange> CompareProducts(const model::DataProduct& before, const model::DataProduct& after,
                                          std::string_view today) {
    std::vector<CompatChange> out;
    Comparer(today, &out).Products(before, after);
    return out;
}

bool ProductCompat::HasRefused() const {
    return std::any_of(changes.begin(), changes.end(), [](const CompatChange& c) { return c.level == CompatLevel::kRefused; });
}
bool ProductCompat::HasBreaking() const {
    return std::any_of(changes.begin(), changes.end(), [](const CompatChange& c) { return c.level == CompatLevel::kBreaking; });
}

bool CompatReport::Blocks() const {
    return std::any_of(products.begin(), products.end(), [](const ProductCompat& p) { return p.Blocked(); });
}

std::vector<std::string> CompatReport::Errors() const {
    std::vector<std::string> out;
    for (const auto& p : products) {
        size_t refused = 0, breaking = 0;
        for (const auto& c : p.changes) {
            refused += c.level == CompatLevel::kRefused;
            breaking += c.level == CompatLevel::kBreaking;
        }
        if (refused > 0) {
            out.push_back(p.product + ": " + std::to_string(refused) +
                          " change(s) refused: a deprecated port or column is removed before its sunset");
        }
        if (breaking > 0 && !p.major_bump) {
            out.push_back(p.product + ": " + std::to_string(breaking) + " breaking change(s) need a major version: " +
                          "metadata.version " + p.version_after + " -> " + NextMajor(p.version_before) + " or later");
        }
    }
    return out;
}

std::string TodayUtc() {
    std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return buf;
}

Result<CompatReport> CheckCompatibility(catalog::Catalog& catalog, const spec::Batch& batch,
                                        const CompatOptions& options) {
    CompatReport report;
    const std::string today = options.today.empty() ? TodayUtc() : options.today;
    TESSERA_ASSIGN_OR_RETURN(report.base_revision, catalog.Revision());
    TESSERA_ASSIGN_OR_RETURN(auto deps, catalog.Dependencies());

    // Published products, read once each.
    std::map<std::string, std::optional<model::DataProduct>> published;
    auto stored = [&](const std::string& name) -> Result<const model::DataProduct*> {
        auto it = published.find(name);
        if (it == published.end()) {
            if (report.base_revision == 0) return nullptr;  // an empty catalog publishes nothing
            // At a revision: the version judged against, and no "did you mean" search per new product.
            auto found = catalog.Find("product/" + name, report.base_revision);
            if (!found.ok() && found.status().code() != StatusCode::kNotFound) return found.status();
            std::optional<model::DataProduct> p;
            if (found.ok()) p = std::get<model::DataProduct>(found->entity);
            it = published.emplace(name, std::move(p)).first;
        }
        return it->second ? &*it->second : nullptr;
    };

    // Consumers of one port: direct readers of that port, then everything downstream of them.
    auto consumers_of = [&](const std::string& product, const std::string& port) -> Result<std::vector<Consumer>> {
        std::vector<Consumer> out;
        std::set<std::string> seen{product};
        std::vector<std::pair<std::string, std::string>> frontier;  // (product, via)
        for (const auto& d : deps) {
            if (d.upstream != product) continue;
            TESSERA_ASSIGN_OR_RETURN(const model::DataProduct* reader, stored(d.product));
            TESSERA_ASSIGN_OR_RETURN(const model::DataProduct* up, stored(product));
            if (!reader || !up) continue;
            bool reads_port = std::any_of(reader->inputs.begin(), reader->inputs.end(), [&](const model::InputPort& in) {
                return in.IsProduct() && in.product == product && PortRead(in, *up) == port;
            });
            if (reads_port && seen.insert(d.product).second) {
                out.push_back({d.product, reader->owner, 1, "", "", {}});
                frontier.push_back({d.product, d.product});
            }
        }
        for (size_t i = 0; i < frontier.size(); ++i) {
            auto [node, via] = frontier[i];
            int depth = 1;
            for (const auto& c : out) {
                if (c.product == node) depth = c.depth;
            }
            for (const auto& d : deps) {
                if (d.upstream != node || !seen.insert(d.product).second) continue;
                TESSERA_ASSIGN_OR_RETURN(const model::DataProduct* reader, stored(d.product));
                out.push_back({d.product, reader ? reader->owner : "", depth + 1, node, "", {}});
                frontier.push_back({d.product, node});
            }
        }
        return out;
    };

    for (const auto& doc : batch.products) {
        const auto& after = doc.product;
        TESSERA_ASSIGN_OR_RETURN(const model::DataProduct* before, stored(after.FullName()));
        if (!before) continue;  // a new product breaks no one
        ProductCompat pc{after.FullName(), before->version, after.version, IsMajorBump(before->version, after.version),
                         CompareProducts(*before, after, today)};
        if (pc.changes.empty()) continue;
        // column -> users, looked up once; nullopt where lineage failed (every consumer: unknown)
        std::map<std::string, std::optional<ColumnUsers>> column_users;
        for (auto& change : pc.changes) {
            if (!IsBlocking(change.level)) continue;
            TESSERA_ASSIGN_OR_RETURN(change.consumers, consumers_of(pc.product, change.port));
            std::vector<std::string> holders;
            if (options.grant_holders) {
                TESSERA_ASSIGN_OR_RETURN(holders, options.grant_holders(pc.product + "." + change.port));
            }
            bool port_renamed = change.rule.rfind("port_", 0) == 0;
            if (!change.column.empty() && options.column_users && !port_renamed) {
                auto it = column_users.find(change.column);
                if (it == column_users.end()) {
                    auto users = options.column_users(pc.product, change.column);
                    if (!users.ok()) {
                        TESSERA_LOG(kWarn) << "column lineage of " << pc.product << "." << change.column
                                           << " failed: " << users.status().message();
                    }
                    it = column_users.emplace(change.column, users.ok() ? std::optional<ColumnUsers>(*users) : std::nullopt).first;
                }
                for (auto& c : change.consumers) {
                    const auto& u = it->second;
                    c.column_use = !u                        ? "unknown"
                                   : u->users.count(c.product)   ? "uses"
                                   : u->unknown.count(c.product) ? "unknown"
                                                                 : "does not use";
                }
            }
            for (auto& c : change.consumers) {
                if (c.depth == 1) c.grant_holders = holders;
            }
        }
        report.products.push_back(std::move(pc));
    }

    // Deprecated ports and columns the batch's products read (the batch's own version of an
    // upstream product wins over the catalog's).
    std::map<std::string, const model::DataProduct*> in_batch;
    for (const auto& doc : batch.products) in_batch[doc.product.FullName()] = &doc.product;
    std::map<std::string, ColumnUsers> deprecated_column_users;
    for (const auto& doc : batch.products) {
        const auto& reader = doc.product;
        TESSERA_ASSIGN_OR_RETURN(const model::DataProduct* reader_published, stored(reader.FullName()));
        for (const auto& in : reader.inputs) {
            if (!in.IsProduct()) continue;
            const model::DataProduct* up = nullptr;
            if (auto it = in_batch.find(in.product); it != in_batch.end()) {
                up = it->second;
            } else {
                TESSERA_ASSIGN_OR_RETURN(up, stored(in.product));
            }
            if (!up) continue;
            std::string port_name = PortRead(in, *up);
            const model::OutputPort* port = nullptr;
            for (const auto& o : up->outputs) {
                if (o.name == port_name) port = &o;
            }
            if (!port) continue;
            std::string address = in.product + "." + port->name;
            if (port->deprecated) {
                report.notices.push_back({reader.FullName(), in.name, address, *port->deprecated,
                                          std::string_view(port->deprecated->sunset) <= today, ""});
            }
            for (const auto& c : port->columns) {
                if (!c.deprecated) continue;
                std::string use = "unknown";
                if (options.column_users) {
                    std::string key = in.product + "." + c.name;
                    auto it = deprecated_column_users.find(key);
                    if (it == deprecated_column_users.end()) {
                        auto users = options.column_users(in.product, c.name);
                        it = deprecated_column_users.emplace(key, users.ok() ? *users : ColumnUsers{}).first;
                    }
                    if (it->second.users.count(reader.FullName())) use = "uses";
                    else if (reader_published && !it->second.unknown.count(reader.FullName())) {
                        continue;  // lineage says the published reader does not use it
                    }
                }
                report.notices.push_back({reader.FullName(), in.name, address + "." + c.name, *c.deprecated,
                                          std::string_view(c.deprecated->sunset) <= today, use});
            }
        }
    }
    return report;
}

}  // namespace tessera::governance
