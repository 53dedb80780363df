#pragma once

// Identity and access: who the caller is (API tokens, OIDC JWTs, the local user), what their
// roles let them do (one table: `Allowed`), access requests -> approval -> grants -> revoke, the
// query policy that makes the data plane enforce grants and masks, and the append-only audit log.
//
//   TESSERA_ASSIGN_OR_RETURN(auto ac, access::AccessControl::Open(".tessera/catalog.db", {}));
//   TESSERA_ASSIGN_OR_RETURN(access::Principal who, ac->Authenticate("Bearer tsr_…"));
//   TESSERA_RETURN_IF_ERROR(ac->Authorize(who, access::Action::kWriteDomain, "orders"));
//   TESSERA_ASSIGN_OR_RETURN(auto policy, ac->QueryPolicyFor(who));
//   engine::QueryEngine q(catalog, {.data_dir = ".tessera/data"}, std::move(policy));
//
// Roles, actions, token format, JWT rules and the audit log are specified in docs/access.md.
// Access control is *open* until the first admin is bound (`BootstrapAdmin`): before that every
// local user may do everything and read every product masked, as before this module existed.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "engine/query.h"  // engine::AccessPolicy, the interface QueryPolicyFor fills (header only)

namespace tessera::access {

// A role. `kOwner` and `kDeveloper` are bound to one domain; the others are global (domain "").
enum class Role { kAdmin, kGovernance, kOwner, kDeveloper, kConsumer };
std::string_view RoleName(Role role);  // "admin", "governance", "owner", "developer", "consumer"
// kInvalidArgument naming the accepted roles.
Result<Role> ParseRole(std::string_view name);

// A role given to a subject: a user ("ann") or an OIDC group ("group:analysts").
struct RoleBinding {
    Role role = Role::kConsumer;
    std::string domain;   // for owner / developer; "" for global roles
    std::string subject;  // user, or "group:NAME"
    std::string granted_by;
    int64_t created_at_ms = 0;
    bool operator==(const RoleBinding& o) const {
        return role == o.role && domain == o.domain && subject == o.subject;
    }
};

// Who is calling, with every role that applies to them (their own and their groups').
struct Principal {
    std::string user;             // "" when anonymous
    bool anonymous = false;
    std::string method;           // "token", "oidc", "local", "anonymous"
    std::vector<std::string> groups;  // OIDC groups
    std::vector<RoleBinding> roles;
    bool open_mode = false;       // no admin bound yet: everything is allowed (see the header comment)

    bool Has(Role role, std::string_view domain = "") const;
};

// What a caller may want to do; `Allowed` is the one table (docs/access.md).
enum class Action {
    kReadCatalog,     // list, get, describe, search, lineage
    kRequestAccess,   // ask for a grant
    kQueryData,       // run queries at all (which products: grants, see QueryPolicyFor)
    kWriteDomain,     // apply, delete, run the products of a domain
    kApproveAccess,   // approve, deny, revoke access to a domain's products
    kManageRoles,     // grant and revoke roles (owners: developer/consumer in their domain)
    kManagePolicies,  // governance: policies, waivers
    kReadAudit,       // the audit log
    kManageTokens,    // tokens of other users
    kAdmin,           // everything else of the platform (bootstrap, serve settings)
};
std::string_view ActionName(Action action);

// True when `principal` may do `action` in `domain` ("" for actions that are not per domain).
bool Allowed(const Principal& principal, Action action, std::string_view domain = "");

struct OidcConfig {
    std::string issuer;      // exact `iss`; empty: OIDC is off
    std::string audience;    // must be in `aud`
    std::string jwks_file;   // a JWKS document (RSA and P-256 EC keys)
    std::string user_claim = "sub";
    std::string groups_claim = "groups";
    int64_t leeway_seconds = 60;
};

struct AccessConfig {
    // Without an Authorization header: an anonymous principal that may only read the catalog.
    bool allow_anonymous_read = false;
    // Every authenticated user holds the consumer role without a binding.
    bool authenticated_are_consumers = true;
    OidcConfig oidc;
    // Failed authentications with credentials from one client address in a minute before that
    // address is refused for the rest of the minute (`LoginRetryAfter`); 0: no limit.
    int64_t max_failed_logins = 60;
    // Unix milliseconds now; the system clock when empty (tests move time forward).
    std::function<int64_t()> clock;
};

struct TokenInfo {
    std::string id;           // public part of the token, "tsr_<id>_…"
    std::string user;
    std::string description;
    std::string created_by;
    int64_t created_at_ms = 0;
    int64_t expires_at_ms = 0;  // 0: never
    int64_t revoked_at_ms = 0;  // 0: live
};

// A token as created: `secret` is the whole bearer token, shown once and never stored.
struct NewToken {
    TokenInfo info;
    std::string secret;
};

struct AccessRequestInput {
    std::string product;               // "domain.product"
    std::string reason;
    std::vector<std::string> columns;  // empty: every column
    bool unmasked = false;
    int64_t until_ms = 0;              // 0: until revoked
};

// An access request and what became of it.
struct AccessRequest {
    int64_t id = 0;
    std::string user;
    std::string product;
    std::string reason;
    std::vector<std::string> columns;
    bool unmasked = false;
    int64_t until_ms = 0;
    std::string state;  // pending | approved | denied
    std::string decided_by;
    std::string decision_reason;
    int64_t created_at_ms = 0;
    int64_t decided_at_ms = 0;
    int64_t grant_id = 0;  // when approved
};

// The right of one user to read one product.
struct Grant {
    int64_t id = 0;
    std::string user;
    std::string product;
    std::vector<std::string> columns;  // empty: every column
    bool unmasked = false;
    int64_t expires_at_ms = 0;  // 0: until revoked
    std::string granted_by;
    int64_t request_id = 0;
    int64_t created_at_ms = 0;
    int64_t revoked_at_ms = 0;
    std::string revoked_by;
    bool Active(int64_t now_ms) const {
        return revoked_at_ms == 0 && (expires_at_ms == 0 || now_ms < expires_at_ms);
    }
};

// One line of the audit log.
struct AuditEvent {
    int64_t id = 0;
    int64_t at_ms = 0;      // set by the log when 0
    std::string user;       // who ("" anonymous)
    std::string action;     // "token.create", "access.approve", "query", "apply", …
    std::string target;     // what: a product, a token id, a request id
    std::string outcome;    // "ok", "denied", "error"
    std::string details;    // for people (a reason, the SQL)
    int64_t rows = -1;      // rows returned by a query, -1 otherwise
};

struct AuditFilter {
    int64_t since_ms = 0;
    std::string user;
    std::string action;  // a prefix: "access" matches access.*
    int64_t limit = 1000;
};

struct RequestFilter {
    std::string user;      // requests by this user
    std::string domain;    // requests for products of this domain
    std::string state;     // pending | approved | denied
};

struct GrantFilter {
    std::string user;
    std::string product;
    bool active_only = true;
};

// The access control of one catalog. Thread-safe: one instance may be shared by every thread of
// the server (calls are serialised on an internal mutex; the policies it hands out are immutable
// snapshots). Every write is recorded in the audit log in the same transaction.
class AccessControl {
public:
    virtual ~AccessControl() = default;

    // Opens the access tables of the catalog at `catalog_path` (created and migrated when
    // needed). kInvalidArgument when the OIDC settings or the JWKS file are unusable (the message
    // names the file and field); kUnavailable when the catalog cannot be opened.
    static Result<std::unique_ptr<AccessControl>> Open(const std::string& catalog_path, AccessConfig config);

    // The caller of an HTTP request, from its `Authorization` header value ("Bearer …", or empty).
    // An API token or an OIDC JWT. kUnauthenticated for a missing header (unless anonymous read
    // is configured), an unknown, revoked or expired token, or a JWT that fails any check.
    // `client` is the caller's network address ("" when unknown). Failures are audited in
    // aggregate, so that nobody fills the append-only log by failing: per client and reason, the
    // first failure of a minute is written at once and the others of that minute as one row
    // with their count (action `authenticate`, outcome `denied`, target the client).
    virtual Result<Principal> Authenticate(std::string_view authorization_header, std::string_view client) = 0;
    Result<Principal> Authenticate(std::string_view authorization_header) { return Authenticate(authorization_header, ""); }

    // Seconds until `client` may authenticate again, after `max_failed_logins` failures with
    // credentials in the current minute; 0 when it may now. A door asks before `Authenticate`
    // and refuses the request while this is positive (HTTP: 429 with Retry-After); the refused
    // attempts are counted into the aggregated audit.
    virtual int64_t LoginRetryAfter(std::string_view client) = 0;

    // The principal of a local CLI user (trusted: whoever runs the binary owns the files).
    virtual Result<Principal> LocalPrincipal(const std::string& user) = 0;

    // OK when allowed; otherwise kUnauthenticated (anonymous) or kPermissionDenied with the
    // missing role in the message. Denials are audited.
    virtual Status Authorize(const Principal& principal, Action action, std::string_view domain = "") = 0;

    // True once an admin is bound: access is enforced.
    virtual Result<bool> Secured() = 0;

    // Binds `user` as the first admin. kFailedPrecondition when an admin exists already. The caller
    // checks that the process owns the catalog files (the CLI does).
    virtual Status BootstrapAdmin(const std::string& user) = 0;

    // --- API tokens ---
    // A new token for `user` (the actor's own, or anyone's with kManageTokens). The secret is in
    // the result only. kInvalidArgument for a bad user name or an expiry in the past.
    virtual Result<NewToken> CreateToken(const Principal& actor, const std::string& user, int64_t expires_at_ms,
                                         const std::string& description) = 0;
    // Tokens of `user` (every user when empty and the actor may manage tokens); never secrets.
    virtual Result<std::vector<TokenInfo>> Tokens(const Principal& actor, const std::string& user) = 0;
    // kNotFound for an unknown id; kFailedPrecondition when already revoked.
    virtual Status RevokeToken(const Principal& actor, const std::string& id) = 0;

    // --- Roles ---
    // kAlreadyExists / kNotFound for a binding that is / is not there; kInvalidArgument when a
    // domain role lacks its domain or a global role has one; kNotFound for an unknown domain.
    virtual Status GrantRole(const Principal& actor, const RoleBinding& binding) = 0;
    virtual Status RevokeRole(const Principal& actor, const RoleBinding& binding) = 0;
    virtual Result<std::vector<RoleBinding>> Roles(const std::string& subject) = 0;

    // --- Access requests and grants ---
    // kNotFound for an unknown product or column; kAlreadyExists while the same user has a
    // pending request for the product.
    virtual Result<AccessRequest> RequestAccess(const Principal& actor, const AccessRequestInput& input) = 0;
    // Requests matching `filter`, oldest first. Not checked here: who may list whose requests is
    // the caller's rule (the local CLI shows all; a server route may limit a consumer to theirs).
    virtual Result<std::vector<AccessRequest>> Requests(const RequestFilter& filter) = 0;
    // The requests the actor may decide (pending, in domains they own/develop, or all for admins).
    virtual Result<std::vector<AccessRequest>> Queue(const Principal& actor) = 0;
    // Approve creates the grant. kPermissionDenied unless the actor owns/develops the product's
    // domain or is an admin; kFailedPrecondition when the request is decided already.
    virtual Result<AccessRequest> Approve(const Principal& actor, int64_t request_id, const std::string& reason) = 0;
    virtual Result<AccessRequest> Deny(const Principal& actor, int64_t request_id, const std::string& reason) = 0;
    // kNotFound / kFailedPrecondition (revoked already) / kPermissionDenied as for Approve.
    virtual Result<Grant> RevokeGrant(const Principal& actor, int64_t grant_id, const std::string& reason) = 0;
    // Grants matching `filter`, oldest first (not checked, as for Requests).
    virtual Result<std::vector<Grant>> Grants(const GrantFilter& filter) = 0;

    // What `principal` may read, as the data plane's policy: a snapshot of their grants and
    // roles now. Owners and developers read their domain unmasked; admins read everything masked;
    // others read what an active grant names (its columns only; masked unless unmasked).
    virtual Result<std::unique_ptr<engine::AccessPolicy>> QueryPolicyFor(const Principal& principal) = 0;

    // --- Audit ---
    // Appends one event (append-only: there is no way to change or delete one).
    virtual Status Audit(AuditEvent event) = 0;
    // Newest first. kPermissionDenied without kReadAudit.
    virtual Result<std::vector<AuditEvent>> AuditLog(const Principal& actor, const AuditFilter& filter) = 0;
};

// "tsr_<16 hex>_<43 base64url>": true when `token` has the shape of a Tessera API token.
bool LooksLikeApiToken(std::string_view token);

// Who holds an active grant on the product of `port` (`domain.product` or `domain.product.port`):
// each user once, oldest grant first. What `plan` and `impact` list among the consumers a change
// hits. Errors of the store pass through.
Result<std::vector<std::string>> GrantHolders(AccessControl& access, const std::string& port);

}  // namespace tessera::access
