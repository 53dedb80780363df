// The consumer query of the data plane, shared by POST /api/v1/query and a product's sample
// (docs/api.md, docs/access.md): one place that turns a caller into the sandbox's policy and
// audits what they read.

#include <algorithm>

#include "common/logging.h"
#include "engine/query.h"
#include "server/internal/http_server.h"

namespace tessera::server::internal {
namespace {

// Lends a shared policy to the engine (which owns the one it is given) so that the caller can
// ask the same snapshot what it masked.
class SharedPolicy : public engine::AccessPolicy {
public:
    explicit SharedPolicy(std::shared_ptr<const engine::AccessPolicy> policy) : policy_(std::move(policy)) {}
    Status CanRead(const std::string& user, const std::string& product) const override {
        return policy_->CanRead(user, product);
    }
    bool Unmasked(const std::string& user, const std::string& product, const std::string& column) const override {
        return policy_->Unmasked(user, product, column);
    }
    bool ColumnVisible(const std::string& user, const std::string& product, const std::string& column) const override {
        return policy_->ColumnVisible(user, product, column);
    }
    std::string MaskKey() const override { return policy_->MaskKey(); }

private:
    std::shared_ptr<const engine::AccessPolicy> policy_;
};

}  // namespace

Status HttpServer::AuthorizeQuery(const access::Principal& who) {
    TESSERA_RETURN_IF_ERROR(access_->Authorize(who, access::Action::kQueryData));
    if (who.anonymous || who.user.empty()) {
        return Status(StatusCode::kUnauthenticated, "querying data needs an identity: send a bearer token");
    }
    return Status::Ok();
}

Result<HttpServer::SandboxedQuery> HttpServer::RunSandboxedQuery(const access::Principal& who, const std::string& sql,
                                                                 const engine::QueryOptions& options) {
    TESSERA_RETURN_IF_ERROR(AuthorizeQuery(who));
    TESSERA_ASSIGN_OR_RETURN(std::unique_ptr<engine::AccessPolicy> owned, access_->QueryPolicyFor(who));
    std::shared_ptr<const engine::AccessPolicy> policy(std::move(owned));
    TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
    engine::QueryConfig config;
    config.data_dir = options_.home + "/data";
    config.threads = options_.query_threads;
    config.memory_limit = options_.query_memory_limit;
    engine::QueryEngine engine(*cat, std::move(config), std::make_unique<SharedPolicy>(policy));
    engine::QueryOptions limited = options;
    limited.max_result_bytes = std::min(limited.max_result_bytes, options_.query_max_result_bytes);
    auto table = engine.Run(sql, limited);
    if (!table.ok()) {
        (void)access_->Audit({0, 0, who.user, "query", "",
                              table.status().code() == StatusCode::kPermissionDenied ? "denied" : "error", sql, -1});
        return table.status();
    }
    int64_t rows = options.output_file.empty() ? static_cast<int64_t>(table->rows.size()) : table->rows_written;
    // docs/access.md: a query whose audit line cannot be written fails (nothing is answered).
    if (Status logged = access_->Audit({0, 0, who.user, "query", "", "ok", sql, rows}); !logged.ok()) {
        TESSERA_LOG(kError) << "query by " << who.user << " not answered: its audit line failed: " << logged.ToString();
        return Unavailable("the query could not be recorded in the audit log, so its result is withheld; retry later "
                           "(the server's log says why)");
    }
    return SandboxedQuery{std::move(table).value(), std::move(policy)};
}

}  // namespace tessera::server::internal
