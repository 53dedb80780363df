// tessera query "SQL": read data products in the sandbox, as a table, CSV, JSON or a file.

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/context.h"
#include "cli/identity.h"
#include "common/text.h"
#include "engine/query.h"

namespace tessera::cli {
namespace {

struct QueryCliOptions {
    std::string sql;
    std::string as_user;
    std::string format = "table";
    std::string output;
    double timeout_s = 60;
    int64_t max_rows = 100000;
};

int PrintResult(Context& ctx, const QueryCliOptions& o, const engine::Table* table);

// The query through the server: the result comes back as a table (printed as locally), or as
// the file's bytes with --output (written to a temporary file, then renamed into place).
int RunQueryRemote(Context& ctx, const QueryCliOptions& o) {
    if (!o.as_user.empty()) return ctx.Fail(InvalidArgument("--as: a server queries as the user of the token; drop --as"));
    bool to_file = !o.output.empty();
    if (o.format == "parquet" && !to_file) return ctx.Fail(InvalidArgument("--format parquet needs --output FILE"));
    std::string format = !to_file ? "table" : (o.format == "table" || o.format == "parquet") ? "parquet"
                                            : o.format == "json" ? "jsonl" : "csv";
    nlohmann::ordered_json body = {{"sql", o.sql}, {"format", format}, {"max_rows", o.max_rows},
                                   {"timeout_ms", static_cast<int64_t>(o.timeout_s * 1000)}};
    std::string raw;
    auto answer = ctx.OpenRemote()->Send("POST", "/api/v1/query", body.dump(), "application/json", {}, to_file ? &raw : nullptr);
    if (!answer.ok()) return ctx.Fail(answer.status());
    if (to_file) {
        std::string tmp = o.output + ".partial";
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            out.write(raw.data(), static_cast<std::streamsize>(raw.size()));
            if (!out.flush()) return ctx.Fail(Unavailable("cannot write " + tmp));
        }
        std::error_code ec;
        std::filesystem::rename(tmp, o.output, ec);
        if (ec) return ctx.Fail(Unavailable("cannot write " + o.output + ": " + ec.message()));
        ctx.Say("wrote " + answer->value("rows", std::string("0")) + " rows to " + o.output);
        return kExitOk;
    }
    engine::Table table;
    for (const auto& c : (*answer)["columns"]) table.columns.push_back(c.get<std::string>());
    for (const auto& t : (*answer)["types"]) table.types.push_back(t.get<std::string>());
    for (const auto& r : (*answer)["rows"]) {
        std::vector<std::optional<std::string>> row;
        for (const auto& v : r) row.push_back(v.is_null() ? std::nullopt : std::optional<std::string>(v.get<std::string>()));
        table.rows.push_back(std::move(row));
    }
    table.truncated = answer->value("truncated", false);
    return PrintResult(ctx, o, &table);
}

int RunQuery(Context& ctx, const QueryCliOptions& o) {
    if (ctx.yaml) return ctx.Fail(InvalidArgument("query prints a table, CSV or JSON lines: use --format, not --yaml"));
    if (ctx.Remote()) return RunQueryRemote(ctx, o);
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    // Who reads decides what: the caller's grants and roles become the sandbox's policy.
    auto ac = OpenAccessControl(ctx);
    if (!ac) return ctx.exit_code;
    auto me = LocalCaller(ctx, *ac, o.as_user);
    if (!me) return ctx.exit_code;
    auto policy = ac->QueryPolicyFor(*me);
    if (!policy.ok()) return ctx.Fail(policy.status());
    engine::QueryConfig config;
    config.data_dir = ctx.DataDir();
    engine::QueryEngine engine(*cat, std::move(config), std::move(*policy));
    engine::QueryOptions options;
    options.user = me->user;
    options.timeout_ms = static_cast<int64_t>(o.timeout_s * 1000);
    options.max_rows = o.max_rows;
    bool to_file = !o.output.empty();
    if (o.format == "parquet" && !to_file) {
        return ctx.Fail(InvalidArgument("--format parquet needs --output FILE"));
    }
    if (to_file) {
        options.output_file = o.output;
        options.output_format = o.format == "table" ? "parquet" : o.format;
    }
    auto table = engine.Run(o.sql, options);
    access::AuditEvent event;
    event.user = me->user;
    event.action = "query";
    event.target = text::Truncate(o.sql, 200);
    if (table.ok()) {
        event.rows = to_file ? table->rows_written : static_cast<int64_t>(table->rows.size());
        if (to_file) event.details = "to " + o.output;
    } else {
        event.outcome = table.status().code() == StatusCode::kPermissionDenied ? "denied" : "error";
        event.details = table.status().message();
    }
    if (Status logged = ac->Audit(event); !logged.ok()) {
        return ctx.Fail(Status(logged.code(), "the query could not be recorded in the audit log: " + logged.message()));
    }
    if (!table.ok()) return ctx.Fail(table.status());
    if (to_file) {
        ctx.Say("wrote " + std::to_string(table->rows_written) + " rows to " + o.output);
        if (table->truncated) {
            std::cerr << "tessera: warning: the result was cut at " << o.max_rows << " rows (raise --max-rows)\n";
        }
        return kExitOk;
    }
    return PrintResult(ctx, o, &*table);
}

int PrintResult(Context& ctx, const QueryCliOptions& o, const engine::Table* table) {
    std::string format = ctx.json ? "json" : o.format;
    if (format == "csv") {
        std::cout << engine::CsvLine({table->columns.begin(), table->columns.end()});
        for (const auto& row : table->rows) std::cout << engine::CsvLine(row);
    } else if (format == "json") {  // JSON lines: one object per row
        for (size_t r = 0; r < table->rows.size(); ++r) std::cout << engine::JsonLine(*table, r);
    } else {
        std::vector<std::vector<std::string>> rows;
        for (const auto& row : table->rows) {
            std::vector<std::string> cells;
            for (const auto& v : row) cells.push_back(v ? *v : "NULL");
            rows.push_back(std::move(cells));
        }
        PrintTable(table->columns, rows);
        if (!ctx.quiet) std::cerr << "(" << table->rows.size() << (table->rows.size() == 1 ? " row" : " rows") << ")\n";
    }
    if (table->truncated) {
        std::cerr << "tessera: warning: the result was cut at " << o.max_rows << " rows (raise --max-rows, or --output FILE)\n";
    }
    return kExitOk;
}

}  // namespace

void RegisterQuery(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<QueryCliOptions>();
    auto* sub = app.add_subcommand("query", "Query data products with SQL (read-only sandbox, masks applied)");
    sub->add_option("sql", o->sql, "One SELECT; products are domain.product, ports domain.product__port, "
                                   "versions domain.product@v3")->required();
    sub->add_option("--as", o->as_user, "Query as this user (default $TESSERA_USER or $USER)");
    sub->add_option("--format", o->format, "table | csv | json (JSON lines) | parquet (with --output)")
            ->check(CLI::IsMember({"table", "csv", "json", "parquet"}));
    sub->add_option("--output", o->output, "Write the result to FILE (parquet by default, or --format csv|json)");
    sub->add_option("--timeout", o->timeout_s, "Seconds before the query is stopped (default 60)");
    sub->add_option("--max-rows", o->max_rows, "Rows returned at most (default 100000)");
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunQuery(ctx, *o); }; });
}

}  // namespace tessera::cli
