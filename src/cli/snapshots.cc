// tessera snapshots NAME: the retained versions of a product's output ports.

#include <filesystem>
#include <iostream>

#include "cli/context.h"

namespace tessera::cli {

void RegisterSnapshots(CLI::App& app, Context& ctx) {
    auto product = std::make_shared<std::string>();
    auto* sub = app.add_subcommand("snapshots", "List the published snapshots of a product (for time travel: name@vN)");
    sub->add_option("product", *product, "domain.product, its URN or REST path")->transform(ProductAddressArg(PortArg::kProduct))->required();
    sub->callback([&ctx, product] {
        ctx.run = [&ctx, product] {
            auto cat = ctx.OpenCatalog(false);
            if (!cat) return ctx.exit_code;
            auto found = cat->Find(*product);
            if (!found.ok()) return ctx.Fail(found.status());
            auto snaps = cat->Snapshots(*product);
            if (!snaps.ok()) return ctx.Fail(snaps.status());
            auto arr = nlohmann::ordered_json::array();
            std::vector<std::vector<std::string>> rows;
            for (const auto& s : *snaps) {
                rows.push_back({s.port, "v" + std::to_string(s.version), std::to_string(s.rows), FormatBytes(s.bytes),
                                FormatTime(s.created_at_ms), std::to_string(s.run_id), *product + "@v" + std::to_string(s.version)});
                arr.push_back({{"port", s.port}, {"version", s.version}, {"rows", s.rows}, {"bytes", s.bytes},
                               {"created", FormatTime(s.created_at_ms)}, {"run", s.run_id},
                               {"path", (std::filesystem::path(ctx.DataDir()) / s.path).lexically_normal().string()}});
            }
            if (ctx.Structured()) ctx.PrintStructured(arr);
            else if (!ctx.quiet && rows.empty()) std::cout << *product << " has no snapshot yet\n";
            else if (!ctx.quiet) PrintTable({"PORT", "VERSION", "ROWS", "SIZE", "CREATED", "RUN", "QUERY AS"}, rows);
            return static_cast<int>(kExitOk);
        };
    });
}

}  // namespace tessera::cli
