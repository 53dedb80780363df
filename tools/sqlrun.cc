// tessera-sqlrun FILE.sql [--var name=value]…
//
// Runs a DuckDB SQL script statement by statement in an in-memory database, after replacing each
// `${name}` by the value given with `--var name=value`. Prints nothing on success except the rows
// of statements that return rows: a header line of column names, then one line per row, fields
// separated by tabs (NULL prints as `NULL`; tab, newline, carriage return and backslash inside a
// value print as `\t`, `\n`, `\r`, `\\`). On the first failing statement it prints
// `FILE: error: <DuckDB's message>` to stderr and exits 1; bad arguments exit 2.
//
// Used to generate the demo's data (examples/ecommerce/generate.sql) and to check transforms
// (examples/ecommerce/verify.sh).

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>

#include "engine/internal/duckdb.h"

namespace {

using tessera::Result;
using tessera::Status;
using tessera::engine::internal::Connection;
using tessera::engine::internal::Database;
using tessera::engine::internal::QueryResult;
using tessera::engine::internal::ResultKind;

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

constexpr const char* kUsage =
        "usage: tessera-sqlrun FILE.sql [--var name=value]...\n"
        "\n"
        "Runs the DuckDB statements of FILE.sql in order in an in-memory database, after\n"
        "replacing each ${name} by the value given with --var name=value. Prints the rows of\n"
        "statements that return rows, tab-separated with a header line; nothing else on success.\n"
        "Exits 1 with 'FILE: error: <message>' when a statement fails, 2 on bad arguments.\n";

bool IsNameChar(char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
}

// Replaces `${name}` by its value. A `${name}` without a value is an error: a script that runs
// with a placeholder left in would fail later with a confusing message, or not at all.
Result<std::string> Substitute(std::string_view sql,
                               const std::map<std::string, std::string>& vars) {
    std::string out;
    out.reserve(sql.size());
    size_t i = 0;
    while (i < sql.size()) {
        if (sql.compare(i, 2, "${") == 0) {
            size_t j = i + 2;
            while (j < sql.size() && IsNameChar(sql[j], j == i + 2)) {
                ++j;
            }
            if (j > i + 2 && j < sql.size() && sql[j] == '}') {
                std::string name(sql.substr(i + 2, j - i - 2));
                auto it = vars.find(name);
                if (it == vars.end()) {
                    std::string message = "${" + name;
                    message.append("} has no value; pass --var ").append(name).append("=VALUE");
                    return tessera::InvalidArgument(std::move(message));
                }
                out += it->second;
                i = j + 1;
                continue;
            }
        }
        out += sql[i++];
    }
    return out;
}

void PrintField(std::string_view text, std::string* line) {
    for (char c : text) {
        switch (c) {
            case '\t':
                *line += "\\t";
                break;
            case '\n':
                *line += "\\n";
                break;
            case '\r':
                *line += "\\r";
                break;
            case '\\':
                *line += "\\\\";
                break;
            default:
                *line += c;
        }
    }
}

void PrintRows(const QueryResult& r) {
    std::string line;
    for (size_t c = 0; c < r.column_count(); ++c) {
        if (c > 0) {
            line += '\t';
        }
        PrintField(r.column_name(c), &line);
    }
    line += '\n';
    for (size_t row = 0; row < r.row_count(); ++row) {
        for (size_t c = 0; c < r.column_count(); ++c) {
            if (c > 0) {
                line += '\t';
            }
            if (r.IsNull(row, c)) {
                line += "NULL";
            } else {
                PrintField(r.Cell(row, c), &line);
            }
        }
        line += '\n';
        if (line.size() > (1 << 16)) {
            std::fwrite(line.data(), 1, line.size(), stdout);
            line.clear();
        }
    }
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fflush(stdout);
}

int Run(int argc, char** argv) {
    std::string file;
    std::map<std::string, std::string> vars;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            std::cout << kUsage;
            return 0;
        }
        if (arg == "--var" || arg.rfind("--var=", 0) == 0) {
            std::string_view binding;
            if (arg == "--var") {
                if (i + 1 >= argc) {
                    std::cerr << "tessera-sqlrun: error: --var needs name=value\n" << kUsage;
                    return kExitUsage;
                }
                binding = argv[++i];
            } else {
                binding = arg.substr(6);
            }
            size_t eq = binding.find('=');
            std::string_view name = binding.substr(0, eq);
            bool valid = eq != std::string_view::npos && !name.empty();
            for (size_t k = 0; valid && k < name.size(); ++k) {
                valid = IsNameChar(name[k], k == 0);
            }
            if (!valid) {
                std::cerr << "tessera-sqlrun: error: --var expects name=value with name made of "
                             "letters, "
                             "digits and '_', found '"
                          << binding << "'\n";
                return kExitUsage;
            }
            vars[std::string(name)] = std::string(binding.substr(eq + 1));
            continue;
        }
        if (arg.size() > 1 && arg[0] == '-') {
            std::cerr << "tessera-sqlrun: error: unknown option '" << arg << "'\n" << kUsage;
            return kExitUsage;
        }
        if (!file.empty()) {
            std::cerr << "tessera-sqlrun: error: one SQL file only, found '" << file << "' and '"
                      << arg << "'\n";
            return kExitUsage;
        }
        file = arg;
    }
    if (file.empty()) {
        std::cerr << kUsage;
        return kExitUsage;
    }

    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::cerr << file << ": error: cannot read the file\n";
        return kExitUsage;
    }
    std::stringstream content;
    content << in.rdbuf();

    Result<std::string> sql = Substitute(content.str(), vars);
    if (!sql.ok()) {
        std::cerr << file << ": error: " << sql.status().message() << "\n";
        return kExitFailed;
    }
    Result<Database> db = Database::Open();
    if (!db.ok()) {
        std::cerr << file << ": error: " << db.status().message() << "\n";
        return kExitFailed;
    }
    Result<Connection> con = db->Connect();
    if (!con.ok()) {
        std::cerr << file << ": error: " << con.status().message() << "\n";
        return kExitFailed;
    }
    Status status = con->QueryEach(*sql, [](size_t, const QueryResult& r) {
        if (r.kind() == ResultKind::kRows && r.row_count() > 0) {
            PrintRows(r);
        }
        return Status::Ok();
    });
    if (!status.ok()) {
        std::cerr << file << ": error: " << status.message() << "\n";
        return kExitFailed;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return Run(argc, argv);
}
