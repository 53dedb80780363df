// tessera whoami: the local caller's name, as every command records and authorizes it.

#include <cstdlib>
#include <iostream>

#include "cli/context.h"

namespace tessera::cli {

void RegisterWhoami(CLI::App& app, Context& ctx) {
    auto* sub = app.add_subcommand("whoami", "Print your user name as Tessera sees it ($TESSERA_USER, $USER, $LOGNAME, else the account)");
    sub->callback([&ctx] {
        ctx.run = [&ctx] {
            std::string user = Context::Author();
            if (ctx.Structured()) {
                ctx.PrintStructured({{"user", user}});
            } else {
                std::cout << user << "\n";
            }
            return kExitOk;
        };
    });
}

}  // namespace tessera::cli
