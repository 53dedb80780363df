// The authorization of a batch of descriptors: see batch_authorization.h and docs/access.md.

#include "access/batch_authorization.h"

#include <map>
#include <optional>
#include <variant>

namespace tessera::access {
namespace {

// The stored version of an entity, or nullopt when the catalog has none.
template <typename T>
Result<std::optional<T>> Stored(catalog::Catalog& cat, const std::string& address) {
    auto found = cat.Find(address);
    if (!found.ok()) {
        if (found.status().code() == StatusCode::kNotFound) return std::optional<T>();
        return found.status();
    }
    if (!std::holds_alternative<T>(found->entity)) return std::optional<T>();
    return std::optional<T>(std::get<T>(found->entity));
}

// `write-domain` of `domain`; a platform-wide entity (domain "") needs `admin`.
Status WriteDomain(AccessControl& ac, const Principal& who, const std::string& domain) {
    return domain.empty() ? ac.Authorize(who, Action::kAdmin) : ac.Authorize(who, Action::kWriteDomain, domain);
}

Status AuthorizePolicy(AccessControl& ac, const Principal& who, catalog::Catalog& cat, const model::Policy& policy) {
    TESSERA_ASSIGN_OR_RETURN(auto stored, Stored<model::Policy>(cat, "policy/" + policy.name));
    TESSERA_RETURN_IF_ERROR(ac.Authorize(who, Action::kManagePolicies, policy.domain));
    if (stored && stored->domain != policy.domain) {
        TESSERA_RETURN_IF_ERROR(ac.Authorize(who, Action::kManagePolicies, stored->domain));
    }
    // The level of a rule moves through the governance workflow, where its impact is previewed
    // and the move is recorded: apply writes rules that warn, never ones that block.
    const char* why = nullptr;
    if (stored && stored->state == model::PolicyState::kEnforce) {
        why = " is enforced: apply may not change an enforced policy; change it through `tessera policy propose` "
              "(a proposal the domains approve)";
    } else if (policy.state == model::PolicyState::kEnforce) {
        why = " would be written in state enforce: apply writes policies in state proposed or warn; apply it "
              "with state warn, then `tessera policy enforce` it (governance), or `tessera policy propose` it";
    }
    if (!why) return Status::Ok();
    std::string message = "policy " + policy.name + why;
    AuditEvent denied;
    denied.user = who.user;
    denied.action = "authorize";
    denied.target = "policy/" + policy.name;
    denied.outcome = "denied";
    denied.details = message;
    (void)ac.Audit(denied);  // the refusal stands even when it cannot be logged
    return FailedPrecondition(message);
}

}  // namespace

Status AuthorizeBatch(AccessControl& ac, const Principal& who, catalog::Catalog& cat, const spec::Batch& batch,
                      const catalog::Plan& plan) {
    if (who.open_mode && !who.anonymous) return Status::Ok();
    std::map<std::string, const model::Team*> teams;
    std::map<std::string, const model::Policy*> policies;
    for (const auto& t : batch.teams) teams[t.team.name] = &t.team;
    for (const auto& p : batch.policies) policies[p.policy.name] = &p.policy;
    for (const auto& change : plan.changes) {
        if (change.action == catalog::Action::kUnchanged) continue;
        switch (change.kind) {
            case model::EntityKind::kDomain:
                TESSERA_RETURN_IF_ERROR(WriteDomain(ac, who, change.name));
                break;
            case model::EntityKind::kDataProduct:
                TESSERA_RETURN_IF_ERROR(WriteDomain(ac, who, change.name.substr(0, change.name.find('.'))));
                break;
            case model::EntityKind::kTeam: {
                auto it = teams.find(change.name);
                if (it == teams.end()) return Internal("the plan names team " + change.name + ", which the batch lacks");
                TESSERA_RETURN_IF_ERROR(WriteDomain(ac, who, it->second->domain));
                // Moving a team takes it from its domain: the domain it leaves must agree too.
                TESSERA_ASSIGN_OR_RETURN(auto stored, Stored<model::Team>(cat, "team/" + change.name));
                if (stored && stored->domain != it->second->domain) {
                    TESSERA_RETURN_IF_ERROR(WriteDomain(ac, who, stored->domain));
                }
                break;
            }
            case model::EntityKind::kPolicy: {
                auto it = policies.find(change.name);
                if (it == policies.end()) return Internal("the plan names policy " + change.name + ", which the batch lacks");
                TESSERA_RETURN_IF_ERROR(AuthorizePolicy(ac, who, cat, *it->second));
                break;
            }
        }
    }
    return Status::Ok();
}

}  // namespace tessera::access
