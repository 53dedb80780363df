// tessera export NAME --format odcs|odps|dcs|jsonschema|sql-ddl|dbt|markdown [--out FILE]: a
// product of the catalog (or of a descriptor file) in an open format.

#include <filesystem>
#include <fstream>
#include <iostream>

#include <unistd.h>

#include "cli/context.h"
#include "spec/interop.h"

namespace tessera::cli {
namespace {

namespace fs = std::filesystem;

struct ExportOptions {
    std::string name;
    std::string format;
    std::string dialect = "duckdb";
    std::string out;
};

int RunExport(Context& ctx, const ExportOptions& o) {
    auto format = spec::ParseExportFormat(o.format);
    if (!format.ok())
        return ctx.Fail(format.status());
    auto dialect = spec::ParseSqlDialect(o.dialect);
    if (!dialect.ok())
        return ctx.Fail(dialect.status());
    model::DataProduct product;
    std::optional<model::Team> owner;
    std::error_code ec;
    if (fs::is_regular_file(o.name, ec)) {
        spec::LoadReport report = spec::LoadPaths({o.name});
        for (const auto& d : report.diagnostics)
            std::cerr << d.ToString() << "\n";
        if (!report.ok()) {
            ctx.exit_code = kExitInvalid;
            return kExitInvalid;
        }
        if (report.batch.products.size() != 1) {
            return ctx.Fail(InvalidArgument(o.name + ": expected one DataProduct document, found " +
                                            std::to_string(report.batch.products.size())));
        }
        product = report.batch.products.front().product;
        for (const auto& t : report.batch.teams) {
            if (t.team.name == product.owner)
                owner = t.team;
        }
    } else {
        auto cat = ctx.OpenCatalog(false);
        if (!cat)
            return ctx.exit_code;
        auto found = cat->Find(o.name);
        if (!found.ok())
            return ctx.Fail(found.status());
        auto* p = std::get_if<model::DataProduct>(&found->entity);
        if (!p)
            return ctx.Fail(InvalidArgument(o.name +
                                            " is not a data product; export takes domain.product"));
        product = *p;
        auto team = cat->Find("team/" + product.owner);
        if (team.ok()) {
            if (auto* t = std::get_if<model::Team>(&team->entity))
                owner = *t;
        }
    }
    spec::ExportOptions options;
    options.dialect = *dialect;
    options.owner = owner ? &*owner : nullptr;
    auto text = spec::Export(product, *format, options);
    if (!text.ok())
        return ctx.Fail(text.status());
    if (o.out.empty()) {
        std::cout << *text;
        return kExitOk;
    }
    fs::path path(o.out);
    if (path.has_parent_path())
        fs::create_directories(path.parent_path(), ec);
    fs::path tmp = path;
    tmp += ".tmp" + std::to_string(::getpid());
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << *text;
    out.close();
    if (!out) {
        fs::remove(tmp, ec);
        return ctx.Fail(Unavailable("cannot write " + o.out));
    }
    fs::rename(tmp, path, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return ctx.Fail(Unavailable("cannot write " + o.out + ": " + ec.message()));
    }
    ctx.Say("wrote " + o.out);
    return kExitOk;
}

}  // namespace

void RegisterExport(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ExportOptions>();
    auto* sub = app.add_subcommand(
            "export",
            "Write a data product as ODCS, ODPS, DCS, JSON Schema, SQL DDL, dbt or Markdown");
    sub->add_option("name", o->name, "domain.product in the catalog (or its URN or REST path), or a descriptor file")->transform(AnyAddressArg(PortArg::kProduct))
            ->required();
    sub->add_option("--format", o->format,
                    "odcs | odps | dcs | jsonschema | sql-ddl | dbt | markdown")
            ->required();
    sub->add_option("--dialect", o->dialect, "sql-ddl: duckdb (default) | postgres");
    sub->add_option("--out", o->out, "File to write (default: stdout); written atomically");
    sub->callback([&ctx, o] {
        ctx.run = [&ctx, o] {
            return RunExport(ctx, *o);
        };
    });
}

}  // namespace tessera::cli
