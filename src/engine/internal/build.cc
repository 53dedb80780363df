#include "engine/internal/build.h"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "engine/internal/duckdb.h"
#include "engine/internal/quality.h"
#include "engine/internal/sql_text.h"

namespace tessera::engine::internal {
namespace {

using json = nlohmann::json;

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string FormatName(model::DataFormat f) {
    switch (f) {
        case model::DataFormat::kParquet: return "parquet";
        case model::DataFormat::kCsv: return "csv";
        case model::DataFormat::kJson: return "json";
    }
    return "parquet";
}

Result<model::DataFormat> ParseFormat(const std::string& s) {
    if (s == "parquet") return model::DataFormat::kParquet;
    if (s == "csv") return model::DataFormat::kCsv;
    if (s == "json") return model::DataFormat::kJson;
    return InvalidArgument("build plan: unknown format \"" + s + "\"");
}

json CheckToJson(const store::CheckRecord& c) {
    return {{"port", c.port},       {"check", c.check},     {"status", c.status},
            {"failures", c.failures}, {"message", c.message}, {"sample", c.sample}};
}

// Compares the produced columns with the declared ones; returns one line per difference.
std::vector<std::string> SchemaDiff(const BuildOutput& port, const QueryResult& described) {
    std::map<std::string, std::string> produced;  // lower-case name -> type
    std::map<std::string, std::string> produced_names;
    for (size_t i = 0; i < described.row_count(); ++i) {
        std::string name(described.Cell(i, 0));
        produced[text::Lower(name)] = std::string(described.Cell(i, 1));
        produced_names[text::Lower(name)] = name;
    }
    std::vector<std::string> lines;
    std::set<std::string> declared;
    for (const auto& c : port.columns) {
        std::string key = text::Lower(c.name);
        declared.insert(key);
        auto it = produced.find(key);
        if (it == produced.end()) {
            lines.push_back("  - " + c.name + " " + c.type + ": declared, but the transform does not produce it");
        } else if (it->second != c.type) {
            lines.push_back("  ~ " + c.name + ": declared " + c.type + ", produced " + it->second +
                            " (cast it in the SQL, or change the declared type)");
        }
    }
    for (const auto& [key, type] : produced) {
        if (!declared.count(key)) lines.push_back("  + " + produced_names[key] + " " + type + ": produced, but not declared");
    }
    if (lines.empty()) return {};
    return {"the output port " + port.port + " does not match its declared schema:\n" + text::Join(lines, "\n")};
}

// Makes the transform's result available under the output ports' names. One SELECT becomes a
// view (it runs once, when the file is written), or a table for a CSV or JSON port (whose file
// would not read back with its exact types); a script creates its tables itself.
Status RunTransform(Connection& con, const BuildPlan& plan) {
    const std::string& sql = plan.transform_sql;
    auto shape = SerializeSql(con, sql);
    bool single_select = false;
    if (shape.ok()) {
        auto j = json::parse(*shape, nullptr, false);
        single_select = !j.is_discarded() && j.value("error", true) == false && j["statements"].size() == 1;
    }
    if (single_select) {
        if (plan.outputs.size() != 1) {
            return InvalidArgument("the transform is one SELECT but the product has " + std::to_string(plan.outputs.size()) +
                                   " output ports: create a table per port instead (CREATE TABLE <port> AS …)");
        }
        const auto& port = plan.outputs.front();
        const char* what = port.format == model::DataFormat::kParquet ? "VIEW " : "TABLE ";
        return con.Execute(std::string("CREATE ") + what + QuoteIdent(port.port) + " AS " + WithoutTrailingSemicolons(sql) +
                           "\n");
    }
    TESSERA_RETURN_IF_ERROR(con.Execute(sql));
    for (const auto& o : plan.outputs) {
        auto exists = con.Query("SELECT count(*) FROM duckdb_tables() WHERE table_name = " + QuoteLiteral(o.port) +
                                " UNION ALL SELECT count(*) FROM duckdb_views() WHERE view_name = " + QuoteLiteral(o.port));
        if (!exists.ok()) return exists.status();
        if (exists->Cell(0, 0) == "0" && exists->Cell(1, 0) == "0") {
            return InvalidArgument("the transform script created no table or view named " + o.port +
                                   " (each output port needs one)");
        }
    }
    return Status::Ok();
}

std::string ListLiteral(const std::vector<std::string>& items) {
    std::vector<std::string> quoted;
    for (const auto& i : items) quoted.push_back(QuoteLiteral(i));
    return "[" + text::Join(quoted, ", ") + "]";
}

BuildResult Failed(std::string error) {
    BuildResult r;
    r.error = std::move(error);
    return r;
}

}  // namespace

std::string PlanToJson(const BuildPlan& p) {
    json j;
    j["product"] = p.product;
    j["views"] = json::array();
    for (const auto& v : p.views) j["views"].push_back({{"name", v.name}, {"sql", v.sql}});
    j["readable_files"] = p.readable_files;
    j["transform_sql"] = p.transform_sql;
    j["outputs"] = json::array();
    for (const auto& o : p.outputs) {
        json cols = json::array();
        for (const auto& c : o.columns) cols.push_back({{"name", c.name}, {"type", c.type}});
        j["outputs"].push_back({{"port", o.port}, {"format", FormatName(o.format)}, {"file", o.file}, {"columns", cols}});
    }
    j["checks"] = json::array();
    for (const auto& c : p.checks) {
        j["checks"].push_back({{"port", c.port},
                               {"name", c.name},
                               {"sql", c.failing_rows_sql},
                               {"tolerated", c.tolerated},
                               {"blocking", c.blocking},
                               {"what", c.what},
                               {"value_message", c.value_message},
                               {"sample_is_data", c.sample_is_data}});
    }
    j["keep_samples"] = p.keep_samples;
    j["spill_dir"] = p.spill_dir;
    j["threads"] = p.threads;
    j["memory_limit"] = p.memory_limit;
    j["now"] = p.now;
    j["fault"] = p.fault;
    j["copy_inputs"] = p.copy_inputs;
    return Dump(j);
}

Result<BuildPlan> PlanFromJson(const std::string& text) {
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return InvalidArgument("build plan: not a JSON object");
    try {
        BuildPlan p;
        p.product = j.at("product").get<std::string>();
        for (const auto& v : j.at("views")) p.views.push_back({v.at("name").get<std::string>(), v.at("sql").get<std::string>()});
        p.readable_files = j.at("readable_files").get<std::vector<std::string>>();
        p.transform_sql = j.at("transform_sql").get<std::string>();
        for (const auto& o : j.at("outputs")) {
            BuildOutput out;
            out.port = o.at("port").get<std::string>();
            TESSERA_ASSIGN_OR_RETURN(out.format, ParseFormat(o.at("format").get<std::string>()));
            out.file = o.at("file").get<std::string>();
            for (const auto& c : o.at("columns")) out.columns.push_back({c.at("name").get<std::string>(), c.at("type").get<std::string>()});
            p.outputs.push_back(std::move(out));
        }
        for (const auto& c : j.at("checks")) {
            CheckPlan cp;
            cp.port = c.at("port").get<std::string>();
            cp.name = c.at("name").get<std::string>();
            cp.failing_rows_sql = c.at("sql").get<std::string>();
            cp.tolerated = c.at("tolerated").get<int64_t>();
            cp.blocking = c.at("blocking").get<bool>();
            cp.what = c.at("what").get<std::string>();
            cp.value_message = c.at("value_message").get<std::string>();
            cp.sample_is_data = c.at("sample_is_data").get<bool>();
            p.checks.push_back(std::move(cp));
        }
        p.keep_samples = j.at("keep_samples").get<bool>();
        p.spill_dir = j.at("spill_dir").get<std::string>();
        p.threads = j.at("threads").get<int>();
        p.memory_limit = j.at("memory_limit").get<std::string>();
        p.now = j.at("now").get<int64_t>();
        p.fault = j.value("fault", "");
        p.copy_inputs = j.value("copy_inputs", false);
        return p;
    } catch (const json::exception& e) {
        return InvalidArgument(std::string("build plan: ") + e.what());
    }
}

std::string ResultToJson(const BuildResult& r) {
    json j;
    j["ok"] = r.ok;
    j["error"] = r.error;
    j["schema_diff"] = r.schema_diff;
    j["rows"] = r.rows;
    j["checks"] = json::array();
    for (const auto& c : r.checks) j["checks"].push_back(CheckToJson(c));
    return Dump(j);
}

Result<BuildResult> ResultFromJson(const std::string& text) {
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return InvalidArgument("the build process answered no result");
    try {
        BuildResult r;
        r.ok = j.at("ok").get<bool>();
        r.error = j.at("error").get<std::string>();
        r.schema_diff = j.at("schema_diff").get<std::vector<std::string>>();
        r.rows = j.at("rows").get<std::vector<int64_t>>();
        for (const auto& c : j.at("checks")) {
            r.checks.push_back({0, c.at("port").get<std::string>(), c.at("check").get<std::string>(),
                                c.at("status").get<std::string>(), c.at("failures").get<int64_t>(),
                                c.at("message").get<std::string>(), c.at("sample").get<std::string>()});
        }
        return r;
    } catch (const json::exception& e) {
        return InvalidArgument(std::string("the build process answered a malformed result: ") + e.what());
    }
}

BuildResult ExecuteBuild(const BuildPlan& plan) {
    ConfigOptions config;
    config.push_back({"threads", std::to_string(std::max(1, plan.threads))});
    config.push_back({"memory_limit", plan.memory_limit});
    config.push_back({"temp_directory", plan.spill_dir});
    config.push_back({"autoinstall_known_extensions", "false"});
    config.push_back({"autoload_known_extensions", "false"});
    auto db = Database::Open("", config);
    if (!db.ok()) return Failed("cannot open DuckDB: " + db.status().message());
    auto con = db->Connect();
    if (!con.ok()) return Failed("cannot connect to DuckDB: " + con.status().message());

    for (const auto& v : plan.views) {
        const char* what = plan.copy_inputs ? "CREATE TABLE " : "CREATE VIEW ";
        Status st = con->Execute(what + QuoteIdent(v.name) + " AS " + v.sql);
        if (!st.ok()) return Failed("input " + v.name + " cannot be read: " + st.message());
    }
    // The lock-down, before any SQL of the product runs: exactly the inputs' files may be read and
    // exactly the outputs' files written; no folder, no extension, no setting can change after.
    std::vector<std::string> paths = plan.copy_inputs ? std::vector<std::string>{} : plan.readable_files;
    for (const auto& o : plan.outputs) paths.push_back(o.file);
    const std::vector<std::string> lock_down = {"SET allowed_directories = []", "SET allowed_paths = " + ListLiteral(paths),
                                                "SET enable_external_access = false", "SET lock_configuration = true"};
    for (const auto& sql : lock_down) {
        Status st = con->Execute(sql);
        if (!st.ok()) return Failed("cannot lock the build's DuckDB down: " + st.message());
    }

    Status st = RunTransform(*con, plan);
    if (!st.ok()) return Failed("the transform failed: " + st.message());

    BuildResult result;
    for (const auto& o : plan.outputs) {
        auto described = con->Query("DESCRIBE " + QuoteIdent(o.port));
        if (!described.ok()) return Failed("cannot describe output port " + o.port + ": " + described.status().message());
        auto diff = SchemaDiff(o, *described);
        result.schema_diff.insert(result.schema_diff.end(), diff.begin(), diff.end());
    }
    if (!result.schema_diff.empty()) {
        result.error = text::Join(result.schema_diff, "\n");
        return result;
    }

    // Each port is written once, streaming; the checks then read the written file (compressed,
    // column-pruned scans) instead of running the transform again.
    for (const auto& o : plan.outputs) {
        std::string format = o.format == model::DataFormat::kParquet ? "FORMAT parquet, COMPRESSION zstd"
                             : o.format == model::DataFormat::kCsv   ? "FORMAT csv, HEADER true"
                                                                     : "FORMAT json";
        st = con->Execute("COPY " + QuoteIdent(o.port) + " TO " + QuoteLiteral(o.file) + " (" + format + ")");
        if (st.ok() && o.format == model::DataFormat::kParquet) {
            st = con->Execute("DROP VIEW IF EXISTS " + QuoteIdent(o.port) + "; DROP TABLE IF EXISTS " + QuoteIdent(o.port) +
                              "; CREATE VIEW " + QuoteIdent(o.port) + " AS SELECT * FROM read_parquet(" +
                              QuoteLiteral(o.file) + ")");
        }
        auto rows = st.ok() ? con->Query("SELECT count(*) FROM " + QuoteIdent(o.port)) : Result<QueryResult>(st);
        if (!rows.ok()) {
            return Failed("the transform failed while writing output port " + o.port + ": " + rows.status().message());
        }
        result.rows.push_back(std::stoll(std::string(rows->Cell(0, 0))));
    }
    for (const auto& c : plan.checks) result.checks.push_back(RunCheck(*con, c, plan.keep_samples));
    result.ok = true;
    return result;
}

}  // namespace tessera::engine::internal
