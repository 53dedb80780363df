// The routes the web catalog needs beyond the catalog's own (docs/api.md, "The web catalog"):
// login settings, the caller and their rights, access requests and grants, a product's sample,
// changelog, quality issues and governance, scorecards and the domain map. As in routes.cc, each
// handler authorizes through access/, calls the module that owns the logic, and answers JSON.

#include <algorithm>
#include <chrono>
#include <set>

#include "access/access.h"
#include "common/logging.h"
#include "engine/query.h"
#include "governance/policy_check.h"
#include "governance/review.h"
#include "governance/scorecard.h"
#include "search/domain_map.h"
#include "server/internal/http_server.h"
#include "server/internal/params.h"
#include "server/internal/problem.h"

namespace tessera::server::internal {
namespace {

using json = nlohmann::ordered_json;

json TimeOrNull(int64_t ms) { return ms ? json(IsoTime(ms)) : json(); }
json TextOrNull(const std::string& s) { return s.empty() ? json() : json(s); }

std::string DomainOfProduct(const std::string& product) { return product.substr(0, product.find('.')); }

json AccessRequestJson(const access::AccessRequest& r) {
    return {{"id", r.id},
            {"user", r.user},
            {"product", r.product},
            {"reason", r.reason},
            {"columns", r.columns},
            {"unmasked", r.unmasked},
            {"until", TimeOrNull(r.until_ms)},
            {"state", r.state},
            {"decided_by", TextOrNull(r.decided_by)},
            {"decision_reason", r.state == "pending" ? json() : json(r.decision_reason)},
            {"created_at", IsoTime(r.created_at_ms)},
            {"decided_at", TimeOrNull(r.decided_at_ms)},
            {"grant_id", r.grant_id ? json(r.grant_id) : json()}};
}

json GrantJson(const access::Grant& g, int64_t now_ms) {
    return {{"id", g.id},
            {"user", g.user},
            {"product", g.product},
            {"columns", g.columns},
            {"unmasked", g.unmasked},
            {"expires_at", TimeOrNull(g.expires_at_ms)},
            {"granted_by", g.granted_by},
            {"request_id", g.request_id ? json(g.request_id) : json()},
            {"created_at", IsoTime(g.created_at_ms)},
            {"revoked_at", TimeOrNull(g.revoked_at_ms)},
            {"revoked_by", TextOrNull(g.revoked_by)},
            {"active", g.Active(now_ms)}};
}

// The domains whose access `who` decides: ["*"] for every domain (admins, open mode), else the
// domains of their owner and developer roles that `access::Allowed` confirms.
json ApproveDomains(const access::Principal& who, access::Action action) {
    if (access::Allowed(who, action, "")) return json::array({"*"});
    std::set<std::string> out;
    for (const auto& b : who.roles) {
        if (!b.domain.empty() && access::Allowed(who, action, b.domain)) out.insert(b.domain);
    }
    return json(std::vector<std::string>(out.begin(), out.end()));
}

// True when `who` may decide access to the products of some domain.
bool ApprovesAnything(const access::Principal& who) { return !ApproveDomains(who, access::Action::kApproveAccess).empty(); }

// Who may see an access request or a grant: its user, and whoever decides access to its domain.
bool SeesAccessOf(const access::Principal& who, const std::string& user, const std::string& product) {
    return (!who.user.empty() && who.user == user) ||
           access::Allowed(who, access::Action::kApproveAccess, DomainOfProduct(product));
}

// A consumer may ask for their own requests and grants only; an approver for anyone's (and then
// sees those of the domains they decide).
Status CheckUserFilter(const access::Principal& who, const std::string& user, const std::string& what) {
    if (user.empty() || user == who.user || ApprovesAnything(who)) return Status::Ok();
    return Status(StatusCode::kPermissionDenied,
                  who.user + " may list only their own " + what + ": user=" + user +
                          " needs the role owner or developer of a domain, or admin");
}

Result<int64_t> RequestId(const std::string& text) {
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) {
        return InvalidArgument("id: expected an access request number such as 12, found \"" + text + "\"");
    }
    return std::stoll(text);
}

Result<json> JsonBody(const Call& c, const std::string& shape, bool empty_ok) {
    if (c.req.body.empty() && empty_ok) return json::object();
    auto body = json::parse(c.req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return InvalidArgument("body: expected a JSON object " + shape);
    return body;
}

// An optional string member: "" when absent or null; kInvalidArgument for another type.
Result<std::string> StringMember(const json& body, const std::string& name) {
    if (!body.contains(name) || body[name].is_null()) return std::string();
    if (!body[name].is_string()) return InvalidArgument(name + ": expected a string");
    return body[name].get<std::string>();
}

json IssueJson(const store::IssueRecord& i, int64_t now_ms) {
    json j;
    j["id"] = i.id;
    j["product"] = i.product;
    j["port"] = TextOrNull(i.port);
    j["column"] = TextOrNull(i.column);
    j["check"] = TextOrNull(i.check);
    j["origin"] = i.origin;
    j["title"] = i.title;
    j["description"] = i.description;
    j["state"] = i.state;
    j["overdue"] = i.state != "resolved" && i.due_at_ms < now_ms;
    j["opened_by"] = i.opened_by;
    j["opened_at"] = IsoTime(i.opened_at_ms);
    j["due_at"] = IsoTime(i.due_at_ms);
    j["acknowledged_by"] = TextOrNull(i.acknowledged_by);
    j["acknowledged_at"] = TimeOrNull(i.acknowledged_at_ms);
    j["resolved_by"] = TextOrNull(i.resolved_by);
    j["resolved_at"] = TimeOrNull(i.resolved_at_ms);
    j["resolution"] = TextOrNull(i.resolution);
    j["opened_run"] = i.opened_run ? json(i.opened_run) : json();
    j["last_run"] = i.last_run ? json(i.last_run) : json();
    return j;
}

json ScoreJson(const governance::Score& s) {
    json j = {{"scope", s.scope}, {"name", s.name}, {"score", s.score}, {"properties", json::object()},
              {"violations", s.violations}, {"overdue_issues", s.overdue_issues}};
    for (const auto& [k, v] : s.properties) j["properties"][k] = v;
    if (s.scope != "product") j["products"] = s.products;
    return j;
}

json GapsJson(const std::vector<search::OwnershipGap>& gaps) {
    json arr = json::array();
    for (const auto& g : gaps) {
        json j = {{"kind", g.kind}, {"subject", g.subject}, {"message", g.message}};
        if (g.products) j["products"] = g.products;
        arr.push_back(std::move(j));
    }
    return arr;
}

}  // namespace

struct HttpServer::GovernanceView {
    int64_t revision = 0;
    std::chrono::steady_clock::time_point computed;
    int64_t computed_at_ms = 0;
    std::string today;
    governance::CheckReport report;
    governance::Scorecard card;
    std::vector<store::WaiverRecord> waivers;
};

Result<std::shared_ptr<const HttpServer::GovernanceView>> HttpServer::ComputeGovernance() {
    auto view = std::make_shared<GovernanceView>();
    TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
    TESSERA_ASSIGN_OR_RETURN(view->revision, cat->Revision());
    view->computed = std::chrono::steady_clock::now();
    view->computed_at_ms = NowMs();
    view->today = governance::PolicyToday();
    TESSERA_ASSIGN_OR_RETURN(auto mesh, governance::LoadMesh(*cat));
    TESSERA_ASSIGN_OR_RETURN(view->waivers, cat->Waivers());
    governance::CheckOptions options;
    options.today = view->today;
    options.waivers = view->waivers;
    TESSERA_ASSIGN_OR_RETURN(view->report, governance::CheckPolicies(mesh, options));
    view->card = governance::ComputeScorecard(mesh, view->report, view->computed_at_ms);
    return std::shared_ptr<const GovernanceView>(std::move(view));
}

Result<std::shared_ptr<const HttpServer::GovernanceView>> HttpServer::Governance() {
    std::lock_guard<std::mutex> lock(governance_mu_);
    if (!governance_) {  // the first: computed now, while the others wait for it
        TESSERA_ASSIGN_OR_RETURN(governance_, ComputeGovernance());
        return governance_;
    }
    int64_t revision = governance_->revision;
    {
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(revision, cat->Revision());
    }
    bool stale = revision != governance_->revision ||
                 std::chrono::steady_clock::now() - governance_->computed > std::chrono::seconds(60);
    if (stale && !governance_refreshing_ && !stopping_) {
        governance_refreshing_ = true;
        if (governance_refresh_.joinable()) governance_refresh_.join();  // finished: it cleared the flag
        governance_refresh_ = std::jthread([this] {
            auto view = ComputeGovernance();
            if (!view.ok()) {
                TESSERA_LOG(kWarn) << "governance check: " << view.status().ToString();
            }
            std::lock_guard<std::mutex> done(governance_mu_);
            if (view.ok()) governance_ = *view;
            governance_refreshing_ = false;
        });
    }
    return governance_;
}

Result<catalog::StoredEntity> HttpServer::ReadProduct(const Call& c, catalog::Catalog& cat) {
    TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kReadCatalog, c.params[0]));
    TESSERA_ASSIGN_OR_RETURN(auto found, cat.Find(c.params[0] + "." + c.params[1]));
    if (!std::holds_alternative<model::DataProduct>(found.entity)) {
        return NotFound("data product \"" + c.params[0] + "." + c.params[1] + "\" is not in the catalog");
    }
    return found;
}

void HttpServer::RegisterWebRoutes() {
    // ---------------------------------------------------------------- identity
    Route("GET", "/api/v1/auth/config", Auth::kPublic, [this](Call& c) -> Status {
        TESSERA_ASSIGN_OR_RETURN(bool secured, access_->Secured());
        json j;
        j["anonymous_read"] = options_.allow_anonymous_read;
        j["open_mode"] = !secured;
        j["oidc"] = json();
        // The browser can log in only when it knows where to send the user.
        if (!options_.oidc_issuer.empty() && !options_.oidc_authorization_endpoint.empty()) {
            j["oidc"] = {{"issuer", options_.oidc_issuer},
                         {"authorization_endpoint", options_.oidc_authorization_endpoint},
                         {"client_id", options_.oidc_client_id.empty() ? options_.oidc_audience : options_.oidc_client_id},
                         {"scope", "openid"}};
        }
        ReplyJson(c.res, j);
        return Status::Ok();
    });
    Route("GET", "/api/v1/me", Auth::kCaller, [](Call& c) -> Status {
        const access::Principal& who = c.who;
        json roles = json::array();
        for (const auto& b : who.roles) {
            roles.push_back({{"role", access::RoleName(b.role)}, {"domain", TextOrNull(b.domain)}, {"subject", b.subject}});
        }
        json j;
        j["user"] = who.user;
        j["anonymous"] = who.anonymous;
        j["method"] = who.method;
        j["groups"] = who.groups;
        j["roles"] = roles;
        j["open_mode"] = who.open_mode;
        j["can"] = {{"approve_domains", ApproveDomains(who, access::Action::kApproveAccess)},
                    {"write_domains", ApproveDomains(who, access::Action::kWriteDomain)},
                    {"read_audit", access::Allowed(who, access::Action::kReadAudit)},
                    {"manage_policies", access::Allowed(who, access::Action::kManagePolicies)},
                    {"query", !who.anonymous && access::Allowed(who, access::Action::kQueryData)},
                    {"request_access", !who.anonymous && access::Allowed(who, access::Action::kRequestAccess)}};
        ReplyJson(c.res, j);
        return Status::Ok();
    });

    // ---------------------------------------------------------------- access requests and grants
    Route("GET", "/api/v1/access-requests", Auth::kCaller, [this](Call& c) -> Status {
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kRequestAccess));
        access::RequestFilter filter{c.Query("user"), c.Query("domain"), c.Query("state")};
        static const std::set<std::string> kStates = {"", "pending", "approved", "denied"};
        if (!kStates.count(filter.state)) {
            return InvalidArgument("state: expected pending, approved or denied, found \"" + filter.state + "\"");
        }
        TESSERA_RETURN_IF_ERROR(CheckUserFilter(c.who, filter.user, "access requests"));
        TESSERA_ASSIGN_OR_RETURN(auto requests, access_->Requests(filter));
        std::vector<std::pair<std::string, json>> items;  // newest first
        for (const auto& r : requests) {
            if (SeesAccessOf(c.who, r.user, r.product)) items.emplace_back(DescendingKey(r.id), AccessRequestJson(r));
        }
        std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        TESSERA_ASSIGN_OR_RETURN(json page, Page(c, items));
        ReplyJson(c.res, page);
        return Status::Ok();
    });
    Route("POST", "/api/v1/access-requests", Auth::kCaller, [this](Call& c) -> Status {
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kRequestAccess));
        TESSERA_ASSIGN_OR_RETURN(
                json body, JsonBody(c, "{\"product\": \"domain.product\", \"reason\": \"…\", \"columns\": [], \"unmasked\": false, "
                                       "\"until\": \"YYYY-MM-DD\"}", false));
        access::AccessRequestInput input;
        TESSERA_ASSIGN_OR_RETURN(input.product, StringMember(body, "product"));
        if (input.product.empty()) return InvalidArgument("product: expected the product's name, domain.product");
        TESSERA_ASSIGN_OR_RETURN(input.reason, StringMember(body, "reason"));
        if (input.reason.empty()) return InvalidArgument("reason: say why you need the data (the owners decide on it)");
        if (body.contains("columns") && !body["columns"].is_null()) {
            if (!body["columns"].is_array()) return InvalidArgument("columns: expected a list of column names");
            for (const auto& col : body["columns"]) {
                if (!col.is_string()) return InvalidArgument("columns: expected a list of column names");
                input.columns.push_back(col.get<std::string>());
            }
        }
        if (body.contains("unmasked") && !body["unmasked"].is_null()) {
            if (!body["unmasked"].is_boolean()) return InvalidArgument("unmasked: expected true or false");
            input.unmasked = body["unmasked"].get<bool>();
        }
        TESSERA_ASSIGN_OR_RETURN(std::string until, StringMember(body, "until"));
        if (!until.empty()) {
            TESSERA_ASSIGN_OR_RETURN(input.until_ms, ParseIsoTime("until", until));
            if (input.until_ms <= NowMs()) return InvalidArgument("until: \"" + until + "\" is in the past");
        }
        TESSERA_ASSIGN_OR_RETURN(auto request, access_->RequestAccess(c.who, input));
        ReplyJson(c.res, AccessRequestJson(request), 201);
        return Status::Ok();
    });
    auto decide = [this](Call& c, bool approve) -> Status {
        TESSERA_ASSIGN_OR_RETURN(int64_t id, RequestId(c.params[0]));
        TESSERA_ASSIGN_OR_RETURN(json body, JsonBody(c, "{\"reason\": \"…\"}", approve));
        TESSERA_ASSIGN_OR_RETURN(std::string reason, StringMember(body, "reason"));
        if (!approve && reason.empty()) return InvalidArgument("reason: say why the request is denied (the requester reads it)");
        TESSERA_ASSIGN_OR_RETURN(auto request, approve ? access_->Approve(c.who, id, reason) : access_->Deny(c.who, id, reason));
        ReplyJson(c.res, AccessRequestJson(request));
        return Status::Ok();
    };
    Route("POST", "/api/v1/access-requests/{id}/approve", Auth::kCaller, [decide](Call& c) { return decide(c, true); });
    Route("POST", "/api/v1/access-requests/{id}/deny", Auth::kCaller, [decide](Call& c) { return decide(c, false); });
    // The holder gives a grant up, or the product's domain team (or an admin) takes it back.
    Route("POST", "/api/v1/grants/{id}/revoke", Auth::kCaller, [this](Call& c) -> Status {
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kRequestAccess));
        const std::string& text = c.params[0];
        if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) {
            return InvalidArgument("id: expected a grant number such as 12, found \"" + text + "\"");
        }
        TESSERA_ASSIGN_OR_RETURN(json body, JsonBody(c, "{\"reason\": \"…\"}", true));
        TESSERA_ASSIGN_OR_RETURN(std::string reason, StringMember(body, "reason"));
        TESSERA_ASSIGN_OR_RETURN(auto grant, access_->RevokeGrant(c.who, std::stoll(text), reason));
        ReplyJson(c.res, GrantJson(grant, NowMs()));
        return Status::Ok();
    });
    Route("GET", "/api/v1/grants", Auth::kCaller, [this](Call& c) -> Status {
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kRequestAccess));
        TESSERA_ASSIGN_OR_RETURN(bool all, BoolParam(c, "all"));
        access::GrantFilter filter{c.Query("user"), c.Query("product"), !all};
        TESSERA_RETURN_IF_ERROR(CheckUserFilter(c.who, filter.user, "grants"));
        TESSERA_ASSIGN_OR_RETURN(auto grants, access_->Grants(filter));
        int64_t now = NowMs();
        std::vector<std::pair<std::string, json>> items;  // newest first
        for (const auto& g : grants) {
            if (SeesAccessOf(c.who, g.user, g.product)) items.emplace_back(DescendingKey(g.id), GrantJson(g, now));
        }
        std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        TESSERA_ASSIGN_OR_RETURN(json page, Page(c, items));
        ReplyJson(c.res, page);
        return Status::Ok();
    });

    // ---------------------------------------------------------------- a product's page
    // A few rows of one output port, read as POST /api/v1/query reads them (the caller's grants,
    // masks and limits; audited): no grant, no rows.
    Route("GET", "/api/v1/domains/{domain}/products/{product}/sample", Auth::kCaller, [this](Call& c) -> Status {
        TESSERA_RETURN_IF_ERROR(AuthorizeQuery(c.who));
        TESSERA_ASSIGN_OR_RETURN(int64_t limit, IntParam(c, "limit", 20, 1, 100));
        model::DataProduct product;
        {
            TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
            TESSERA_ASSIGN_OR_RETURN(auto found, ReadProduct(c, *cat));
            product = std::get<model::DataProduct>(std::move(found.entity));
        }
        std::string port = c.Query("port");
        const model::OutputPort* decl = port.empty() && !product.outputs.empty() ? &product.outputs.front() : nullptr;
        for (const auto& o : product.outputs) {
            if (o.name == port) decl = &o;
        }
        if (!decl) return NotFound("data product " + product.FullName() + " has no output port \"" + port + "\"");
        engine::QueryOptions options;
        options.user = c.who.user;
        options.timeout_ms = options_.query_timeout_ms;
        options.max_rows = std::min(limit, options_.query_max_rows);
        std::string sql = "select * from " + product.FullName() + "__" + decl->name + " limit " + std::to_string(limit);
        TESSERA_ASSIGN_OR_RETURN(auto result, RunSandboxedQuery(c.who, sql, options));
        json columns = json::array();
        for (size_t i = 0; i < result.table.columns.size(); ++i) {
            const std::string& name = result.table.columns[i];
            bool masked = false;
            for (const auto& col : decl->columns) {
                if (col.name == name) {
                    masked = col.mask != model::Mask::kNone && !result.policy->Unmasked(c.who.user, product.FullName(), name);
                }
            }
            columns.push_back({{"name", name}, {"type", result.table.types[i]}, {"masked", masked}});
        }
        // Cells as POST /api/v1/query writes them in JSON lines (engine::JsonCell), in column order.
        json rows = json::array();
        for (const auto& row : result.table.rows) {
            json r = json::array();
            for (size_t i = 0; i < row.size(); ++i) r.push_back(json::parse(engine::JsonCell(result.table.types[i], row[i])));
            rows.push_back(std::move(r));
        }
        ReplyJson(c.res, {{"port", decl->name}, {"columns", columns}, {"rows", rows}, {"granted", true}});
        return Status::Ok();
    });
    // The changelog: the revisions that wrote the product, newest first (catalog::History).
    Route("GET", "/api/v1/domains/{domain}/products/{product}/history", Auth::kCaller, [this](Call& c) -> Status {
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(auto found, ReadProduct(c, *cat));
        if (!SetETag(c, std::to_string(found.revision))) return Status::Ok();
        TESSERA_ASSIGN_OR_RETURN(auto history, cat->History("product/" + c.params[0] + "." + c.params[1]));
        std::vector<std::pair<std::string, json>> items;
        for (const auto& h : history) {
            json j = {{"revision", h.revision.number},
                      {"version", TextOrNull(h.version)},
                      {"change", catalog::ActionName(h.action)},
                      {"at", IsoTime(h.revision.created_at_ms)},
                      {"author", TextOrNull(h.revision.author)},
                      {"message", TextOrNull(h.revision.message)}};
            if (h.action == catalog::Action::kUpdate) {
                j["fields"] = json::array();
                for (const auto& f : h.fields) j["fields"].push_back(f.path);
            }
            items.emplace_back(DescendingKey(h.revision.number), std::move(j));
        }
        std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        TESSERA_ASSIGN_OR_RETURN(json page, Page(c, items));
        ReplyJson(c.res, page);
        return Status::Ok();
    });
    // Quality issues of the product (docs/governance.md), newest first; unresolved by default.
    Route("GET", "/api/v1/domains/{domain}/products/{product}/issues", Auth::kCaller, [this](Call& c) -> Status {
        std::string state = c.Query("state");
        static const std::set<std::string> kStates = {"", "unresolved", "open", "acknowledged", "resolved", "all"};
        if (!kStates.count(state)) {
            return InvalidArgument("state: expected unresolved, open, acknowledged, resolved or all, found \"" + state + "\"");
        }
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(auto found, ReadProduct(c, *cat));
        int64_t now = NowMs();
        TESSERA_ASSIGN_OR_RETURN(auto issues, cat->Issues({c.params[0] + "." + c.params[1], "",
                                                           state == "unresolved" ? "" : state, false, now}));
        std::vector<std::pair<std::string, json>> items;
        for (const auto& i : issues) items.emplace_back(DescendingKey(i.id), IssueJson(i, now));
        std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        TESSERA_ASSIGN_OR_RETURN(json page, Page(c, items));
        ReplyJson(c.res, page);
        return Status::Ok();
    });
    // The policies that apply to the product, its score and its waivers, from the mesh's check.
    Route("GET", "/api/v1/domains/{domain}/products/{product}/governance", Auth::kCaller, [this](Call& c) -> Status {
        std::string name = c.params[0] + "." + c.params[1];
        {
            TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
            TESSERA_RETURN_IF_ERROR(ReadProduct(c, *cat).status());
        }
        TESSERA_ASSIGN_OR_RETURN(auto view, Governance());
        json j;
        j["product"] = name;
        j["checked_at"] = IsoTime(view->computed_at_ms);
        j["score"] = json();
        auto score = std::lower_bound(view->card.products.begin(), view->card.products.end(), name,
                                      [](const governance::Score& s, const std::string& n) { return s.name < n; });
        if (score != view->card.products.end() && score->name == name) {
            j["score"] = ScoreJson(*score);
            j["score"]["total"] = score->score;
        }
        j["policies"] = json::array();
        for (const auto& r : governance::ProductPolicies(view->report, name)) {
            const auto& policy = r.outcome->source.policy;
            json violations = json::array();
            for (const auto* v : r.violations) {
                violations.push_back({{"port", TextOrNull(v->port)}, {"column", TextOrNull(v->column)},
                                      {"message", v->message}, {"level", governance::LevelName(v->level)},
                                      {"blocking", v->blocking}, {"waiver_id", v->waiver_id ? json(v->waiver_id) : json()}});
            }
            bool failed = r.outcome->result == governance::PolicyOutcome::Result::kError;
            std::string message = failed ? r.outcome->error.message()
                                  : r.violations.empty() ? "" : r.violations.front()->message;
            j["policies"].push_back({{"policy", policy.name},
                                     {"title", policy.title},
                                     {"severity", model::PolicySeverityName(policy.severity)},
                                     {"state", model::PolicyStateName(policy.state)},
                                     {"enforced", r.outcome->enforced},
                                     {"properties", policy.properties},
                                     {"passed", r.passed},
                                     {"error", failed},
                                     {"message", message},
                                     {"remediation", policy.remediation},
                                     {"waived", r.waived},
                                     {"violations", violations}});
        }
        j["waivers"] = json::array();
        for (const auto& w : view->waivers) {
            if (w.product != name || !governance::WaiverActive(w, view->today)) continue;
            j["waivers"].push_back({{"id", w.id}, {"policy", w.policy}, {"reason", w.reason}, {"approver", w.approver},
                                    {"expires", w.expires}, {"created_at", IsoTime(w.created_at_ms)}});
        }
        ReplyJson(c.res, j);
        return Status::Ok();
    });

    // ---------------------------------------------------------------- the mesh
    // Scores now (from the mesh's check) and their trend over the checks `tessera check` recorded.
    Route("GET", "/api/v1/scorecards", Auth::kCaller, [this](Call& c) -> Status {
        std::string scope = c.Query("scope", "domain"), name = c.Query("name"), domain = c.Query("domain");
        if (scope != "mesh" && scope != "domain" && scope != "product") {
            return InvalidArgument("scope: expected mesh, domain or product, found \"" + scope + "\"");
        }
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kReadCatalog, domain));
        TESSERA_ASSIGN_OR_RETURN(int64_t history, IntParam(c, "history", 0, 0, 1000));
        if (history > 0 && scope != "mesh" && name.empty()) {
            return InvalidArgument("history: needs name=, the " + scope + " whose trend to show");
        }
        TESSERA_ASSIGN_OR_RETURN(auto view, Governance());
        std::vector<governance::Score> mesh;
        if (scope == "mesh") mesh.push_back(governance::MeshScore(view->card.domains));
        const auto& scores = scope == "mesh" ? mesh : scope == "domain" ? view->card.domains : view->card.products;
        std::vector<std::string> keys;  // scores are sorted by name
        std::vector<const governance::Score*> picked;
        for (const auto& s : scores) {
            if (!name.empty() && s.name != name) continue;
            if (!domain.empty() && scope == "product" && s.name.rfind(domain + ".", 0) != 0) continue;
            if (!domain.empty() && scope == "domain" && s.name != domain) continue;
            keys.push_back(s.name);
            picked.push_back(&s);
        }
        if (!name.empty() && picked.empty() && scope != "mesh") {
            TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
            TESSERA_RETURN_IF_ERROR(cat->Find((scope == "domain" ? "domain/" : "product/") + name).status());
        }
        TESSERA_ASSIGN_OR_RETURN(json page, Page(c, keys, [&](size_t i) { return ScoreJson(*picked[i]); }));
        json j;
        j["checked_at"] = IsoTime(view->computed_at_ms);
        j["items"] = page["items"];
        j["next_cursor"] = page["next_cursor"];
        j["history"] = json::array();
        if (history > 0) {
            TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
            TESSERA_ASSIGN_OR_RETURN(auto records, cat->Scores(scope == "mesh" ? "domain" : scope, scope == "mesh" ? "" : name, history));
            // Oldest check first; the mesh's point of a check comes from its domains'.
            std::map<int64_t, std::pair<int64_t, std::vector<governance::Score>>> checks;
            for (const auto& r : records) {
                auto& entry = checks[r.check_id];
                entry.first = r.recorded_at_ms;
                entry.second.push_back(governance::FromRecord(r));
            }
            for (const auto& [check, entry] : checks) {
                governance::Score s = scope == "mesh" ? governance::MeshScore(entry.second) : entry.second.front();
                json point = {{"check", check}, {"checked_at", IsoTime(entry.first)}, {"score", s.score},
                              {"properties", json::object()}};
                for (const auto& [k, v] : s.properties) point["properties"][k] = v;
                j["history"].push_back(std::move(point));
            }
        }
        ReplyJson(c.res, j);
        return Status::Ok();
    });
    // The domain map (search::BuildDomainMap); with ?domain=, that domain's products, paged.
    Route("GET", "/api/v1/map", Auth::kCaller, [this](Call& c) -> Status {
        std::string domain = c.Query("domain");
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kReadCatalog, domain));
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(int64_t revision, cat->Revision());
        if (!SetETag(c, std::to_string(revision))) return Status::Ok();
        std::string key = "map?" + domain + "&" + c.Query("cursor") + "&" + c.Query("limit");
        CachedBody cached;
        if (CachedRead(key, revision, &cached)) {
            c.res.set_content(cached.body, "application/json");
            return Status::Ok();
        }
        TESSERA_ASSIGN_OR_RETURN(auto map, search::BuildDomainMap(*cat, domain));
        json j;
        j["domains"] = json::array();
        for (const auto& d : map.domains) {
            j["domains"].push_back({{"name", d.name}, {"title", d.title}, {"owner_team", TextOrNull(d.owner_team)},
                                    {"products", d.products}, {"gaps", GapsJson(d.gaps)}});
        }
        j["edges"] = json::array();
        for (const auto& e : map.edges) j["edges"].push_back({{"from", e.from}, {"to", e.to}, {"products", e.products}});
        j["gaps"] = GapsJson(map.gaps);
        if (!domain.empty()) {
            std::vector<std::string> keys;
            for (const auto& p : map.products) keys.push_back(p.name);
            TESSERA_ASSIGN_OR_RETURN(json page, Page(c, keys, [&](size_t i) {
                const auto& p = map.products[i];
                return json{{"name", p.name}, {"title", p.title}, {"owner", TextOrNull(p.owner)},
                            {"kind", p.kind}, {"inputs", p.inputs}, {"gaps", GapsJson(p.gaps)}};
            }));
            j["products"] = page["items"];
            j["next_cursor"] = page["next_cursor"];
        }
        std::string body = JsonText(j);
        CacheRead(key, {revision, std::to_string(revision), body});
        c.res.set_content(body, "application/json");
        return Status::Ok();
    });
}

}  // namespace tessera::server::internal
