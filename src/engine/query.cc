#include "engine/query.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>
#include <openssl/rand.h>

#include "common/text.h"
#include "engine/internal/duckdb.h"
#include "engine/internal/sql_text.h"

namespace tessera::engine {

namespace fs = std::filesystem;
using internal::QuoteIdent;
using internal::QuoteLiteral;
using Json = nlohmann::json;

namespace {

class AllowAll final : public AccessPolicy {
public:
    Status CanRead(const std::string&, const std::string&) const override { return Status::Ok(); }
    bool Unmasked(const std::string&, const std::string&, const std::string&) const override { return false; }
};

// Table functions a query may use: they read no files.
const std::set<std::string> kAllowedTableFunctions = {"range", "generate_series", "unnest"};
// Scalar functions that would leak the host or the sandbox's configuration.
// The keyed hash of `mask: hash`, called by the masked views only: a query calling it could hash
// its guesses under the catalog's key.
constexpr const char* kMaskHash = "tessera_mask_hash";
const std::set<std::string> kDeniedFunctions = {"getenv", "current_setting", kMaskHash};
// The system views a query may read (they show only the views of the products it names).
const std::set<std::string> kReadableSystemViews = {"tables", "columns", "schemata"};

struct Reference {
    std::string schema;
    std::string table;
};

// Walks the parsed statement: rejects what the sandbox forbids and collects table references.
Status Inspect(const Json& node, std::vector<Reference>* refs, std::set<std::string>* ctes) {
    if (node.is_array()) {
        for (const auto& item : node) TESSERA_RETURN_IF_ERROR(Inspect(item, refs, ctes));
        return Status::Ok();
    }
    if (!node.is_object()) return Status::Ok();
    std::string type = node.contains("type") && node["type"].is_string() ? node["type"].get<std::string>() : "";
    if (type == "TABLE_FUNCTION") {
        std::string fn = node.contains("function") ? node["function"].value("function_name", "") : "";
        if (!kAllowedTableFunctions.count(text::Lower(fn))) {
            return InvalidArgument("the table function " + fn +
                                   "() is not allowed in queries: read data products by their names (domain.product)");
        }
    } else if (type == "BASE_TABLE") {
        refs->push_back({node.value("schema_name", ""), node.value("table_name", "")});
    } else if (type == "FUNCTION") {
        std::string fn = text::Lower(node.value("function_name", ""));
        if (kDeniedFunctions.count(fn)) return InvalidArgument("the function " + fn + "() is not allowed in queries");
    }
    if (node.contains("cte_map") && node["cte_map"].contains("map")) {
        for (const auto& entry : node["cte_map"]["map"]) {
            if (entry.contains("key") && entry["key"].is_string()) ctes->insert(text::Lower(entry["key"].get<std::string>()));
        }
    }
    for (const auto& [key, value] : node.items()) {
        if (value.is_structured()) TESSERA_RETURN_IF_ERROR(Inspect(value, refs, ctes));
    }
    return Status::Ok();
}

std::string MaskedExpression(const model::Column& c) {
    std::string col = QuoteIdent(c.name);
    switch (c.mask) {
        case model::Mask::kHash: return std::string(kMaskHash) + "(CAST(" + col + " AS VARCHAR)) AS " + col;
        case model::Mask::kRedact: return "CASE WHEN " + col + " IS NULL THEN NULL ELSE '***' END AS " + col;
        case model::Mask::kNull: return "CAST(NULL AS " + c.type + ") AS " + col;
        case model::Mask::kNone: break;
    }
    return col;
}

}  // namespace

std::unique_ptr<AccessPolicy> AllowAllReaders() { return std::make_unique<AllowAll>(); }

std::string RewriteVersionedNames(const std::string& sql) {
    std::string out;
    size_t i = 0;
    auto is_word = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; };
    while (i < sql.size()) {
        char c = sql[i];
        if (c == '\'' || c == '"') {  // copy a quoted string or identifier as is
            size_t j = i + 1;
            while (j < sql.size() && !(sql[j] == c && (j + 1 >= sql.size() || sql[j + 1] != c))) j += (sql[j] == c) ? 2 : 1;
            out.append(sql, i, j + 1 - i);
            i = j + 1;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            size_t j = sql.find('\n', i);
            j = j == std::string::npos ? sql.size() : j;
            out.append(sql, i, j - i);
            i = j;
        } else if (c == '@' && !out.empty() && i + 2 < sql.size() && sql[i + 1] == 'v' && std::isdigit(static_cast<unsigned char>(sql[i + 2]))) {
            // out ends with domain.product: quote the product part with its version.
            size_t start = out.size();
            while (start > 0 && is_word(out[start - 1])) --start;
            if (start == out.size() || start == 0 || out[start - 1] != '.') {
                out += c;
                ++i;
                continue;
            }
            std::string product = out.substr(start);
            size_t j = i + 2;
            while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j;
            out.resize(start);
            out += "\"" + product + sql.substr(i, j - i) + "\"";
            i = j;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

QueryEngine::QueryEngine(catalog::Catalog& catalog, QueryConfig config, std::unique_ptr<AccessPolicy> access)
    : catalog_(catalog), config_(std::move(config)), access_(std::move(access)) {}

Result<Table> QueryEngine::Run(const std::string& raw_sql, const QueryOptions& options) {
    std::string sql = RewriteVersionedNames(raw_sql);
    internal::ConfigOptions config;
    if (config_.threads > 0) config.push_back({"threads", std::to_string(config_.threads)});
    config.push_back({"autoinstall_known_extensions", "false"});
    config.push_back({"autoload_known_extensions", "false"});
    TESSERA_ASSIGN_OR_RETURN(internal::Database db, internal::Database::Open("", config));
    TESSERA_ASSIGN_OR_RETURN(internal::Connection con, db.Connect());
    std::string mask_key = access_->MaskKey();
    if (mask_key.empty()) {
        if (own_mask_key_.empty()) {
            own_mask_key_.resize(32);
            if (RAND_bytes(reinterpret_cast<unsigned char*>(own_mask_key_.data()), 32) != 1) {
                return Internal("no random bytes for the mask key");
            }
        }
        mask_key = own_mask_key_;
    }
    TESSERA_RETURN_IF_ERROR(con.RegisterKeyedHash(kMaskHash, mask_key));

    // 1. What is the statement? Parsed by DuckDB, inspected as a tree.
    TESSERA_ASSIGN_OR_RETURN(std::string parsed, internal::SerializeSql(con, sql));
    Json tree = Json::parse(parsed, nullptr, false);
    if (tree.is_discarded()) return Internal("cannot read DuckDB's parse tree");
    if (tree.value("error", false)) {
        std::string message = tree.value("error_message", std::string("not a query"));
        if (message.find("Only SELECT") != std::string::npos) {
            return InvalidArgument("only read queries (SELECT, WITH … SELECT, VALUES) are allowed; ATTACH, COPY, "
                                   "INSTALL, LOAD, PRAGMA, SET and writes are not");
        }
        return InvalidArgument(message);
    }
    if (tree["statements"].size() != 1) {
        return InvalidArgument("one statement at a time, found " + std::to_string(tree["statements"].size()));
    }
    std::vector<Reference> refs;
    std::set<std::string> ctes;
    TESSERA_RETURN_IF_ERROR(Inspect(tree["statements"], &refs, &ctes));

    std::error_code ec;
    const std::string data_dir = fs::weakly_canonical(fs::absolute(config_.data_dir, ec), ec).string();

    // 2. Views for the products the query names; nothing else exists in the sandbox.
    std::map<std::string, std::vector<std::string>> views;  // "domain.view" -> select
    std::set<std::string> schemas;
    for (const auto& ref : refs) {
        std::string schema = text::Lower(ref.schema), table = text::Lower(ref.table);
        if (schema.empty()) {
            if (ctes.count(table)) continue;
            return InvalidArgument("unknown table \"" + ref.table + "\": name data products as domain.product");
        }
        if (schema == "information_schema" || schema == "pg_catalog") {
            // What the query's own views look like, and no more: the definitions of the views
            // (information_schema.views, pg_catalog.pg_views…) would show the snapshot store's
            // paths and how each column is masked.
            if (schema == "information_schema" && kReadableSystemViews.count(table)) continue;
            return InvalidArgument(schema + "." + table + " is not readable in queries (" +
                                   "information_schema.tables, .columns and .schemata are); " +
                                   "`tessera describe` shows a product");
        }
        std::string view_key = schema + "." + table;
        if (views.count(view_key)) continue;
        // product[__port][@vN]
        std::string name = table;
        int64_t version = 0;
        if (auto at = name.find("@v"); at != std::string::npos) {
            version = std::atoll(name.c_str() + at + 2);
            name = name.substr(0, at);
        }
        std::string port;
        if (auto sep = name.find("__"); sep != std::string::npos) {
            port = name.substr(sep + 2);
            name = name.substr(0, sep);
        }
        std::string product_name = schema + "." + name;
        auto found = catalog_.Find(product_name);
        if (!found.ok()) return found.status();
        if (!std::holds_alternative<model::DataProduct>(found->entity)) {
            return InvalidArgument("\"" + product_name + "\" is not a data product");
        }
        TESSERA_RETURN_IF_ERROR(access_->CanRead(options.user, product_name));
        const auto& product = std::get<model::DataProduct>(found->entity);
        if (port.empty()) {
            if (product.outputs.size() > 1) {
                std::vector<std::string> names;
                for (const auto& o : product.outputs) names.push_back(product_name + "__" + o.name);
                return InvalidArgument(product_name + " has several output ports: name one of " + text::Join(names, ", "));
            }
            port = product.outputs.front().name;
        }
        const model::OutputPort* decl = nullptr;
        for (const auto& o : product.outputs) {
            if (o.name == port) decl = &o;
        }
        if (!decl) return InvalidArgument(product_name + " has no output port \"" + port + "\"");
        TESSERA_ASSIGN_OR_RETURN(auto snaps, catalog_.Snapshots(product_name, port));
        const store::SnapshotRecord* snap = nullptr;
        for (const auto& s : snaps) {
            if ((version == 0 && !snap) || s.version == version) snap = &s;
        }
        if (!snap) {
            if (version) {
                std::vector<std::string> kept;
                for (const auto& s : snaps) kept.push_back("v" + std::to_string(s.version));
                return InvalidArgument(product_name + "." + port + " has no snapshot v" + std::to_string(version) +
                                       (kept.empty() ? "" : " (kept: " + text::Join(kept, ", ") + ")"));
            }
            return FailedPrecondition(product_name + " has no published snapshot yet: run it first (tessera run " +
                                      product_name + ")");
        }
        std::vector<std::string> columns;
        for (const auto& c : decl->columns) {
            if (!access_->ColumnVisible(options.user, product_name, c.name)) continue;
            columns.push_back(access_->Unmasked(options.user, product_name, c.name) ? QuoteIdent(c.name) : MaskedExpression(c));
        }
        if (columns.empty()) {
            return Status(StatusCode::kPermissionDenied, options.user + " may see no column of " + product_name);
        }
        std::string files = (fs::path(data_dir) / snap->path).string() + "/*." + internal::FileExtension(decl->format);
        views[view_key] = {schema, table,
                           "SELECT " + text::Join(columns, ", ") + " FROM " + internal::ReadFiles(decl->format, files)};
        schemas.insert(schema);
    }
    for (const auto& s : schemas) TESSERA_RETURN_IF_ERROR(con.Execute("CREATE SCHEMA " + QuoteIdent(s)));
    for (const auto& [key, v] : views) {
        TESSERA_RETURN_IF_ERROR(con.Execute("CREATE VIEW " + QuoteIdent(v[0]) + "." + QuoteIdent(v[1]) + " AS " + v[2]));
    }

    // 3. Lock the sandbox down: only the snapshot store is readable, nothing can be changed back.
    std::string tmp_output;
    if (!options.output_file.empty()) {
        fs::path out = fs::absolute(options.output_file, ec);
        tmp_output = (out.parent_path() / ("." + out.filename().string() + ".tmp")).string();
    }
    TESSERA_RETURN_IF_ERROR(con.Execute("SET allowed_directories = [" + QuoteLiteral(data_dir + "/") + "]"));
    if (!tmp_output.empty()) TESSERA_RETURN_IF_ERROR(con.Execute("SET allowed_paths = [" + QuoteLiteral(tmp_output) + "]"));
    TESSERA_RETURN_IF_ERROR(con.Execute("SET enable_external_access = false"));
    TESSERA_RETURN_IF_ERROR(con.Execute("SET lock_configuration = true"));

    // 4. Run under a deadline.
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    std::atomic<bool> timed_out{false};
    std::thread watchdog([&] {
        std::unique_lock<std::mutex> lock(mu);
        if (!cv.wait_for(lock, std::chrono::milliseconds(options.timeout_ms), [&] { return done; })) {
            timed_out = true;
            con.Interrupt();
        }
    });
    auto stop_watchdog = [&] {
        {
            std::lock_guard<std::mutex> lock(mu);
            done = true;
        }
        cv.notify_all();
        watchdog.join();
    };
    std::string body = internal::WithoutTrailingSemicolons(sql);
    Table table;
    Result<internal::QueryResult> result = Status(StatusCode::kInternal, "not run");
    if (!tmp_output.empty()) {
        std::string format = options.output_format == "csv"    ? "FORMAT csv, HEADER true"
                             : options.output_format == "json" ? "FORMAT json"
                                                               : "FORMAT parquet";
        result = con.Query("COPY (" + body + "\n) TO " + QuoteLiteral(tmp_output) + " (" + format + ")");
    } else {
        result = con.Query("SELECT * FROM (" + body + "\n) LIMIT " + std::to_string(options.max_rows + 1));
    }
    stop_watchdog();
    if (!result.ok()) {
        if (!tmp_output.empty()) fs::remove(tmp_output, ec);
        if (timed_out) {
            return Status(StatusCode::kDeadlineExceeded,
                          "the query ran longer than " + std::to_string(options.timeout_ms) + " ms and was stopped");
        }
        return result.status();
    }
    if (!tmp_output.empty()) {
        table.rows_written = result->row_count() ? std::atoll(std::string(result->Cell(0, 0)).c_str()) : 0;
        fs::rename(tmp_output, options.output_file, ec);
        if (ec) return Unavailable("cannot move the result to " + options.output_file + ": " + ec.message());
        return table;
    }
    return internal::ToTable(*result, options.max_rows);
}

namespace {

bool IsNumericType(const std::string& t) {
    static const char* kNumeric[] = {"TINYINT",  "SMALLINT",  "INTEGER",  "BIGINT",  "HUGEINT", "UTINYINT",
                                     "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT",   "DOUBLE"};
    for (const char* n : kNumeric) {
        if (t == n) return true;
    }
    return t.rfind("DECIMAL", 0) == 0;
}

bool IsNestedType(const std::string& t) {
    return (!t.empty() && t.back() == ']') || t.rfind("STRUCT(", 0) == 0 || t.rfind("MAP(", 0) == 0;
}

std::string CsvCell(const std::optional<std::string>& v) {
    if (!v) return "";
    if (v->find_first_of(",\"\r\n") == std::string::npos) return *v;
    std::string out = "\"";
    for (char ch : *v) {
        if (ch == '"') out += '"';
        out += ch;
    }
    return out + "\"";
}

}  // namespace

std::string CsvLine(const std::vector<std::optional<std::string>>& cells) {
    std::string line;
    for (size_t c = 0; c < cells.size(); ++c) {
        if (c) line += ',';
        line += CsvCell(cells[c]);
    }
    return line + "\n";
}

std::string JsonLine(const Table& table, size_t row) {
    using Json = nlohmann::ordered_json;
    Json j = Json::object();
    const auto& cells = table.rows[row];
    for (size_t c = 0; c < cells.size(); ++c) {
        const std::string& name = table.columns[c];
        const std::string& type = table.types[c];
        Json v;
        if (!cells[c]) v = nullptr;
        else if (type == "BOOLEAN") v = *cells[c] == "true";
        else if (IsNumericType(type) || IsNestedType(type)) v = Json::parse(*cells[c], nullptr, false);
        if (cells[c] && (v.is_discarded() || v.is_null())) v = *cells[c];  // NaN, inf: as text
        j[name] = std::move(v);
    }
    return j.dump() + "\n";
}

}  // namespace tessera::engine
