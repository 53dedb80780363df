#pragma once

// The HTTP server: the catalog, the data plane and discovery as REST/JSON under `/api/v1`
// (docs/api.md, docs/openapi.json), with `/healthz`, `/readyz` and Prometheus `/metrics`. It
// runs the data plane's scheduler in the background and stops gracefully.
//
//   server::ServerOptions o;
//   o.home = ".tessera";
//   o.port = 0;  // any free port
//   TESSERA_ASSIGN_OR_RETURN(auto srv, server::Server::Create(o));
//   TESSERA_RETURN_IF_ERROR(srv->Start());   // bound and serving on its own threads
//   std::cout << srv->port();
//   srv->Stop();                              // stop accepting, finish requests, stop the scheduler
//
// Every error is an RFC 9457 problem JSON whose `type` comes from one table of `StatusCode`s.
// Request threads lease a `Catalog` each from a pool (a Catalog is single-threaded); writes are
// serialised in the process and checked against `If-Match` revisions. Thread-safe: `Stop` may
// be called from any thread (a signal handler must not call it; see cli/serve.cc).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace tessera::server {

struct ServerOptions {
    std::string home = ".tessera";   // the Tessera home: catalog.db and data/
    std::string host = "127.0.0.1";
    int port = 8080;                 // 0: any free port (see Server::port)
    int threads = 8;                 // requests handled at once (health checks are answered beyond them)
    // Requests and connections, bounded before anything is parsed (docs/security.md):
    int64_t max_body_bytes = 8 << 20;     // 413 past it, whatever the body's framing
    int read_timeout_s = 30;              // any one wait for bytes of a request / to send
    int write_timeout_s = 30;
    int header_timeout_s = 10;            // a request's line and headers, in total (408 past it)
    int body_timeout_s = 60;              // a request's body, in total (408 past it)
    int max_connections = 512;            // open at once (503 past it; 0: no limit)
    int max_connections_per_client = 64;  // open at once from one address (429 past it; 0: no limit)
    int64_t max_failed_logins = 60;       // per client address and minute, then 429 (0: no limit)
    int64_t query_timeout_ms = 60000;
    int64_t query_max_rows = 1000000;
    // DuckDB per query (docs/operations.md): threads (0: 2) and memory_limit (empty: 1GB); the
    // largest result a query may return or write.
    int query_threads = 0;
    std::string query_memory_limit;
    int64_t query_max_result_bytes = int64_t{256} << 20;
    bool allow_anonymous_read = false;
    // Serve on a non-loopback address while access control is still open (no admin bound: every
    // token holder may do everything). Refused without it; on loopback the server only warns.
    bool allow_open = false;
    // OIDC (empty issuer: off); see docs/access.md.
    std::string oidc_issuer, oidc_audience, oidc_jwks_file;
    std::string oidc_user_claim = "sub";      // the claim that names the user
    std::string oidc_groups_claim = "groups"; // the claim that lists the user's groups
    int64_t oidc_leeway_seconds = 60;         // clock skew allowed on exp, nbf and iat (0 to 300)
    // What the web catalog's login needs (GET /api/v1/auth/config): the provider's authorization
    // endpoint and the client id registered for the catalog (empty: the audience).
    std::string oidc_authorization_endpoint, oidc_client_id;
    bool scheduler = true;           // run due and upstream-triggered products in the background
    int scheduler_interval_s = 30;
    int shutdown_grace_s = 30;       // how long Stop waits for a running build before abandoning it
    // Builds (docs/operations.md, "Builds"): each runs in a child process under these limits;
    // 0 or empty: the engine's defaults. A domain's source files are read under
    // `<build_source_root>/<domain>/` (empty: `<home>/sources`).
    int build_threads = 0;
    std::string build_memory_limit;
    int64_t build_timeout_s = 0;
    std::string build_source_root;
};

// Reads a server config file (YAML or JSON: the fields of ServerOptions by their names, e.g.
// `listen: 127.0.0.1:8080`, `allow_anonymous_read: true`) over `options`. kInvalidArgument as
// `file:line:col: error: field: …` for an unknown field or a wrong type; kNotFound for no file.
Status LoadConfigFile(const std::string& path, ServerOptions* options);

// "host:port" (or ":port", or "port") into the options. kInvalidArgument when malformed.
Status ParseListen(const std::string& listen, ServerOptions* options);

// True when every address `host` resolves to is a loopback address (127.0.0.0/8, ::1, or
// ::ffff:127.x): only this machine can connect. A name that does not resolve is not loopback.
// `serve` on anything else needs a bound admin or `allow_open`.
bool IsLoopbackHost(const std::string& host);

// One route as registered, for the OpenAPI test: "GET /api/v1/domains/{domain}".
struct RouteInfo {
    std::string method;
    std::string path;
};

class Server {
public:
    virtual ~Server() = default;

    // Opens the catalog and access control of `options.home` (creating them when missing).
    // kUnavailable when they cannot be opened; kInvalidArgument for unusable OIDC settings.
    static Result<std::unique_ptr<Server>> Create(const ServerOptions& options);

    // Binds and starts serving on background threads. kUnavailable when the address is taken.
    virtual Status Start() = 0;
    // The port bound (useful with port 0).
    virtual int port() const = 0;
    // Blocks until Stop.
    virtual void Wait() = 0;
    // Stops accepting, lets requests in flight finish, stops the scheduler (a running build is
    // given `shutdown_grace_s`, then abandoned: the next run records it as failed; no snapshot is
    // lost). Returns false when a build was abandoned (its thread still runs: the caller should
    // end the process without running destructors, `_exit`). Idempotent.
    virtual bool Stop() = 0;

    // Every route the server answers, in registration order.
    virtual std::vector<RouteInfo> Routes() const = 0;
};

// The OpenAPI 3.1 document served at /api/v1/openapi.json (docs/openapi.json, embedded).
std::string_view OpenApiDocument();

}  // namespace tessera::server
