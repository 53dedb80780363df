#include "engine/sql_sandbox.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "engine/internal/duckdb.h"
#include "engine/internal/sql_text.h"

namespace tessera::engine {

using internal::QuoteIdent;
using internal::QuoteLiteral;

void InputTable::Push(const std::optional<std::string_view>& cell) {
    if (cell) text_.append(*cell);
    ends_.push_back(text_.size());
    nulls_.push_back(!cell.has_value());
}

void InputTable::AddRow(std::initializer_list<std::optional<std::string_view>> cells) {
    for (const auto& c : cells) Push(c);
}

void InputTable::AddRow(const std::vector<std::optional<std::string>>& cells) {
    for (const auto& c : cells) Push(c ? std::optional<std::string_view>(*c) : std::nullopt);
}

bool InputTable::Cell(size_t row, size_t column, std::string_view* text) const {
    size_t i = row * columns_.size() + column;
    if (nulls_[i]) return false;
    size_t begin = i == 0 ? 0 : ends_[i - 1];
    *text = std::string_view(text_).substr(begin, ends_[i] - begin);
    return true;
}

struct SqlSandbox::State {
    internal::Database db;
    internal::Connection con;
};

SqlSandbox::SqlSandbox(std::unique_ptr<State> state) : state_(std::move(state)) {}
SqlSandbox::~SqlSandbox() = default;

Result<std::unique_ptr<SqlSandbox>> SqlSandbox::Open(const std::vector<InputTable>& tables, int threads) {
    internal::ConfigOptions config;
    if (threads > 0) config.push_back({"threads", std::to_string(threads)});
    config.push_back({"autoinstall_known_extensions", "false"});
    config.push_back({"autoload_known_extensions", "false"});
    TESSERA_ASSIGN_OR_RETURN(internal::Database db, internal::Database::Open("", config));
    TESSERA_ASSIGN_OR_RETURN(internal::Connection con, db.Connect());
    std::set<std::string> names;
    for (const auto& t : tables) {
        if (!names.insert(text::Lower(t.name())).second) return InvalidArgument("table " + t.name() + " given twice");
        // Cells arrive as text in a staging table, then each is cast to its column's type.
        std::vector<std::string> staging_columns, typed;
        for (const auto& [column, type] : t.columns()) {
            staging_columns.push_back(QuoteIdent(column) + " VARCHAR");
            std::string source = QuoteIdent(column);
            if (type == "VARCHAR") typed.push_back(source);
            else if (type == "VARCHAR[]") typed.push_back("from_json(" + source + ", '[\"VARCHAR\"]') AS " + source);
            else typed.push_back("CAST(" + source + " AS " + type + ") AS " + source);
        }
        std::string staging = "staging_" + t.name();
        TESSERA_RETURN_IF_ERROR(
                con.Execute("CREATE TEMP TABLE " + QuoteIdent(staging) + " (" + text::Join(staging_columns, ", ") + ")"));
        TESSERA_RETURN_IF_ERROR(con.Append(
                staging, t.columns().size(),
                [&](size_t r, size_t c, std::string_view* text) { return t.Cell(r, c, text); }, t.row_count()));
        TESSERA_RETURN_IF_ERROR(con.Execute("CREATE TABLE " + QuoteIdent(t.name()) + " AS SELECT " +
                                            text::Join(typed, ", ") + " FROM " + QuoteIdent(staging)));
        TESSERA_RETURN_IF_ERROR(con.Execute("DROP TABLE " + QuoteIdent(staging)));
    }
    // Nothing but these tables: no files, no network, no extensions, no way to undo it.
    TESSERA_RETURN_IF_ERROR(con.Execute("SET allowed_directories = []"));
    TESSERA_RETURN_IF_ERROR(con.Execute("SET enable_external_access = false"));
    TESSERA_RETURN_IF_ERROR(con.Execute("SET lock_configuration = true"));
    auto state = std::make_unique<State>(State{std::move(db), std::move(con)});
    return std::unique_ptr<SqlSandbox>(new SqlSandbox(std::move(state)));
}

Result<Table> SqlSandbox::Query(const std::string& sql, const SandboxQueryOptions& options) {
    internal::Connection& con = state_->con;
    // One read statement, as DuckDB's parser sees it (json_serialize_sql accepts only SELECT).
    TESSERA_ASSIGN_OR_RETURN(std::string parsed, internal::SerializeSql(con, sql));
    auto tree = nlohmann::json::parse(parsed, nullptr, false);
    if (tree.is_discarded()) return Internal("cannot read DuckDB's parse tree");
    if (tree.value("error", false)) {
        std::string message = tree.value("error_message", std::string("not a query"));
        if (message.find("Only SELECT") != std::string::npos) {
            return InvalidArgument("expected one read query (SELECT, WITH … SELECT, VALUES), found another statement");
        }
        return InvalidArgument(message);
    }
    if (tree["statements"].size() != 1) {
        return InvalidArgument("expected one statement, found " + std::to_string(tree["statements"].size()));
    }
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
    // The statement runs as written, so that DuckDB's error positions (`LINE 2: …`) point into the
    // author's text; the row limit applies to what is kept.
    auto result = con.Query(sql);
    {
        std::lock_guard<std::mutex> lock(mu);
        done = true;
    }
    cv.notify_all();
    watchdog.join();
    if (!result.ok()) {
        if (timed_out) {
            return Status(StatusCode::kDeadlineExceeded,
                          "the query ran longer than " + std::to_string(options.timeout_ms) + " ms and was stopped");
        }
        return result.status();
    }
    Table table;
    table.columns = result->column_names();
    table.types = result->column_types();
    size_t n = result->row_count();
    if (static_cast<int64_t>(n) > options.max_rows) {
        table.truncated = true;
        n = static_cast<size_t>(options.max_rows);
    }
    table.rows.reserve(n);
    for (size_t r = 0; r < n; ++r) {
        std::vector<std::optional<std::string>> row;
        row.reserve(result->column_count());
        for (size_t c = 0; c < result->column_count(); ++c) {
            if (result->IsNull(r, c)) row.emplace_back(std::nullopt);
            else row.emplace_back(std::string(result->Cell(r, c)));
        }
        table.rows.push_back(std::move(row));
    }
    return table;
}

}  // namespace tessera::engine
