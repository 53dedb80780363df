// tessera version: the binary's version and what it was built with.

#include <iostream>

#include "cli/context.h"
#include "store/store.h"

namespace tessera::cli {

void RegisterVersion(CLI::App& app, Context& ctx) {
    auto* sub = app.add_subcommand("version", "Print the version of tessera");
    sub->callback([&ctx] {
        ctx.run = [&ctx] {
            if (ctx.Structured()) {
                ctx.PrintStructured({{"tessera", TESSERA_VERSION}, {"sqlite", store::SqliteVersion()}});
            } else {
                std::cout << "tessera " << TESSERA_VERSION << " (sqlite " << store::SqliteVersion() << ")\n";
            }
            return kExitOk;
        };
    });
}

}  // namespace tessera::cli
