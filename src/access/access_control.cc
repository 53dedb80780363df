// AccessControl over the catalog's store: tokens, OIDC, roles, requests, grants, audit.

#include <algorithm>
#include <chrono>
#include <climits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "access/access.h"
#include "access/internal/crypto.h"
#include "access/internal/jwt.h"
#include "access/internal/query_policy.h"
#include "catalog/catalog.h"
#include "common/logging.h"
#include "common/text.h"
#include "engine/query.h"
#include "store/store.h"

namespace tessera::access {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kTokenPrefix = "tsr_";
constexpr size_t kTokenIdBytes = 8;       // 16 hex characters
constexpr size_t kTokenSecretBytes = 32;  // 43 base64url characters
constexpr size_t kSaltBytes = 16;

int64_t SystemNowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
}

Status Unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
Status Denied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }

// User names: logins or e-mail addresses.
bool ValidUser(std::string_view user) {
    if (user.empty() || user.size() > 128) return false;
    for (char c : user) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '-' || c == '@' || c == '+';
        if (!ok) return false;
    }
    return true;
}

Status CheckSubject(std::string_view subject) {
    std::string_view name = subject;
    if (name.rfind("group:", 0) == 0) name.remove_prefix(6);
    if (!ValidUser(name)) {
        return InvalidArgument("subject: expected a user name or group:NAME (letters, digits, . _ - @ +), found \"" +
                               std::string(subject) + "\"");
    }
    return Status::Ok();
}

std::string DomainOf(const std::string& product) {
    auto dot = product.find('.');
    return dot == std::string::npos ? "" : product.substr(0, dot);
}

std::string ColumnsJson(const std::vector<std::string>& columns) { return Json(columns).dump(); }

std::vector<std::string> ColumnsFrom(const std::string& json) {
    Json j = Json::parse(json, nullptr, false);
    std::vector<std::string> out;
    if (j.is_array()) {
        for (const auto& c : j) {
            if (c.is_string()) out.push_back(c.get<std::string>());
        }
    }
    return out;
}

RoleBinding FromRecord(const store::RoleBindingRecord& r) {
    RoleBinding b;
    auto role = ParseRole(r.role);
    b.role = role.ok() ? *role : Role::kConsumer;
    b.domain = r.domain;
    b.subject = r.subject;
    b.granted_by = r.granted_by;
    b.created_at_ms = r.created_at_ms;
    return b;
}

AccessRequest FromRecord(const store::AccessRequestRecord& r) {
    return {r.id, r.user, r.product, r.reason, ColumnsFrom(r.columns), r.unmasked, r.until_ms, r.state, r.decided_by,
            r.decision_reason, r.created_at_ms, r.decided_at_ms, r.grant_id};
}

Grant FromRecord(const store::GrantRecord& g) {
    return {g.id, g.user, g.product, ColumnsFrom(g.columns), g.unmasked, g.expires_at_ms, g.granted_by, g.request_id,
            g.created_at_ms, g.revoked_at_ms, g.revoked_by};
}

TokenInfo FromRecord(const store::TokenRecord& t) {
    return {t.id, t.user, t.description, t.created_by, t.created_at_ms, t.expires_at_ms, t.revoked_at_ms};
}

store::AuditRecord AuditOf(const Principal& actor, std::string action, std::string target, std::string details = {}) {
    store::AuditRecord a;
    a.user = actor.user;
    a.action = std::move(action);
    a.target = std::move(target);
    a.outcome = "ok";
    a.details = std::move(details);
    return a;
}

// What the denial of `action` says is missing.
std::string Needed(Action action, std::string_view domain) {
    std::string d(domain);
    switch (action) {
        case Action::kReadCatalog: return "an identity";
        case Action::kRequestAccess:
        case Action::kQueryData: return "an identity (anonymous callers may only read the catalog)";
        case Action::kWriteDomain:
        case Action::kApproveAccess: return "the role owner or developer of domain " + d + ", or admin";
        case Action::kManageRoles: return d.empty() ? "the role admin" : "the role owner of domain " + d + ", or admin";
        case Action::kManagePolicies:
            return d.empty() ? "the role governance or admin" : "the role governance, owner of domain " + d + ", or admin";
        case Action::kReadAudit: return "the role governance or admin";
        case Action::kManageTokens:
        case Action::kAdmin: return "the role admin";
    }
    return "a role";
}

// What the caller tried, for a refusal without a more precise description.
std::string Doing(Action action, std::string_view domain) {
    std::string d(domain);
    switch (action) {
        case Action::kReadCatalog: return "read the catalog";
        case Action::kRequestAccess: return "ask for access";
        case Action::kQueryData: return "query data";
        case Action::kWriteDomain: return "change domain " + d;
        case Action::kApproveAccess: return "decide access to domain " + d;
        case Action::kManageRoles: return d.empty() ? "manage roles" : "manage the roles of domain " + d;
        case Action::kManagePolicies: return d.empty() ? "manage policies" : "manage the policies of domain " + d;
        case Action::kReadAudit: return "read the audit log";
        case Action::kManageTokens: return "manage the tokens of others";
        case Action::kAdmin: return "administer the platform";
    }
    return "do that";
}

class AccessControlImpl final : public AccessControl {
public:
    AccessControlImpl(std::unique_ptr<store::Store> store, std::unique_ptr<catalog::Catalog> catalog, AccessConfig config,
                      std::optional<internal::KeySet> keys)
        : store_(std::move(store)), catalog_(std::move(catalog)), config_(std::move(config)), keys_(std::move(keys)) {}

    ~AccessControlImpl() override {
        std::lock_guard<std::mutex> lock(mu_);
        FlushFailedLogins(INT64_MAX);
    }

    Result<Principal> Authenticate(std::string_view header, std::string_view client) override {
        std::lock_guard<std::mutex> lock(mu_);
        Result<Principal> p = AuthenticateLocked(header);
        if (!p.ok()) {
            std::string message = p.status().message();  // status() is a copy
            bool presented = header.find_first_not_of(' ') != std::string_view::npos;
            if (presented) CountLoginFailure(client);
            // The reason without its particulars (a token id, a number of seconds).
            AuditFailedLogin(client, message.substr(0, message.find(':')), message);
        }
        return p;
    }

    int64_t LoginRetryAfter(std::string_view client) override {
        if (config_.max_failed_logins <= 0) return 0;
        std::lock_guard<std::mutex> lock(mu_);
        auto it = login_failures_.find(std::string(client));
        int64_t now = Now();
        if (it == login_failures_.end() || now >= it->second.start_ms + kLoginWindowMs ||
            it->second.count < config_.max_failed_logins) {
            return 0;
        }
        AuditFailedLogin(client, "too many failed logins", "refused until the minute is over");
        return (it->second.start_ms + kLoginWindowMs - now + 999) / 1000;
    }

    Result<Principal> LocalPrincipal(const std::string& user) override {
        std::lock_guard<std::mutex> lock(mu_);
        if (!ValidUser(user)) {
            return InvalidArgument("user: expected a login or e-mail address (letters, digits, . _ - @ +), found \"" +
                                   user + "\"");
        }
        return PrincipalOf(user, "local", {});
    }

    Status Authorize(const Principal& p, Action action, std::string_view domain) override {
        if (Allowed(p, action, domain)) return Status::Ok();
        std::lock_guard<std::mutex> lock(mu_);
        return DenyLocked(p, action, domain);
    }

    Result<bool> Secured() override {
        std::lock_guard<std::mutex> lock(mu_);
        return SecuredLocked();
    }

    Status BootstrapAdmin(const std::string& user) override {
        std::lock_guard<std::mutex> lock(mu_);
        if (!ValidUser(user)) return InvalidArgument("user: expected a login or e-mail address, found \"" + user + "\"");
        store::RoleBindingRecord b{user, "admin", "", user, Now()};
        store::AuditRecord a;
        a.user = user;
        a.action = "role.bootstrap";
        a.target = user;
        a.details = "first admin, bound by the owner of the catalog files";
        a.at_ms = Now();
        Status s = store_->AddFirstRoleBinding(b, a);
        if (s.code() == StatusCode::kFailedPrecondition) {
            return FailedPrecondition("an admin exists already: ask an admin to run `tessera role grant " + user + " admin`");
        }
        return s;
    }

    // --- Tokens ---

    Result<NewToken> CreateToken(const Principal& actor, const std::string& user, int64_t expires_at_ms,
                                 const std::string& description) override {
        std::lock_guard<std::mutex> lock(mu_);
        if (!ValidUser(user)) return InvalidArgument("--user: expected a login or e-mail address, found \"" + user + "\"");
        if (actor.anonymous) return Unauthenticated("creating a token needs an identity");
        if (actor.user != user && !Allowed(actor, Action::kManageTokens)) {
            return DenyLocked(actor, Action::kManageTokens, "", "create a token for " + user);
        }
        int64_t now = Now();
        if (expires_at_ms && expires_at_ms <= now) return InvalidArgument("--expires: the time is in the past");
        TESSERA_ASSIGN_OR_RETURN(std::string id_bytes, internal::RandomBytes(kTokenIdBytes));
        TESSERA_ASSIGN_OR_RETURN(std::string secret_bytes, internal::RandomBytes(kTokenSecretBytes));
        TESSERA_ASSIGN_OR_RETURN(std::string salt, internal::RandomBytes(kSaltBytes));
        store::TokenRecord t;
        t.id = internal::Hex(id_bytes);
        std::string secret = internal::Base64UrlEncode(secret_bytes);
        t.user = user;
        t.salt = internal::Hex(salt);
        t.secret_hash = internal::Hex(internal::Sha256(salt + secret));
        t.description = description;
        t.created_by = actor.user;
        t.created_at_ms = now;
        t.expires_at_ms = expires_at_ms;
        auto audit = AuditOf(actor, "token.create", "token " + t.id, "for " + user);
        audit.at_ms = now;
        TESSERA_RETURN_IF_ERROR(store_->PutToken(t, audit));
        NewToken out;
        out.info = FromRecord(t);
        out.secret = std::string(kTokenPrefix) + t.id + "_" + secret;
        return out;
    }

    Result<std::vector<TokenInfo>> Tokens(const Principal& actor, const std::string& user) override {
        std::lock_guard<std::mutex> lock(mu_);
        if (actor.anonymous) return Unauthenticated("listing tokens needs an identity");
        if ((user.empty() || user != actor.user) && !Allowed(actor, Action::kManageTokens)) {
            if (user.empty()) return TokensOf(actor.user);
            return DenyLocked(actor, Action::kManageTokens, "", "list the tokens of " + user);
        }
        return TokensOf(user);
    }

    Status RevokeToken(const Principal& actor, const std::string& id) override {
        std::lock_guard<std::mutex> lock(mu_);
        std::string bare = id;
        if (bare.rfind(kTokenPrefix, 0) == 0) bare = bare.substr(kTokenPrefix.size(), kTokenIdBytes * 2);
        TESSERA_ASSIGN_OR_RETURN(store::TokenRecord t, store_->GetToken(bare));
        if (t.user != actor.user && !Allowed(actor, Action::kManageTokens)) {
            return DenyLocked(actor, Action::kManageTokens, "", "revoke token " + bare);
        }
        auto audit = AuditOf(actor, "token.revoke", "token " + bare, "of " + t.user);
        return store_->RevokeToken(bare, Now(), audit);
    }

    // --- Roles ---

    Status GrantRole(const Principal& actor, const RoleBinding& b) override {
        std::lock_guard<std::mutex> lock(mu_);
        TESSERA_RETURN_IF_ERROR(CheckBinding(actor, b, "grant"));
        auto audit = AuditOf(actor, "role.grant", b.subject, BindingText(b));
        return store_->AddRoleBinding({b.subject, std::string(RoleName(b.role)), b.domain, actor.user, Now()}, audit);
    }

    Status RevokeRole(const Principal& actor, const RoleBinding& b) override {
        std::lock_guard<std::mutex> lock(mu_);
        TESSERA_RETURN_IF_ERROR(CheckBinding(actor, b, "revoke"));
        if (b.role == Role::kAdmin) {
            TESSERA_ASSIGN_OR_RETURN(auto all, store_->RoleBindings({}));
            bool bound = false;
            int admins = 0;
            for (const auto& r : all) {
                admins += r.role == "admin";
                bound = bound || (r.role == "admin" && r.subject == b.subject);
            }
            if (bound && admins == 1) {
                return FailedPrecondition("the last admin cannot be revoked: grant admin to someone else first");
            }
        }
        auto audit = AuditOf(actor, "role.revoke", b.subject, BindingText(b));
        return store_->RemoveRoleBinding({b.subject, std::string(RoleName(b.role)), b.domain, "", 0}, audit);
    }

    Result<std::vector<RoleBinding>> Roles(const std::string& subject) override {
        std::lock_guard<std::mutex> lock(mu_);
        std::vector<std::string> subjects;
        if (!subject.empty()) subjects.push_back(subject);
        TESSERA_ASSIGN_OR_RETURN(auto records, store_->RoleBindings(subjects));
        std::vector<RoleBinding> out;
        for (const auto& r : records) out.push_back(FromRecord(r));
        return out;
    }

    // --- Requests and grants ---

    Result<AccessRequest> RequestAccess(const Principal& actor, const AccessRequestInput& in) override {
        std::lock_guard<std::mutex> lock(mu_);
        if (actor.anonymous) return Unauthenticated("asking for access needs an identity");
        if (in.reason.empty()) return InvalidArgument("--reason: say why you need the data (the owners decide on it)");
        TESSERA_ASSIGN_OR_RETURN(const model::DataProduct* product, FindProduct(in.product));
        std::set<std::string> known;
        for (const auto& port : product->outputs) {
            for (const auto& c : port.columns) known.insert(c.name);
        }
        for (const auto& c : in.columns) {
            if (!known.count(c)) {
                std::vector<std::string_view> names(known.begin(), known.end());
                std::string close = text::ClosestMatch(c, names);
                return NotFound("--columns: " + in.product + " has no column \"" + c + "\"" +
                                (close.empty() ? "" : " (did you mean \"" + close + "\"?)"));
            }
        }
        int64_t now = Now();
        if (in.until_ms && in.until_ms <= now) return InvalidArgument("--until: the date is in the past");
        store::AccessRequestRecord r;
        r.user = actor.user;
        r.product = in.product;
        r.domain = product->domain;
        r.reason = in.reason;
        r.columns = ColumnsJson(in.columns);
        r.unmasked = in.unmasked;
        r.until_ms = in.until_ms;
        r.created_at_ms = now;
        auto audit = AuditOf(actor, "access.request", in.product, in.reason);
        audit.at_ms = now;
        TESSERA_ASSIGN_OR_RETURN(r.id, store_->AddAccessRequest(r, audit));
        r.state = "pending";
        return FromRecord(r);
    }

    Result<std::vector<AccessRequest>> Requests(const RequestFilter& f) override {
        std::lock_guard<std::mutex> lock(mu_);
        TESSERA_ASSIGN_OR_RETURN(auto records, store_->AccessRequests(f.user, f.domain, f.state));
        std::vector<AccessRequest> out;
        for (const auto& r : records) out.push_back(FromRecord(r));
        return out;
    }

    Result<std::vector<AccessRequest>> Queue(const Principal& actor) override {
        std::lock_guard<std::mutex> lock(mu_);
        TESSERA_ASSIGN_OR_RETURN(auto records, store_->AccessRequests("", "", "pending"));
        std::vector<AccessRequest> out;
        for (const auto& r : records) {
            if (Allowed(actor, Action::kApproveAccess, r.domain)) out.push_back(FromRecord(r));
        }
        return out;
    }

    Result<AccessRequest> Approve(const Principal& actor, int64_t id, const std::string& reason) override {
        return Decide(actor, id, reason, true);
    }

    Result<AccessRequest> Deny(const Principal& actor, int64_t id, const std::string& reason) override {
        return Decide(actor, id, reason, false);
    }

    Result<Grant> RevokeGrant(const Principal& actor, int64_t id, const std::string& reason) override {
        std::lock_guard<std::mutex> lock(mu_);
        TESSERA_ASSIGN_OR_RETURN(store::GrantRecord g, store_->GetGrant(id));
        // The grantee may give a grant up; otherwise the product's domain team or an admin.
        if (g.user != actor.user && !Allowed(actor, Action::kApproveAccess, DomainOf(g.product))) {
            return DenyLocked(actor, Action::kApproveAccess, DomainOf(g.product), "revoke grant " + std::to_string(id));
        }
        int64_t now = Now();
        auto audit = AuditOf(actor, "access.revoke", "grant " + std::to_string(id) + " " + g.product,
                             "of " + g.user + (reason.empty() ? "" : ": " + reason));
        audit.at_ms = now;
        TESSERA_RETURN_IF_ERROR(store_->RevokeGrant(id, actor.user, now, audit));
        g.revoked_at_ms = now;
        g.revoked_by = actor.user;
        return FromRecord(g);
    }

    Result<std::vector<Grant>> Grants(const GrantFilter& f) override {
        std::lock_guard<std::mutex> lock(mu_);
        TESSERA_ASSIGN_OR_RETURN(auto records, store_->Grants(f.user, f.product));
        std::vector<Grant> out;
        int64_t now = Now();
        for (const auto& r : records) {
            Grant g = FromRecord(r);
            if (!f.active_only || g.Active(now)) out.push_back(std::move(g));
        }
        return out;
    }

    Result<std::unique_ptr<engine::AccessPolicy>> QueryPolicyFor(const Principal& p) override {
        if (p.anonymous || p.user.empty()) {
            return Unauthenticated("querying data needs an identity: pass a token (anonymous callers may only read the catalog)");
        }
        std::lock_guard<std::mutex> lock(mu_);
        internal::ReaderRights rights;
        rights.user = p.user;
        rights.read_all_masked = p.open_mode || p.Has(Role::kAdmin);
        for (const auto& b : p.roles) {
            if ((b.role == Role::kOwner || b.role == Role::kDeveloper) && !b.domain.empty()) rights.team_domains.insert(b.domain);
        }
        TESSERA_ASSIGN_OR_RETURN(auto grants, store_->Grants(p.user, ""));
        if (mask_key_.empty()) {
            // Made by the first query of the catalog, kept in it: masked hashes stay stable.
            TESSERA_ASSIGN_OR_RETURN(std::string candidate, internal::RandomBytes(32));
            TESSERA_ASSIGN_OR_RETURN(mask_key_, store_->CatalogSecret("mask_hash_key", internal::Hex(candidate)));
        }
        rights.mask_key = mask_key_;
        int64_t now = Now();
        for (const auto& r : grants) {
            Grant g = FromRecord(r);
            if (g.Active(now)) rights.grants.push_back(std::move(g));
        }
        return internal::MakeQueryPolicy(std::move(rights));
    }

    // --- Audit ---

    Status Audit(AuditEvent e) override {
        std::lock_guard<std::mutex> lock(mu_);
        store::AuditRecord r{0, e.at_ms ? e.at_ms : Now(), e.user, e.action, e.target,
                             e.outcome.empty() ? "ok" : e.outcome, e.details, e.rows};
        return store_->AppendAudit(r).status();
    }

    Result<std::vector<AuditEvent>> AuditLog(const Principal& actor, const AuditFilter& f) override {
        std::lock_guard<std::mutex> lock(mu_);
        if (!Allowed(actor, Action::kReadAudit)) return DenyLocked(actor, Action::kReadAudit, "", "read the audit log");
        TESSERA_ASSIGN_OR_RETURN(auto records, store_->Audit({f.since_ms, f.user, f.action, f.limit}));
        std::vector<AuditEvent> out;
        for (const auto& r : records) out.push_back({r.id, r.at_ms, r.user, r.action, r.target, r.outcome, r.details, r.rows});
        return out;
    }

private:
    int64_t Now() const { return config_.clock ? config_.clock() : SystemNowMs(); }

    Result<bool> SecuredLocked() {
        TESSERA_ASSIGN_OR_RETURN(auto all, store_->RoleBindings({}));
        return std::any_of(all.begin(), all.end(), [](const auto& r) { return r.role == "admin"; });
    }

    Result<Principal> PrincipalOf(const std::string& user, const std::string& method, const std::vector<std::string>& groups) {
        Principal p;
        p.user = user;
        p.method = method;
        p.groups = groups;
        std::vector<std::string> subjects = {user};
        for (const auto& g : groups) subjects.push_back("group:" + g);
        TESSERA_ASSIGN_OR_RETURN(auto records, store_->RoleBindings(subjects));
        for (const auto& r : records) p.roles.push_back(FromRecord(r));
        if (config_.authenticated_are_consumers && !p.Has(Role::kConsumer)) {
            p.roles.push_back({Role::kConsumer, "", user, "implicit", 0});
        }
        TESSERA_ASSIGN_OR_RETURN(bool secured, SecuredLocked());
        p.open_mode = !secured;
        return p;
    }

    Result<Principal> AuthenticateLocked(std::string_view header) {
        while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
        if (header.empty()) {
            if (!config_.allow_anonymous_read) {
                return Unauthenticated("no credentials: send `Authorization: Bearer <token>` (an API token or an OIDC token)");
            }
            Principal p;
            p.anonymous = true;
            p.method = "anonymous";
            return p;
        }
        if (header.size() < 7 || text::Lower(header.substr(0, 7)) != "bearer ") {
            return Unauthenticated("unsupported Authorization scheme: expected `Bearer <token>`");
        }
        std::string_view token = header.substr(7);
        while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
        while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
        if (LooksLikeApiToken(token)) return AuthenticateApiToken(token);
        if (std::count(token.begin(), token.end(), '.') == 2) return AuthenticateJwt(token);
        return Unauthenticated("invalid bearer token: neither a Tessera API token (tsr_…) nor a JWT");
    }

    Result<Principal> AuthenticateApiToken(std::string_view token) {
        std::string id(token.substr(kTokenPrefix.size(), kTokenIdBytes * 2));
        std::string secret(token.substr(kTokenPrefix.size() + kTokenIdBytes * 2 + 1));
        auto found = store_->GetToken(id);
        const Status invalid = Unauthenticated("invalid API token: unknown token or wrong secret");
        if (!found.ok()) {
            if (found.status().code() != StatusCode::kNotFound) return found.status();
            // Spend the same work as for a known token, so timing does not tell ids apart.
            (void)internal::ConstantTimeEqual(internal::Sha256(secret), internal::Sha256(id));
            return invalid;
        }
        auto salt = internal::FromHex(found->salt);
        auto stored = internal::FromHex(found->secret_hash);
        if (!salt || !stored) return Internal("token " + id + " is stored damaged");
        if (!internal::ConstantTimeEqual(internal::Sha256(*salt + secret), *stored)) return invalid;
        if (found->revoked_at_ms) return Unauthenticated("invalid API token: token " + id + " was revoked");
        if (found->expires_at_ms && Now() >= found->expires_at_ms) {
            return Unauthenticated("invalid API token: token " + id + " expired");
        }
        return PrincipalOf(found->user, "token", {});
    }

    Result<Principal> AuthenticateJwt(std::string_view token) {
        if (!keys_) return Unauthenticated("invalid bearer token: a JWT, but OIDC is not configured on this server");
        internal::JwtRules rules{config_.oidc.issuer, config_.oidc.audience, config_.oidc.leeway_seconds};
        TESSERA_ASSIGN_OR_RETURN(internal::VerifiedJwt jwt, internal::VerifyJwt(token, *keys_, rules, Now() / 1000));
        Json claims = Json::parse(jwt.claims_json, nullptr, false);
        const std::string& user_claim = config_.oidc.user_claim;
        if (!claims.contains(user_claim) || !claims[user_claim].is_string() ||
            !ValidUser(claims[user_claim].get<std::string>())) {
            return Unauthenticated("invalid bearer token: claim " + user_claim + " is not a user name");
        }
        std::vector<std::string> groups;
        const std::string& groups_claim = config_.oidc.groups_claim;
        if (claims.contains(groups_claim)) {
            if (!claims[groups_claim].is_array()) {
                return Unauthenticated("invalid bearer token: claim " + groups_claim + " is not a list of names");
            }
            for (const auto& g : claims[groups_claim]) {
                if (g.is_string() && ValidUser(g.get<std::string>())) groups.push_back(g.get<std::string>());
            }
        }
        return PrincipalOf(claims[user_claim].get<std::string>(), "oidc", groups);
    }

    Status DenyLocked(const Principal& p, Action action, std::string_view domain, const std::string& what = "") {
        store::AuditRecord a;
        a.user = p.user;
        a.action = "authorize";
        a.target = std::string(ActionName(action)) + (domain.empty() ? "" : " " + std::string(domain));
        a.outcome = "denied";
        a.details = what.empty() ? Doing(action, domain) : what;
        a.at_ms = Now();
        (void)store_->AppendAudit(a);
        std::string doing = what.empty() ? Doing(action, domain) : what;
        if (p.anonymous) return Unauthenticated("sign in to " + doing + " (anonymous callers may only read the catalog)");
        return Denied(p.user + " may not " + doing + ": that needs " + Needed(action, domain));
    }

    std::string BindingText(const RoleBinding& b) const {
        return std::string(RoleName(b.role)) + (b.domain.empty() ? "" : " of " + b.domain);
    }

    Status CheckBinding(const Principal& actor, const RoleBinding& b, const std::string& verb) {
        TESSERA_RETURN_IF_ERROR(CheckSubject(b.subject));
        bool domain_role = b.role == Role::kOwner || b.role == Role::kDeveloper;
        if (domain_role && b.domain.empty()) {
            return InvalidArgument("--domain: the role " + std::string(RoleName(b.role)) + " is given per domain: name one");
        }
        if (!domain_role && !b.domain.empty()) {
            return InvalidArgument("--domain: the role " + std::string(RoleName(b.role)) + " is global, not per domain");
        }
        if (domain_role) {
            TESSERA_ASSIGN_OR_RETURN(auto domains, catalog_->Domains());
            bool found = std::any_of(domains.begin(), domains.end(), [&](const auto& d) { return d.name == b.domain; });
            if (!found) return NotFound("domain \"" + b.domain + "\" is not in the catalog");
        }
        // Domain owners manage developers and consumers of their domain; every other binding is an admin's.
        bool allowed = domain_role && b.role == Role::kDeveloper ? Allowed(actor, Action::kManageRoles, b.domain)
                                                                : Allowed(actor, Action::kAdmin);
        if (!allowed) {
            Action needed = domain_role && b.role == Role::kDeveloper ? Action::kManageRoles : Action::kAdmin;
            return DenyLocked(actor, needed, domain_role ? b.domain : "",
                              verb + " the role " + BindingText(b) + (verb == "grant" ? " to " : " of ") + b.subject);
        }
        return Status::Ok();
    }

    Result<const model::DataProduct*> FindProduct(const std::string& name) {
        if (name.find('.') == std::string::npos) {
            return InvalidArgument("product: expected DOMAIN.PRODUCT, found \"" + name + "\"");
        }
        auto found = catalog_->Find(name);
        if (!found.ok()) return found.status();
        if (!std::holds_alternative<model::DataProduct>(found->entity)) {
            return InvalidArgument("\"" + name + "\" is not a data product");
        }
        found_ = std::move(*found);
        return &std::get<model::DataProduct>(found_.entity);
    }

    Result<std::vector<TokenInfo>> TokensOf(const std::string& user) {
        TESSERA_ASSIGN_OR_RETURN(auto records, store_->Tokens(user));
        std::vector<TokenInfo> out;
        for (const auto& t : records) out.push_back(FromRecord(t));
        return out;
    }

    Result<AccessRequest> Decide(const Principal& actor, int64_t id, const std::string& reason, bool approve) {
        std::lock_guard<std::mutex> lock(mu_);
        TESSERA_ASSIGN_OR_RETURN(store::AccessRequestRecord r, store_->GetAccessRequest(id));
        std::string verb = approve ? "approve" : "deny";
        if (!Allowed(actor, Action::kApproveAccess, r.domain)) {
            return DenyLocked(actor, Action::kApproveAccess, r.domain,
                              verb + " access request " + std::to_string(id) + " for " + r.product);
        }
        if (r.state != "pending") {
            return FailedPrecondition("access request " + std::to_string(id) + " is " + r.state + " already (by " +
                                      r.decided_by + ")");
        }
        if (!approve && reason.empty()) return InvalidArgument("--reason: say why the request is denied");
        int64_t now = Now();
        if (approve && r.until_ms && r.until_ms <= now) {
            return FailedPrecondition("access request " + std::to_string(id) + " asked for access until a time that has passed: deny it");
        }
        r.state = approve ? "approved" : "denied";
        r.decided_by = actor.user;
        r.decision_reason = reason;
        r.decided_at_ms = now;
        std::optional<store::GrantRecord> grant;
        if (approve) {
            store::GrantRecord g;
            g.user = r.user;
            g.product = r.product;
            g.columns = r.columns;
            g.unmasked = r.unmasked;
            g.expires_at_ms = r.until_ms;
            g.granted_by = actor.user;
            g.request_id = id;
            g.created_at_ms = now;
            grant = g;
        }
        auto audit = AuditOf(actor, "access." + verb, "request " + std::to_string(id) + " " + r.product,
                             "for " + r.user + (reason.empty() ? "" : ": " + reason));
        audit.at_ms = now;
        TESSERA_ASSIGN_OR_RETURN(r.grant_id, store_->DecideAccessRequest(r, grant, audit));
        return FromRecord(r);
    }

    // --- Failed logins: counted per client for the limit, audited in aggregate per client and
    // reason, per minute. Both maps are bounded: past kMaxTracked keys, the oldest windows are
    // closed first, and past that every new key counts under the client "*".
    static constexpr int64_t kLoginWindowMs = 60 * 1000;
    static constexpr size_t kMaxTracked = 10000;
    struct LoginFailures {
        int64_t start_ms = 0;
        int64_t count = 0;
    };
    struct FailedLoginAudit {
        int64_t start_ms = 0;
        int64_t unwritten = 0;  // failures after the first, not yet in the log
        std::string last;       // the newest message
    };

    void CountLoginFailure(std::string_view client) {
        int64_t now = Now();
        if (login_failures_.size() >= kMaxTracked) {
            std::erase_if(login_failures_, [&](const auto& kv) { return now >= kv.second.start_ms + kLoginWindowMs; });
        }
        std::string key = login_failures_.size() >= kMaxTracked && !login_failures_.count(std::string(client))
                                  ? "*"
                                  : std::string(client);
        LoginFailures& f = login_failures_[key];
        if (now >= f.start_ms + kLoginWindowMs) f = {now, 0};
        ++f.count;
    }

    void AuditFailedLogin(std::string_view client, const std::string& reason, const std::string& message) {
        int64_t now = Now();
        FlushFailedLogins(now);
        std::pair<std::string, std::string> key{std::string(client), reason};
        if (failed_logins_.size() >= kMaxTracked && !failed_logins_.count(key)) key.first = "*";
        auto it = failed_logins_.find(key);
        if (it != failed_logins_.end()) {
            ++it->second.unwritten;
            it->second.last = message;
            return;
        }
        failed_logins_[key] = {now, 0, message};
        store::AuditRecord a;
        a.action = "authenticate";
        a.outcome = "denied";
        a.target = key.first;
        a.details = message;
        a.at_ms = now;
        (void)store_->AppendAudit(a);
    }

    // Writes the count of every window that ended by `now` and forgets it.
    void FlushFailedLogins(int64_t now) {
        for (auto it = failed_logins_.begin(); it != failed_logins_.end();) {
            if (now != INT64_MAX && now < it->second.start_ms + kLoginWindowMs) {
                ++it;
                continue;
            }
            if (it->second.unwritten > 0) {
                store::AuditRecord a;
                a.action = "authenticate";
                a.outcome = "denied";
                a.target = it->first.first;
                a.details = std::to_string(it->second.unwritten) + " more of \"" + it->first.second +
                            "\" within a minute; the last: " + it->second.last;
                a.at_ms = now == INT64_MAX ? Now() : now;
                (void)store_->AppendAudit(a);
            }
            it = failed_logins_.erase(it);
        }
    }

    std::mutex mu_;
    std::map<std::string, LoginFailures> login_failures_;                          // guarded by mu_
    std::map<std::pair<std::string, std::string>, FailedLoginAudit> failed_logins_;  // guarded by mu_
    std::unique_ptr<store::Store> store_;
    std::string mask_key_;  // the catalog's key of `mask: hash`, read once
    std::unique_ptr<catalog::Catalog> catalog_;
    AccessConfig config_;
    std::optional<internal::KeySet> keys_;
    catalog::StoredEntity found_;  // the product FindProduct returned last
};

}  // namespace

bool LooksLikeApiToken(std::string_view token) {
    const size_t id_len = kTokenIdBytes * 2, secret_len = 43;
    if (token.size() != kTokenPrefix.size() + id_len + 1 + secret_len) return false;
    if (token.substr(0, kTokenPrefix.size()) != kTokenPrefix) return false;
    for (size_t i = 0; i < id_len; ++i) {
        char c = token[kTokenPrefix.size() + i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    if (token[kTokenPrefix.size() + id_len] != '_') return false;
    for (char c : token.substr(kTokenPrefix.size() + id_len + 1)) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) return false;
    }
    return true;
}

Result<std::unique_ptr<AccessControl>> AccessControl::Open(const std::string& catalog_path, AccessConfig config) {
    std::optional<internal::KeySet> keys;
    if (!config.oidc.issuer.empty()) {
        if (config.oidc.audience.empty()) return InvalidArgument("oidc.audience: required with oidc.issuer");
        if (config.oidc.jwks_file.empty()) return InvalidArgument("oidc.jwks_file: required with oidc.issuer");
        auto loaded = internal::KeySet::Load(config.oidc.jwks_file);
        if (!loaded.ok()) return Status(StatusCode::kInvalidArgument, loaded.status().message());
        keys = std::move(*loaded);
        if (config.oidc.leeway_seconds < 0 || config.oidc.leeway_seconds > 300) {
            return InvalidArgument("oidc.leeway_seconds: expected 0 to 300, found " + std::to_string(config.oidc.leeway_seconds));
        }
    }
    TESSERA_ASSIGN_OR_RETURN(auto store, store::OpenSqlite(catalog_path));
    TESSERA_ASSIGN_OR_RETURN(auto catalog, catalog::Catalog::Open(catalog_path));
    TESSERA_LOG(kDebug) << "access control opened on " << catalog_path;
    return std::unique_ptr<AccessControl>(
            std::make_unique<AccessControlImpl>(std::move(store), std::move(catalog), std::move(config), std::move(keys)));
}

Result<std::vector<std::string>> GrantHolders(AccessControl& access, const std::string& port) {
    std::string product = port;
    if (std::count(port.begin(), port.end(), '.') >= 2) product = port.substr(0, port.rfind('.'));
    TESSERA_ASSIGN_OR_RETURN(auto grants, access.Grants({.user = "", .product = product, .active_only = true}));
    std::vector<std::string> holders;
    for (const auto& g : grants) {
        if (std::find(holders.begin(), holders.end(), g.user) == holders.end()) holders.push_back(g.user);
    }
    return holders;
}

}  // namespace tessera::access
