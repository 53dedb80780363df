#include "engine/profile.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "common/logging.h"
#include "engine/internal/duckdb.h"
#include "engine/internal/sql_text.h"

namespace tessera::engine {
namespace {

using internal::QuoteIdent;
using internal::QuoteLiteral;
using Json = nlohmann::ordered_json;

constexpr int64_t kMaxAcceptedValues = 10;

bool IsNumeric(const std::string& t) {
    static const char* kTypes[] = {"TINYINT", "SMALLINT", "INTEGER",   "BIGINT",
                                   "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                                   "UBIGINT", "FLOAT",    "DOUBLE"};
    for (const char* k : kTypes) {
        if (t == k)
            return true;
    }
    return t.rfind("DECIMAL", 0) == 0;
}

std::string EndsWith(const std::string& s, std::initializer_list<const char*> ends) {
    for (const char* e : ends) {
        std::string end(e);
        if (s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0)
            return end;
    }
    return "";
}

Json Number(const std::string& text) {
    try {
        size_t used = 0;
        double d = std::stod(text, &used);
        if (used == text.size() && std::isfinite(d)) {
            if (std::floor(d) == d && std::fabs(d) < 9e15)
                return static_cast<int64_t>(d);
            return d;
        }
    } catch (const std::exception&) {
    }
    return text;
}

}  // namespace

std::optional<model::DataFormat> FormatOfPath(const std::string& path) {
    std::string lower = path;
    for (char& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!EndsWith(lower, {".csv", ".tsv", ".csv.gz", ".csv.zst", ".txt"}).empty())
        return model::DataFormat::kCsv;
    if (!EndsWith(lower, {".parquet"}).empty())
        return model::DataFormat::kParquet;
    if (!EndsWith(lower, {".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".json.zst",
                          ".jsonl.zst"})
                 .empty())
        return model::DataFormat::kJson;
    return std::nullopt;
}

Result<DataProfile> ProfileFiles(const std::string& glob, std::optional<model::DataFormat> format) {
    DataProfile p;
    p.glob = glob;
    if (!format)
        format = FormatOfPath(glob);
    if (!format) {
        return InvalidArgument(
                glob +
                ": cannot tell the format from the extension (expected .csv, .parquet or .json)");
    }
    p.format = *format;
    TESSERA_ASSIGN_OR_RETURN(internal::Database db,
                             internal::Database::Open("", {{"threads", "2"}}));
    TESSERA_ASSIGN_OR_RETURN(internal::Connection con, db.Connect());
    TESSERA_ASSIGN_OR_RETURN(internal::QueryResult files,
                             con.Query("select count(*) from glob(" + QuoteLiteral(glob) + ")"));
    p.files = std::stoll(std::string(files.Cell(0, 0)));
    if (p.files == 0)
        return NotFound("no file matches " + glob);
    TESSERA_RETURN_IF_ERROR(con.Execute("create view profiled as select * from " +
                                        internal::ReadFiles(*format, glob)));
    TESSERA_ASSIGN_OR_RETURN(internal::QueryResult schema, con.Query("describe profiled"));
    for (size_t r = 0; r < schema.row_count(); ++r) {
        ColumnProfile c;
        c.name = std::string(schema.Cell(r, 0));
        c.type = std::string(schema.Cell(r, 1));
        p.columns.push_back(c);
    }
    // One scan for every column's counts and bounds.
    std::string select = "select count(*)";
    for (const auto& c : p.columns) {
        std::string col = QuoteIdent(c.name);
        bool orderable = c.type.find('[') == std::string::npos && c.type.rfind("STRUCT", 0) != 0 &&
                         c.type.rfind("MAP", 0) != 0 && c.type != "JSON" && c.type != "BLOB";
        select +=
                ", count(*) - count(" + col + "), " +
                (orderable ? "count(distinct " + col + ")"
                           : "count(distinct cast(" + col + " as varchar))") +
                ", " +
                (orderable ? "cast(min(" + col + ") as varchar), cast(max(" + col + ") as varchar)"
                           : "null, null");
    }
    TESSERA_ASSIGN_OR_RETURN(internal::QueryResult stats, con.Query(select + " from profiled"));
    p.rows = std::stoll(std::string(stats.Cell(0, 0)));
    for (size_t i = 0; i < p.columns.size(); ++i) {
        ColumnProfile& c = p.columns[i];
        size_t base = 1 + i * 4;
        c.nulls = std::stoll(std::string(stats.Cell(0, base)));
        c.distinct = std::stoll(std::string(stats.Cell(0, base + 1)));
        if (!stats.IsNull(0, base + 2))
            c.min = std::string(stats.Cell(0, base + 2));
        if (!stats.IsNull(0, base + 3))
            c.max = std::string(stats.Cell(0, base + 3));
        if (c.type == "VARCHAR" && c.distinct > 0 && c.distinct <= kMaxAcceptedValues) {
            TESSERA_ASSIGN_OR_RETURN(
                    internal::QueryResult values,
                    con.Query("select distinct " + QuoteIdent(c.name) + " from profiled where " +
                              QuoteIdent(c.name) + " is not null order by 1"));
            for (size_t r = 0; r < values.row_count(); ++r)
                c.values.push_back(std::string(values.Cell(r, 0)));
        }
    }
    TESSERA_LOG(kInfo) << "profiled " << glob << ": " << p.files << " files, " << p.rows
                       << " rows, " << p.columns.size() << " columns";
    return p;
}

model::OutputPort ProposePort(const DataProfile& profile, const std::string& port_name) {
    model::OutputPort port;
    port.name = port_name;
    port.format = model::DataFormat::kParquet;
    for (const auto& c : profile.columns) {
        model::Column col;
        col.name = c.name;
        col.type = c.type;
        Json prof;
        prof["null_share"] = std::round(c.null_share(profile.rows) * 10000.0) / 10000.0;
        prof["distinct"] = c.distinct;
        if (c.min)
            prof["min"] = IsNumeric(c.type) ? Number(*c.min) : Json(*c.min);
        if (c.max)
            prof["max"] = IsNumeric(c.type) ? Number(*c.max) : Json(*c.max);
        col.extensions.push_back({"x-profile", prof.dump()});
        Json suggested = Json::object();
        if (profile.rows > 0 && c.nulls == 0)
            suggested["required"] = true;
        if (profile.rows > 1 && c.nulls == 0 && c.distinct == profile.rows)
            suggested["unique"] = true;
        // Low cardinality: few values, each seen several times on average.
        if (!c.values.empty() && profile.rows >= 2 * static_cast<int64_t>(c.values.size())) {
            suggested["accepted_values"] = c.values;
        }
        if (IsNumeric(c.type) && c.min && c.max) {
            suggested["min"] = Number(*c.min);
            suggested["max"] = Number(*c.max);
        }
        if (!suggested.empty())
            col.extensions.push_back({"x-suggested", suggested.dump()});
        port.columns.push_back(std::move(col));
    }
    Json port_suggestions;
    port_suggestions["quality"] =
            Json::array({{{"name", "has_rows"}, {"type", "row_count"}, {"min", 1}}});
    port.extensions.push_back({"x-suggested", port_suggestions.dump()});
    Json port_profile{{"files", profile.files}, {"rows", profile.rows}};
    port.extensions.push_back({"x-profile", port_profile.dump()});
    return port;
}

}  // namespace tessera::engine
