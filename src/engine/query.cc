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
#include "engine/internal/lockdown.h"
#include "engine/internal/sql_text.h"
#include "engine/internal/statement_check.h"
#include "engine/reader_views.h"

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

// Stops a query when its time is up: from the moment the SQL arrives, through parsing, the
// statement check, building the views and running it. DuckDB stops at its next check for an
// interruption; one call of a function runs to its end.
class Deadline {
public:
    Deadline(internal::Connection& con, int64_t timeout_ms) : con_(con) {
        watchdog_ = std::thread([this, timeout_ms] {
            std::unique_lock<std::mutex> lock(mu_);
            if (!cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [this] { return done_; })) {
                expired_ = true;
                con_.Interrupt();
            }
        });
    }
    ~Deadline() {
        {
            std::lock_guard<std::mutex> lock(mu_);
            done_ = true;
        }
        cv_.notify_all();
        watchdog_.join();
    }
    Deadline(const Deadline&) = delete;
    Deadline& operator=(const Deadline&) = delete;
    bool expired() const { return expired_; }

private:
    internal::Connection& con_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool done_ = false;
    std::atomic<bool> expired_{false};
    std::thread watchdog_;
};

// A private folder for DuckDB to spill to, removed with the query.
class SpillDir {
public:
    SpillDir() {
        unsigned char random[8];
        if (RAND_bytes(random, sizeof(random)) != 1) return;
        std::string name = "tessera-query-";
        for (unsigned char c : random) name += "0123456789abcdef"[c >> 4], name += "0123456789abcdef"[c & 15];
        std::error_code ec;
        path_ = (fs::temp_directory_path(ec) / name).string();
    }
    ~SpillDir() {
        std::error_code ec;
        if (!path_.empty()) fs::remove_all(path_, ec);
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

std::string ByteSize(int64_t bytes) {
    constexpr int64_t kMib = int64_t{1} << 20;
    return bytes >= kMib && bytes % kMib == 0 ? std::to_string(bytes / kMib) + " MiB" : std::to_string(bytes) + " bytes";
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
    if (raw_sql.size() > config_.max_sql_bytes) {
        return Status(StatusCode::kResourceExhausted,
                      "the query is " + std::to_string(raw_sql.size()) + " bytes long; at most " +
                              std::to_string(config_.max_sql_bytes) + " are accepted: shorten it");
    }
    std::string sql = RewriteVersionedNames(raw_sql);
    const int threads = config_.threads > 0 ? config_.threads : kDefaultQueryThreads;
    const std::string memory_limit = config_.memory_limit.empty() ? kDefaultQueryMemoryLimit : config_.memory_limit;
    SpillDir spill;
    internal::ConfigOptions config;
    config.push_back({"threads", std::to_string(threads)});
    config.push_back({"memory_limit", memory_limit});
    if (!spill.path().empty()) config.push_back({"temp_directory", spill.path()});
    config.push_back({"max_temp_directory_size", memory_limit});
    config.push_back({"autoinstall_known_extensions", "false"});
    config.push_back({"autoload_known_extensions", "false"});
    TESSERA_ASSIGN_OR_RETURN(internal::Database db, internal::Database::Open("", config));
    TESSERA_ASSIGN_OR_RETURN(internal::Connection con, db.Connect());
    Deadline deadline(con, options.timeout_ms);
    // Every step ends with the deadline: DuckDB forgets an interruption that came between two
    // statements, and the statement check is ours.
    auto checked = [&](Status status) -> Status {
        if (deadline.expired()) {
            return Status(StatusCode::kDeadlineExceeded,
                          "the query ran longer than " + std::to_string(options.timeout_ms) + " ms and was stopped");
        }
        if (status.code() == StatusCode::kResourceExhausted && status.message().rfind("Out of Memory", 0) == 0) {
            return Status(StatusCode::kResourceExhausted,
                          "the query needs more memory than its limit of " + memory_limit + ": " + status.message());
        }
        return status;
    };

    // 1. What is the statement? Parsed by DuckDB, its names resolved by scope.
    auto parsed = internal::SerializeSql(con, sql);
    TESSERA_RETURN_IF_ERROR(checked(parsed.status()));
    Json tree = Json::parse(*parsed, nullptr, false);
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
    auto names = internal::CheckStatement(tree["statements"][0], {});
    TESSERA_RETURN_IF_ERROR(checked(names.status()));

    // 2. Views for the products the query names, each over the files this reader may open in
    // full; nothing else exists in the sandbox, and no other file can be opened.
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
    ReaderViews readers(catalog_, {config_.data_dir, threads, memory_limit}, *access_, options.user, mask_key);
    std::vector<std::string> allowed;
    std::set<std::string> schemas;
    for (const auto& name : *names) {
        TESSERA_ASSIGN_OR_RETURN(ReaderView view, readers.View(name.schema, name.table));
        if (schemas.insert(view.schema).second) {
            TESSERA_RETURN_IF_ERROR(checked(con.Execute("CREATE SCHEMA " + QuoteIdent(view.schema))));
        }
        TESSERA_RETURN_IF_ERROR(checked(con.Execute("CREATE VIEW " + QuoteIdent(view.schema) + "." +
                                                    QuoteIdent(view.name) + " AS " + view.select)));
        allowed.insert(allowed.end(), view.files.begin(), view.files.end());
    }

    // 3. Lock the sandbox down: those files only, nothing can be changed back.
    std::error_code ec;
    std::string tmp_output;
    if (!options.output_file.empty()) {
        fs::path out = fs::absolute(options.output_file, ec);
        tmp_output = (out.parent_path() / ("." + out.filename().string() + ".tmp")).string();
        allowed.push_back(tmp_output);
    }
    TESSERA_RETURN_IF_ERROR(checked(internal::LockToFiles(con, allowed)));

    // 4. Run it, under the deadline, keeping at most max_rows rows and max_result_bytes.
    std::string body = internal::WithoutTrailingSemicolons(sql);
    const auto max_rows = static_cast<size_t>(std::max<int64_t>(options.max_rows, 0));
    const auto max_bytes = static_cast<size_t>(std::max<int64_t>(options.max_result_bytes, 0));
    Table table;
    if (tmp_output.empty()) {
        auto result = con.QueryLimited(body, max_rows, max_bytes);
        TESSERA_RETURN_IF_ERROR(checked(result.status()));
        table = internal::ToTable(result->result, options.max_rows);
        table.truncated = result->truncated;
        return table;
    }
    // A file: the first max_rows + 1 rows are kept in a temporary table (in memory, spilled past
    // the memory limit), then max_rows of them are written; the extra row tells a cut result.
    // Straight into the temporary file: DuckDB's own temporary file beside it would be outside
    // the allowed paths.
    std::string format = options.output_format == "csv"    ? "FORMAT csv, HEADER true, USE_TMP_FILE false"
                         : options.output_format == "json" ? "FORMAT json, USE_TMP_FILE false"
                                                           : "FORMAT parquet, USE_TMP_FILE false";
    Status written = checked(con.Execute("CREATE TEMP TABLE tessera_result AS SELECT * FROM (" + body + "\n) LIMIT " +
                                         std::to_string(max_rows + 1)));
    Result<internal::QueryResult> count = written.ok() ? con.Query("SELECT count(*) FROM tessera_result")
                                                       : Result<internal::QueryResult>(written);
    if (count.ok()) {
        written = checked(con.Execute("COPY (SELECT * FROM tessera_result LIMIT " + std::to_string(max_rows) + ") TO " +
                                      QuoteLiteral(tmp_output) + " (" + format + ")"));
    } else {
        written = checked(count.status());
    }
    if (written.ok()) {
        auto size = fs::file_size(tmp_output, ec);
        if (!ec && size > max_bytes) {
            written = Status(StatusCode::kResourceExhausted,
                             "the result file is larger than " + ByteSize(options.max_result_bytes) +
                                     ": select fewer rows or columns");
        }
    }
    if (!written.ok()) {
        fs::remove(tmp_output, ec);
        return written;
    }
    int64_t rows = std::atoll(std::string(count->Cell(0, 0)).c_str());
    table.truncated = rows > options.max_rows;
    table.rows_written = std::min(rows, options.max_rows);
    fs::rename(tmp_output, options.output_file, ec);
    if (ec) return Unavailable("cannot move the result to " + options.output_file + ": " + ec.message());
    return table;
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

namespace {

nlohmann::ordered_json CellValue(const std::string& type, const std::optional<std::string>& cell) {
    using Json = nlohmann::ordered_json;
    if (!cell) return nullptr;
    if (type == "BOOLEAN") return *cell == "true";
    if (IsNumericType(type) || IsNestedType(type)) {
        Json v = Json::parse(*cell, nullptr, false);
        if (!v.is_discarded()) return v;
    }
    return *cell;  // text, and numbers JSON cannot hold (NaN, infinities)
}

}  // namespace

std::string JsonLine(const Table& table, size_t row) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    const auto& cells = table.rows[row];
    for (size_t c = 0; c < cells.size(); ++c) j[table.columns[c]] = CellValue(table.types[c], cells[c]);
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string JsonCell(const std::string& type, const std::optional<std::string>& cell) {
    return CellValue(type, cell).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace tessera::engine
