#include "engine/internal/quality.h"

#include <nlohmann/json.hpp>

#include <sstream>

#include "common/text.h"
#include "engine/internal/sql_text.h"

namespace tessera::engine::internal {
namespace {

constexpr int kSampleRows = 5;

std::string SampleJson(const QueryResult& r) {
    auto rows = nlohmann::ordered_json::array();
    for (size_t i = 0; i < r.row_count(); ++i) {
        nlohmann::ordered_json row = nlohmann::ordered_json::object();
        for (size_t c = 0; c < r.column_count(); ++c) {
            if (r.IsNull(i, c)) row[r.column_name(c)] = nullptr;
            else row[r.column_name(c)] = std::string(r.Cell(i, c));
        }
        rows.push_back(row);
    }
    return rows.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

CheckPlan RowsCheck(const std::string& port, const std::string& name, const std::string& failing_rows_sql,
                    int64_t tolerated, model::Severity severity, const std::string& what) {
    CheckPlan c;
    c.port = port;
    c.name = name;
    c.failing_rows_sql = failing_rows_sql;
    c.tolerated = tolerated;
    c.blocking = severity == model::Severity::kError;
    c.what = what;
    return c;
}

std::string Number(double v) {
    std::ostringstream s;
    s.precision(17);
    s << v;
    return s.str();
}

}  // namespace

std::vector<CheckPlan> PlanChecks(const model::OutputPort& port, std::time_t now) {
    std::vector<CheckPlan> out;
    const std::string table = QuoteIdent(port.name);
    for (const auto& col : port.columns) {
        const std::string c = QuoteIdent(col.name);
        if (col.required || col.primary_key) {
            out.push_back(RowsCheck(port.name, col.name + ".required", "SELECT * FROM " + table + " WHERE " + c + " IS NULL",
                                    0, model::Severity::kError, "rows with no " + col.name));
        }
        if (col.unique || col.primary_key) {
            out.push_back(RowsCheck(port.name, col.name + ".unique",
                                    "SELECT " + c + ", count(*) AS copies FROM " + table + " WHERE " + c +
                                            " IS NOT NULL GROUP BY " + c + " HAVING count(*) > 1",
                                    0, model::Severity::kError, "values of " + col.name + " appear more than once"));
        }
        if (!col.accepted_values.empty()) {
            std::vector<std::string> literals;
            for (const auto& v : col.accepted_values) literals.push_back(QuoteLiteral(v));
            out.push_back(RowsCheck(port.name, col.name + ".accepted_values",
                                    "SELECT * FROM " + table + " WHERE " + c + " IS NOT NULL AND CAST(" + c +
                                            " AS VARCHAR) NOT IN (" + text::Join(literals, ", ") + ")",
                                    0, model::Severity::kError, "rows with a value of " + col.name + " not accepted"));
        }
        if (col.min || col.max) {
            std::vector<std::string> bounds;
            if (col.min) bounds.push_back(c + " < " + Number(*col.min));
            if (col.max) bounds.push_back(c + " > " + Number(*col.max));
            out.push_back(RowsCheck(port.name, col.name + ".range",
                                    "SELECT * FROM " + table + " WHERE " + text::Join(bounds, " OR "), 0,
                                    model::Severity::kError, "rows with " + col.name + " out of range"));
        }
    }
    for (const auto& q : port.quality) {
        switch (q.type) {
            case model::CheckType::kSql:
                out.push_back(RowsCheck(port.name, q.name, q.sql, q.max_rows, q.severity, "failing rows"));
                break;
            case model::CheckType::kRowCount: {
                std::vector<std::string> bounds;
                if (q.min) bounds.push_back("n < " + std::to_string(*q.min));
                if (q.max) bounds.push_back("n > " + std::to_string(*q.max));
                CheckPlan c = RowsCheck(
                        port.name, q.name,
                        "SELECT n AS row_count FROM (SELECT count(*) AS n FROM " + table + ") WHERE " + text::Join(bounds, " OR "),
                        0, q.severity, "");
                c.value_message = "row count out of bounds [" + (q.min ? std::to_string(*q.min) : std::string()) + ", " +
                                  (q.max ? std::to_string(*q.max) : std::string()) + "]";
                c.sample_is_data = false;
                out.push_back(std::move(c));
                break;
            }
            case model::CheckType::kFreshness: {
                std::string limit = "to_timestamp(" + std::to_string(static_cast<int64_t>(now) - q.max_age_seconds) + ")";
                CheckPlan c = RowsCheck(port.name, q.name,
                                        "SELECT newest FROM (SELECT max(" + QuoteIdent(q.column) + ")::TIMESTAMPTZ AS newest FROM " +
                                                table + ") WHERE newest IS NULL OR newest < " + limit,
                                        0, q.severity, "");
                c.value_message = "the newest " + q.column + " is older than allowed";
                out.push_back(std::move(c));
                break;
            }
        }
    }
    return out;
}

store::CheckRecord RunCheck(Connection& con, const CheckPlan& plan, bool keep_samples) {
    store::CheckRecord c{0, plan.port, plan.name, "passed", 0, "", "[]"};
    auto count = con.Query("SELECT count(*) FROM (" + plan.failing_rows_sql + ")");
    if (!count.ok()) {
        c.status = "error";
        c.message = "the check could not run: " + count.status().message();
        return c;
    }
    c.failures = std::stoll(std::string(count->Cell(0, 0)));
    if (c.failures <= plan.tolerated) return c;
    c.status = plan.blocking ? "failed" : "warned";
    const bool keep = keep_samples || !plan.sample_is_data;
    if (keep) {
        auto sample = con.Query("SELECT * FROM (" + plan.failing_rows_sql + ") LIMIT " + std::to_string(kSampleRows));
        if (sample.ok()) c.sample = SampleJson(*sample);
    }
    if (!plan.value_message.empty()) {
        c.message = plan.value_message + (keep ? ": " + c.sample : "");
    } else {
        c.message = std::to_string(c.failures) + " " + plan.what +
                    (plan.tolerated ? " (at most " + std::to_string(plan.tolerated) + " allowed)" : "");
    }
    return c;
}

bool BlocksPublish(const std::vector<store::CheckRecord>& checks) {
    for (const auto& c : checks) {
        if (c.status == "failed" || c.status == "error") return true;
    }
    return false;
}

}  // namespace tessera::engine::internal
