// Roles and actions: the one table of who may do what (docs/access.md).

#include <array>

#include "access/access.h"

namespace tessera::access {

std::string_view RoleName(Role role) {
    switch (role) {
        case Role::kAdmin: return "admin";
        case Role::kGovernance: return "governance";
        case Role::kOwner: return "owner";
        case Role::kDeveloper: return "developer";
        case Role::kConsumer: return "consumer";
    }
    return "?";
}

Result<Role> ParseRole(std::string_view name) {
    for (Role r : {Role::kAdmin, Role::kGovernance, Role::kOwner, Role::kDeveloper, Role::kConsumer}) {
        if (RoleName(r) == name) return r;
    }
    return InvalidArgument("role: expected admin, governance, owner, developer or consumer, found \"" +
                           std::string(name) + "\"");
}

std::string_view ActionName(Action action) {
    switch (action) {
        case Action::kReadCatalog: return "read-catalog";
        case Action::kRequestAccess: return "request-access";
        case Action::kQueryData: return "query-data";
        case Action::kWriteDomain: return "write-domain";
        case Action::kApproveAccess: return "approve-access";
        case Action::kManageRoles: return "manage-roles";
        case Action::kManagePolicies: return "manage-policies";
        case Action::kReadAudit: return "read-audit";
        case Action::kManageTokens: return "manage-tokens";
        case Action::kAdmin: return "admin";
    }
    return "?";
}

bool Principal::Has(Role role, std::string_view domain) const {
    for (const auto& b : roles) {
        if (b.role == role && (b.domain.empty() || b.domain == domain)) return true;
    }
    return false;
}

bool Allowed(const Principal& p, Action action, std::string_view domain) {
    if (p.open_mode && !p.anonymous) return true;
    if (p.Has(Role::kAdmin)) return true;
    bool domain_team = !domain.empty() && (p.Has(Role::kOwner, domain) || p.Has(Role::kDeveloper, domain));
    switch (action) {
        case Action::kReadCatalog:
            return true;  // anonymous principals exist only when anonymous read is configured
        case Action::kRequestAccess:
        case Action::kQueryData:
            return !p.anonymous;
        case Action::kWriteDomain:
        case Action::kApproveAccess:
            return domain_team;
        case Action::kManageRoles:
            return !domain.empty() && p.Has(Role::kOwner, domain);
        case Action::kManagePolicies:  // a domain's own policies: its owners too
            return p.Has(Role::kGovernance) || (!domain.empty() && p.Has(Role::kOwner, domain));
        case Action::kReadAudit:
            return p.Has(Role::kGovernance);
        case Action::kManageTokens:
        case Action::kAdmin:
            return false;
    }
    return false;
}

}  // namespace tessera::access
