// The grants of one principal as the engine's AccessPolicy. The engine builds one view per
// product a query names, from this policy's answers, before the query runs: hidden columns are
// absent from the view and masked ones are masked in it, so joins, CTEs and subqueries all read
// through the same restricted view.

#include <algorithm>

#include "access/internal/query_policy.h"
#include "engine/query.h"

namespace tessera::access::internal {
namespace {

bool Covers(const Grant& g, const std::string& column) {
    return g.columns.empty() || std::find(g.columns.begin(), g.columns.end(), column) != g.columns.end();
}

std::string DomainOf(const std::string& product) { return product.substr(0, product.find('.')); }

class GrantPolicy final : public engine::AccessPolicy {
public:
    explicit GrantPolicy(ReaderRights rights) : r_(std::move(rights)) {}

    Status CanRead(const std::string& user, const std::string& product) const override {
        if (user != r_.user) {
            return {StatusCode::kPermissionDenied, "the query policy of " + r_.user + " cannot serve " + user};
        }
        if (r_.read_all_masked || Team(product) || AnyGrant(product)) return Status::Ok();
        return {StatusCode::kPermissionDenied, user + " has no grant to read " + product +
                                                       ": ask for one with `tessera access request " + product +
                                                       " --reason …`"};
    }

    bool ColumnVisible(const std::string& user, const std::string& product, const std::string& column) const override {
        if (user != r_.user) return false;
        if (r_.read_all_masked || Team(product)) return true;
        return std::any_of(r_.grants.begin(), r_.grants.end(),
                           [&](const Grant& g) { return g.product == product && Covers(g, column); });
    }

    bool Unmasked(const std::string& user, const std::string& product, const std::string& column) const override {
        if (user != r_.user) return false;
        if (Team(product)) return true;
        return std::any_of(r_.grants.begin(), r_.grants.end(),
                           [&](const Grant& g) { return g.product == product && g.unmasked && Covers(g, column); });
    }

    std::string MaskKey() const override { return r_.mask_key; }

private:
    bool Team(const std::string& product) const { return r_.team_domains.count(DomainOf(product)) > 0; }
    bool AnyGrant(const std::string& product) const {
        return std::any_of(r_.grants.begin(), r_.grants.end(), [&](const Grant& g) { return g.product == product; });
    }

    ReaderRights r_;
};

}  // namespace

std::unique_ptr<engine::AccessPolicy> MakeQueryPolicy(ReaderRights rights) {
    return std::make_unique<GrantPolicy>(std::move(rights));
}

}  // namespace tessera::access::internal
