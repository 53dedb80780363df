#pragma once

// The server's implementation, shared by server.cc (transport, authentication, metrics, logs,
// scheduler) and routes.cc (the handlers). Not for use outside src/server/.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include "access/access.h"
#include "server/internal/catalog_pool.h"
#include "server/internal/connections.h"
#include "server/internal/metrics.h"
#include "engine/runner.h"
#include "server/server.h"

namespace tessera::server::internal {

// One request being answered: the route's path parameters, the caller, and the response.
struct Call {
    const httplib::Request& req;
    httplib::Response& res;
    std::vector<std::string> params;  // the route template's {…} values, in order
    access::Principal who;
    std::string route;  // the template
    std::string Query(const std::string& name, const std::string& fallback = "") const {
        return req.has_param(name.c_str()) ? req.get_param_value(name.c_str()) : fallback;
    }
};

// What a route requires before its handler runs.
enum class Auth {
    kPublic,   // health, metrics, the OpenAPI document: answered at once, never queued
    kCaller,   // any authenticated caller (or anonymous when allowed); the handler authorizes;
               // runs in one of `threads` request slots
};

using Handler = std::function<Status(Call&)>;

class HttpServer : public Server {
public:
    HttpServer(ServerOptions options, std::unique_ptr<access::AccessControl> access);
    ~HttpServer() override;

    Status Start() override;
    int port() const override { return port_; }
    void Wait() override;
    bool Stop() override;
    std::vector<RouteInfo> Routes() const override { return routes_; }

    // --- for the handlers ---
    CatalogPool& pool() { return pool_; }
    access::AccessControl& access() { return *access_; }
    Metrics& metrics() { return metrics_; }
    const ServerOptions& options() const { return options_; }
    std::mutex& write_mutex() { return write_mu_; }
    // Wakes the scheduler (after a write or a manual run: upstream triggers may be due).
    void NudgeScheduler();

    // A consumer query in the data plane's sandbox, as POST /api/v1/query and a product's sample
    // run it (sandboxed_query.cc): the caller needs `query-data` and an identity
    // (`AuthorizeQuery`), their grants and roles become the sandbox's policy, and every query is
    // audited with its rows, refused ones too. Returns the engine's codes (kPermissionDenied for
    // an ungranted product, kFailedPrecondition before a first snapshot, …).
    struct SandboxedQuery {
        engine::Table table;
        std::shared_ptr<const engine::AccessPolicy> policy;  // what decided masks and rights
    };
    Result<SandboxedQuery> RunSandboxedQuery(const access::Principal& who, const std::string& sql,
                                             const engine::QueryOptions& options);
    // kUnauthenticated for anonymous callers, kPermissionDenied without `query-data`.
    Status AuthorizeQuery(const access::Principal& who);
    // The routes the web catalog needs (web_routes.cc); RegisterRoutes registers them last.
    void RegisterWebRoutes();
    // The product of a route's path (`{domain}`, `{product}`), once the caller may read the
    // catalog of its domain. kNotFound (with suggestions) when it is not a data product.
    Result<catalog::StoredEntity> ReadProduct(const Call& c, catalog::Catalog& cat);

private:
    void Route(const std::string& method, const std::string& path, Auth auth, Handler handler);
    void Dispatch(const std::string& method, const std::string& path, Auth auth, const Handler& handler,
                  const httplib::Request& req, httplib::Response& res);
    void RegisterRoutes();  // routes.cc
    void RegisterWebAssets();  // web_assets.cc: the web catalog, after the API routes
    void SchedulerLoop();
    // How builds run: the snapshot store, and the build limits and source root of the options.
    engine::EngineOptions BuildOptions() const;

    ServerOptions options_;
    std::unique_ptr<access::AccessControl> access_;
    CatalogPool pool_;
    Metrics metrics_;
    BoundedServer http_;
    std::counting_semaphore<> request_slots_;  // `threads` handlers of kCaller routes at once
    std::vector<RouteInfo> routes_;
    int port_ = 0;
    std::mutex write_mu_;  // one writer at a time in this process (If-Match checks are then exact)
    std::thread listener_;
    std::thread scheduler_;
    std::future<void> scheduler_done_;
    std::mutex sched_mu_;
    std::condition_variable sched_cv_;
    bool sched_nudged_ = false;      // guarded by sched_mu_
    std::atomic<bool> stopping_{false};
    std::atomic<bool> stopped_{false};
    bool stop_result_ = true;
    std::mutex stop_mu_;
    // Principals of recent Authorization headers, kept for one second: authentication looks up
    // the token in the catalog under the access module's lock, which would otherwise serialise
    // every request. A revoked or expired token stops working within that second.
    struct CachedPrincipal {
        access::Principal who;
        std::chrono::steady_clock::time_point until;
    };
    std::mutex auth_mu_;
    std::map<std::string, CachedPrincipal> auth_cache_;  // guarded by auth_mu_
    // The caller of `req` (its Authorization header, from its client address); on failure writes
    // the problem (401, or 429 with Retry-After after too many failed logins) and returns nullopt.
    std::optional<access::Principal> AuthenticateOrReply(const httplib::Request& req, httplib::Response& res);
    // Refuses before the body is read what the server will not read (415 a Content-Encoding, 413
    // too long, 400 a bad Content-Length) and authenticates requests that carry a body, so that
    // nobody unknown makes the server read or parse one. Handled: the answer is written.
    httplib::Server::HandlerResponse PreRoute(const httplib::Request& req, httplib::Response& res);

public:
    // Answers of reads that depend only on the catalog's revision (a product's document), by path:
    // valid while the catalog stays at `revision`. Thread-safe.
    struct CachedBody {
        int64_t revision = 0;
        std::string etag;
        std::string body;
    };
    bool CachedRead(const std::string& path, int64_t revision, CachedBody* out);
    void CacheRead(const std::string& path, CachedBody body);

    // The whole mesh's policy check and scorecard (web_routes.cc), shared by every request. The
    // first call computes it; later calls answer the newest one at once and, when the catalog has
    // moved on or it is older than 60 seconds (runs, issues and waivers change without a
    // revision), recompute it on a background thread (one at a time; the server's destructor
    // waits for it). Thread-safe.
    struct GovernanceView;
    Result<std::shared_ptr<const GovernanceView>> Governance();

private:
    std::mutex cache_mu_;
    std::map<std::string, CachedBody> read_cache_;  // guarded by cache_mu_
    Result<std::shared_ptr<const GovernanceView>> ComputeGovernance();
    std::mutex governance_mu_;                          // also held while the first check is computed
    std::shared_ptr<const GovernanceView> governance_;  // guarded by governance_mu_
    bool governance_refreshing_ = false;                // guarded by governance_mu_
    std::jthread governance_refresh_;                   // last member: joined before the others go
};

// Writes `j` as the JSON body.
void ReplyJson(httplib::Response& res, const nlohmann::ordered_json& j, int status = 200);
// Writes a problem document for `s`.
void ReplyProblem(httplib::Response& res, const Status& s, const std::string& instance);

}  // namespace tessera::server::internal
