// tessera serve: the HTTP API over the catalog of --catalog, until SIGTERM or SIGINT.

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <iostream>

#include "cli/context.h"
#include "common/logging.h"
#include "server/server.h"

namespace tessera::cli {
namespace {

struct ServeOptions {
    std::string listen;
    std::string config;
    bool allow_anonymous_read = false;
    bool allow_open = false;
    bool no_scheduler = false;
    int threads = 0;
};

int RunServe(Context& ctx, const ServeOptions& o) {
    server::ServerOptions options;
    options.home = ctx.home;
    if (!o.config.empty()) {
        Status s = server::LoadConfigFile(o.config, &options);
        if (!s.ok()) {
            // Config errors already read `file:line:col: error: field: …`.
            if (s.code() == StatusCode::kInvalidArgument) {
                std::cerr << s.message() << "\n";
                return ctx.exit_code = kExitInvalid;
            }
            return ctx.Fail(s);
        }
    }
    if (!o.listen.empty()) {
        Status s = server::ParseListen(o.listen, &options);
        if (!s.ok()) return ctx.Fail(s);
    }
    if (o.allow_anonymous_read) options.allow_anonymous_read = true;
    if (o.allow_open) options.allow_open = true;
    if (o.no_scheduler) options.scheduler = false;
    if (o.threads > 0) options.threads = o.threads;

    // SIGTERM and SIGINT are taken by this thread with sigwait; every thread the server starts
    // inherits the blocked mask, so no handler runs in the middle of a request.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    auto srv = server::Server::Create(options);
    if (!srv.ok()) return ctx.Fail(srv.status());
    Status started = (*srv)->Start();
    if (!started.ok()) return ctx.Fail(started);
    // One line on stdout that scripts wait for (the port matters with --listen 127.0.0.1:0).
    std::cout << "tessera: serving " << options.home << " on http://" << options.host << ":" << (*srv)->port()
              << std::endl;
    int sig = 0;
    sigwait(&signals, &sig);
    TESSERA_LOG(kInfo) << "received " << (sig == SIGTERM ? "SIGTERM" : "SIGINT") << ": shutting down";
    bool finished = (*srv)->Stop();
    std::cout << "tessera: stopped" << std::endl;
    if (!finished) _exit(0);  // a build thread was abandoned: leave without destructors under it
    return kExitOk;
}

}  // namespace

void RegisterServe(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ServeOptions>();
    auto* sub = app.add_subcommand("serve", "Serve the catalog over HTTP (REST API, metrics, scheduler)");
    sub->add_option("--listen", o->listen, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0: any free port)");
    sub->add_option("--config", o->config, "Server config file (YAML; see docs/operations.md)");
    sub->add_flag("--allow-anonymous-read", o->allow_anonymous_read, "Let callers without a token read the catalog");
    sub->add_flag("--allow-open", o->allow_open,
                  "Serve beyond loopback although no admin is bound (everyone with a token may do everything)");
    sub->add_flag("--no-scheduler", o->no_scheduler, "Do not run due and upstream-triggered products");
    sub->add_option("--threads", o->threads, "Request threads (default 8)");
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunServe(ctx, *o); }; });
}

}  // namespace tessera::cli
