#include "engine/sql_sandbox.h"

#include <atomic>
#include <cassert>
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

std::string_view ColumnTypeName(ColumnType type) {
    switch (type) {
        case ColumnType::kVarchar: return "VARCHAR";
        case ColumnType::kBigint: return "BIGINT";
        case ColumnType::kDouble: return "DOUBLE";
        case ColumnType::kBoolean: return "BOOLEAN";
        case ColumnType::kTimestamp: return "TIMESTAMP";
        case ColumnType::kVarcharList: return "VARCHAR[]";
    }
    return "";
}

InputCell InputCell::Int(int64_t value) {
    InputCell cell(Kind::kInt);
    cell.integer_ = value;
    return cell;
}

InputCell InputCell::Double(double value) {
    InputCell cell(Kind::kDouble);
    cell.double_ = value;
    return cell;
}

InputCell InputCell::Bool(bool value) {
    InputCell cell(Kind::kBool);
    cell.integer_ = value ? 1 : 0;
    return cell;
}

InputCell InputCell::Timestamp(int64_t unix_ms) {
    InputCell cell(Kind::kTimestamp);
    cell.integer_ = unix_ms * 1000;
    return cell;
}

InputCell InputCell::List(std::span<const std::string> items) {
    InputCell cell(Kind::kList);
    cell.items_ = items;
    return cell;
}

namespace {

InputCell::Kind KindOf(ColumnType type) {
    switch (type) {
        case ColumnType::kVarchar: return InputCell::Kind::kText;
        case ColumnType::kBigint: return InputCell::Kind::kInt;
        case ColumnType::kDouble: return InputCell::Kind::kDouble;
        case ColumnType::kBoolean: return InputCell::Kind::kBool;
        case ColumnType::kTimestamp: return InputCell::Kind::kTimestamp;
        case ColumnType::kVarcharList: return InputCell::Kind::kList;
    }
    return InputCell::Kind::kNull;
}

internal::ColumnType InternalType(ColumnType type) {
    switch (type) {
        case ColumnType::kVarchar: return internal::ColumnType::kVarchar;
        case ColumnType::kBigint: return internal::ColumnType::kBigint;
        case ColumnType::kDouble: return internal::ColumnType::kDouble;
        case ColumnType::kBoolean: return internal::ColumnType::kBoolean;
        case ColumnType::kTimestamp: return internal::ColumnType::kTimestamp;
        case ColumnType::kVarcharList: return internal::ColumnType::kVarcharList;
    }
    return internal::ColumnType::kVarchar;
}

}  // namespace

InputTable::InputTable(std::string name, std::vector<std::pair<std::string, ColumnType>> columns)
    : name_(std::move(name)) {
    columns_.reserve(columns.size());
    for (auto& [column, type] : columns) {
        Column& c = columns_.emplace_back();
        c.name = std::move(column);
        c.type = type;
    }
}

void InputTable::Reserve(size_t rows) {
    for (Column& c : columns_) {
        c.nulls.reserve(rows);
        switch (c.type) {
            case ColumnType::kBigint:
            case ColumnType::kTimestamp: c.integers.reserve(rows); break;
            case ColumnType::kDouble: c.doubles.reserve(rows); break;
            case ColumnType::kBoolean: c.booleans.reserve(rows); break;
            case ColumnType::kVarchar: c.ends.reserve(rows); break;
            case ColumnType::kVarcharList: c.list_ends.reserve(rows); break;
        }
    }
}

void InputTable::PushNull(Column& c) {
    c.nulls.push_back(1);
    switch (c.type) {
        case ColumnType::kBigint:
        case ColumnType::kTimestamp: c.integers.push_back(0); break;
        case ColumnType::kDouble: c.doubles.push_back(0); break;
        case ColumnType::kBoolean: c.booleans.push_back(0); break;
        case ColumnType::kVarchar: c.ends.push_back(c.text.size()); break;
        case ColumnType::kVarcharList: c.list_ends.push_back(c.ends.size()); break;
    }
}

void InputTable::Push(Column& c, const InputCell& cell) {
    if (cell.kind_ == InputCell::Kind::kNull) {
        PushNull(c);
        return;
    }
    if (cell.kind_ != KindOf(c.type)) {
        assert(false && "InputTable::AddRow: a cell's kind does not match its column's type");
        if (misuse_.empty()) {
            misuse_ = "table " + name_ + ": column " + c.name + " (" + std::string(ColumnTypeName(c.type)) +
                      ") was given a cell of another type";
        }
        PushNull(c);
        return;
    }
    c.nulls.push_back(0);
    switch (c.type) {
        case ColumnType::kBigint:
        case ColumnType::kTimestamp: c.integers.push_back(cell.integer_); break;
        case ColumnType::kBoolean: c.booleans.push_back(static_cast<uint8_t>(cell.integer_)); break;
        case ColumnType::kDouble: c.doubles.push_back(cell.double_); break;
        case ColumnType::kVarchar:
            c.text.append(cell.text_);
            c.ends.push_back(c.text.size());
            break;
        case ColumnType::kVarcharList:
            for (const std::string& item : cell.items_) {
                c.text.append(item);
                c.ends.push_back(c.text.size());
            }
            c.list_ends.push_back(c.ends.size());
            break;
    }
}

void InputTable::AddRow(std::initializer_list<InputCell> cells) {
    if (cells.size() != columns_.size()) {
        assert(false && "InputTable::AddRow: one cell per column");
        if (misuse_.empty()) {
            misuse_ = "table " + name_ + ": a row of " + std::to_string(cells.size()) + " cells for " +
                      std::to_string(columns_.size()) + " columns";
        }
        return;
    }
    const InputCell* cell = cells.begin();
    for (Column& c : columns_) Push(c, *cell++);
    ++row_count_;
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
        if (!t.misuse_.empty()) return Internal(t.misuse_);
        std::vector<std::string> definitions;
        for (const InputTable::Column& c : t.columns_) {
            definitions.push_back(QuoteIdent(c.name) + " " + std::string(ColumnTypeName(c.type)));
        }
        TESSERA_RETURN_IF_ERROR(
                con.Execute("CREATE TABLE " + QuoteIdent(t.name()) + " (" + text::Join(definitions, ", ") + ")"));
    }
    // Appending is single-threaded per appender: unless held to one thread, the largest table is
    // appended on a second connection while this one appends the others.
    auto append = [](internal::Connection& to, const InputTable& t) {
        std::vector<internal::ColumnValues> values;
        for (const InputTable::Column& c : t.columns_) {
            values.push_back({.type = InternalType(c.type),
                              .nulls = c.nulls,
                              .integers = c.integers,
                              .doubles = c.doubles,
                              .booleans = c.booleans,
                              .text = c.text,
                              .ends = c.ends,
                              .list_ends = c.list_ends});
        }
        return to.Append(t.name(), values, t.row_count());
    };
    auto cells = [](const InputTable& t) { return t.row_count() * t.column_count(); };
    const InputTable* largest = nullptr;
    if (threads != 1) {
        for (const auto& t : tables) {
            if (largest == nullptr || cells(t) > cells(*largest)) largest = &t;
        }
    }
    Status beside = Status::Ok();
    std::thread helper;
    if (largest != nullptr) {
        TESSERA_ASSIGN_OR_RETURN(internal::Connection second, db.Connect());
        helper = std::thread([&append, &beside, largest, second = std::move(second)]() mutable {
            beside = append(second, *largest);
        });
    }
    Status here = Status::Ok();
    for (const auto& t : tables) {
        if (&t == largest) continue;
        here = append(con, t);
        if (!here.ok()) break;
    }
    if (helper.joinable()) helper.join();
    TESSERA_RETURN_IF_ERROR(here);
    TESSERA_RETURN_IF_ERROR(beside);
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
    return internal::ToTable(*result, options.max_rows);
}

}  // namespace tessera::engine
