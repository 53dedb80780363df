// The handlers of /api/v1 (docs/api.md). Each one authorizes through access/, leases a catalog,
// and answers JSON; errors are returned as a Status and become problem documents in Dispatch.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "access/batch_authorization.h"
#include "common/logging.h"
#include "common/text.h"
#include "engine/freshness.h"
#include "engine/query.h"
#include "engine/runner.h"
#include "engine/sql_parser.h"
#include "model/address.h"
#include "governance/report.h"
#include "governance/review.h"
#include "search/graph.h"
#include "search/search.h"
#include "server/internal/http_server.h"
#include "server/internal/params.h"
#include "server/internal/problem.h"
#include "spec/descriptor.h"

namespace tessera::server::internal {
namespace {

using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

// The `target` of lineage and impact: `domain.product[.column]`, or a product's URN or REST path
// (a port's address gives its product: lineage is kept per product and column).
Result<std::string> LineageTarget(const Call& c) {
    std::string target = c.Query("target");
    if (target.empty()) return InvalidArgument("target: expected domain.product or domain.product.column");
    if (!model::LooksLikeAddress(target)) return target;
    TESSERA_ASSIGN_OR_RETURN(model::Address a, model::Address::Parse(target));
    if (a.IsDomain()) return InvalidArgument("target: \"" + target + "\" names a domain; expected a data product");
    return a.ProductName();
}

// --- ETags: an entity's is the revision that wrote it; a list's is the catalog revision. ---

// `If-Match: *`: any current revision (RFC 9110, section 13.1.1); the entity must exist.
constexpr int64_t kAnyRevision = -1;

// The revision an If-Match names: "12", W/"12" or 12, or kAnyRevision for *; nullopt when absent;
// kInvalidArgument when it is not a revision.
Result<std::optional<int64_t>> IfMatchRevision(const Call& c) {
    if (!c.req.has_header("If-Match")) return std::optional<int64_t>();
    std::string v = c.req.get_header_value("If-Match");
    if (v == "*") return std::optional<int64_t>(kAnyRevision);
    if (v.rfind("W/", 0) == 0) v = v.substr(2);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    char* end = nullptr;
    long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n < 0) {
        return InvalidArgument("If-Match: expected the ETag of a read (a revision such as \"12\"), found \"" +
                               c.req.get_header_value("If-Match") + "\"");
    }
    return std::optional<int64_t>(n);
}

Status Stale(const std::string& what, int64_t current, int64_t given) {
    return Aborted(what + " changed since it was read: it is at revision " + std::to_string(current) +
                   ", If-Match names " + (given == kAnyRevision ? std::string("*") : std::to_string(given)) +
                   "; read it again and retry");
}

// --- Representations ---

json EntityJson(const catalog::StoredEntity& e) {
    json j = json::parse(e.document);
    j["status"] = {{"revision", e.revision}};
    if (!e.origin.empty()) j["status"]["origin"] = e.origin;
    return j;
}

json SnapshotJson(const store::SnapshotRecord& s) {
    return {{"product", s.product}, {"port", s.port},     {"version", s.version},
            {"path", s.path},       {"rows", s.rows},     {"bytes", s.bytes},
            {"run_id", s.run_id},   {"created_at", IsoTime(s.created_at_ms)}, {"created_at_ms", s.created_at_ms}};
}

// What a caller sees of a product's runs and checks (docs/access.md, "What a build may read"):
// the product's domain team (who may write the domain) sees run and check messages in full, others
// without DuckDB's details, quoted values and server paths (engine::PublicRunMessage). Samples of
// failing rows are shown only to who may read every column of the product unmasked.
struct RunView {
    bool team = false;
    bool rows = false;
};

RunView RunViewOf(access::AccessControl& ac, const access::Principal& who, const model::DataProduct& p) {
    RunView v;
    v.team = access::Allowed(who, access::Action::kWriteDomain, p.domain);
    auto policy = ac.QueryPolicyFor(who);
    if (!policy.ok() || !(*policy)->CanRead(who.user, p.FullName()).ok()) return v;
    v.rows = true;
    for (const auto& o : p.outputs) {
        for (const auto& col : o.columns) {
            if (!(*policy)->ColumnVisible(who.user, p.FullName(), col.name)) v.rows = false;
            if (col.mask != model::Mask::kNone && !(*policy)->Unmasked(who.user, p.FullName(), col.name)) v.rows = false;
        }
    }
    return v;
}

json CheckJson(const store::CheckRecord& c, const RunView& view) {
    std::string message = c.message;
    auto sample = json::parse(c.sample.empty() ? "[]" : c.sample, nullptr, false);
    if (sample.is_discarded()) sample = json::array();
    bool hidden = false;
    if (!view.rows && !sample.empty()) {
        // A row count or the newest timestamp is also written after the message: drop it with the sample.
        if (message.size() > c.sample.size() + 2 && message.ends_with(": " + c.sample)) {
            message.resize(message.size() - c.sample.size() - 2);
        }
        sample = json::array();
        hidden = true;
    }
    if (!view.team) message = engine::PublicRunMessage(message);
    json j = {{"port", c.port}, {"check", c.check}, {"status", c.status}, {"failures", c.failures}, {"message", message}};
    j["sample"] = sample;
    if (hidden) j["sample_hidden"] = true;
    return j;
}

json RunJson(const store::RunRecord& r, const RunView& view) {
    auto details = json::parse(r.details.empty() ? "null" : r.details, nullptr, false);
    if (details.is_discarded()) details = json();
    std::string error = r.error;
    if (!view.team && !error.empty()) {
        error = details.is_object() && details.contains("public_error") && details["public_error"].is_string()
                        ? details["public_error"].get<std::string>()
                        : engine::PublicRunMessage(error);
    }
    if (details.is_object()) {
        details.erase("public_error");
        if (!view.team && details.contains("inputs") && details["inputs"].is_object()) {
            for (auto& [name, from] : details["inputs"].items()) {
                if (from.is_string()) from = engine::PublicRunMessage(from.get<std::string>());
            }
        }
    }
    json j = {{"id", r.id},
              {"product", r.product},
              {"status", r.status},
              {"trigger", r.trigger},
              {"author", r.author},
              {"catalog_revision", r.catalog_revision},
              {"started_at", IsoTime(r.started_at_ms)},
              {"started_at_ms", r.started_at_ms},
              {"finished_at_ms", r.finished_at_ms},
              {"error", error}};
    j["details"] = details;
    return j;
}

json DiagnosticsJson(const std::vector<spec::Diagnostic>& diagnostics) {
    json arr = json::array();
    for (const auto& d : diagnostics) {
        arr.push_back({{"file", d.at.file},
                       {"line", d.at.line},
                       {"col", d.at.col},
                       {"field", d.field},
                       {"message", d.message},
                       {"severity", d.warning ? "warning" : "error"},
                       {"text", d.ToString()}});
    }
    return arr;
}

// What the governance review of a batch says, added to a plan or a problem document.
void AddReview(const governance::BatchReview& review, json& j) {
    j["blocked"] = review.Blocks();
    j["errors"] = review.Errors();
    j["compatibility"] = governance::CompatToJson(review.compat);
    if (review.policies) j["policies"] = governance::ToJson(*review.policies);
}

// A write the review refuses: the problem (409 failed-precondition) with the review's findings.
void ReplyBlocked(Call& c, const governance::BatchReview& review) {
    json problem = ProblemJson(review.BlockingError(), c.req.path);
    AddReview(review, problem);
    c.res.status = problem["status"].get<int>();
    c.res.set_content(JsonText(problem), "application/problem+json");
}

json PlanJson(const catalog::Plan& plan) {
    json j;
    j["base_revision"] = plan.base_revision;
    j["summary"] = {{"create", plan.Count(catalog::Action::kCreate)},
                    {"update", plan.Count(catalog::Action::kUpdate)},
                    {"unchanged", plan.Count(catalog::Action::kUnchanged)}};
    j["changes"] = json::array();
    for (const auto& c : plan.changes) {
        json e;
        e["kind"] = model::EntityKindName(c.kind);
        e["name"] = c.name;
        e["action"] = catalog::ActionName(c.action);
        if (c.action == catalog::Action::kUpdate) {
            e["fields"] = json::array();
            for (const auto& f : c.fields) {
                e["fields"].push_back({{"path", f.path},
                                       {"before", f.before.empty() ? json() : json::parse(f.before)},
                                       {"after", f.after.empty() ? json() : json::parse(f.after)}});
            }
        }
        j["changes"].push_back(e);
    }
    return j;
}

// The diagnostics of a refused batch, as a 400 problem with a `diagnostics` member.
void ReplyDiagnostics(Call& c, const std::vector<spec::Diagnostic>& diagnostics) {
    size_t errors = 0;
    std::set<std::string> files;
    for (const auto& d : diagnostics) {
        if (!d.warning) {
            ++errors;
            files.insert(d.at.file);
        }
    }
    std::string detail = std::to_string(errors) + (errors == 1 ? " error" : " errors") + " in " +
                         std::to_string(files.size()) + (files.size() == 1 ? " file" : " files") + "; nothing was changed";
    json j = HttpProblem(400, "invalid-descriptor", "Invalid descriptor", detail, c.req.path);
    j["diagnostics"] = DiagnosticsJson(diagnostics);
    c.res.status = 400;
    c.res.set_content(JsonText(j), "application/problem+json");
}

bool HasErrors(const std::vector<spec::Diagnostic>& d) {
    return std::any_of(d.begin(), d.end(), [](const spec::Diagnostic& x) { return !x.warning; });
}

// What a batch writes to, for its audit line: its domains and its policies ("policy/NAME").
std::set<std::string> DomainsOf(const spec::Batch& batch) {
    std::set<std::string> out;
    for (const auto& d : batch.domains) out.insert(d.domain.name);
    for (const auto& t : batch.teams) out.insert(t.team.domain);  // "" for platform teams
    for (const auto& p : batch.products) out.insert(p.product.domain);
    for (const auto& p : batch.policies) out.insert("policy/" + p.policy.name);
    return out;
}

// A temporary folder removed when it goes out of scope.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = fs::temp_directory_path() / ("tessera-srv-" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// Decodes an apply body. Raw YAML or JSON (one or many documents) is one file named "request";
// `application/vnd.tessera.files+json` is what the CLI sends: {"files": [{"name", "origin",
// "text", "attachments": {"../sql/x.sql": "…"}}]} so that diagnostics name the caller's files and
// SQL files travel with their descriptor. SQL is only ever taken from the body: a `sql:` name is
// looked up among the attachments, never on the server's disk (spec::SqlFiles).
Result<spec::LoadReport> DecodeBatch(const Call& c) {
    std::string type = c.req.get_header_value("Content-Type");
    type = type.substr(0, type.find(';'));
    spec::LoadReport report;
    if (type == "application/vnd.tessera.files+json") {
        auto body = json::parse(c.req.body, nullptr, false);
        if (body.is_discarded() || !body.is_object() || !body.contains("files") || !body["files"].is_array()) {
            return InvalidArgument("body: expected {\"files\": [{\"name\", \"text\", \"attachments\"}]}");
        }
        for (const auto& f : body["files"]) {
            if (!f.is_object() || !f.contains("name") || !f["name"].is_string() || !f.contains("text") ||
                !f["text"].is_string()) {
                return InvalidArgument("body: files[]: expected an object with a string name and text");
            }
            std::map<std::string, std::string> attachments;
            if (f.contains("attachments")) {
                if (!f["attachments"].is_object()) return InvalidArgument("body: files[].attachments: expected an object");
                for (const auto& [name, content] : f["attachments"].items()) {
                    if (!content.is_string()) {
                        return InvalidArgument("body: files[].attachments: \"" + name + "\": expected the file's text as a string");
                    }
                    attachments[name] = content.get<std::string>();
                }
            }
            spec::LoadReport one = spec::LoadText(f["text"].get<std::string>(), f["name"].get<std::string>(),
                                                  spec::SqlFiles::Attached(std::move(attachments)));
            std::string origin = f.value("origin", "");
            for (auto& p : one.batch.products) p.origin = origin;
            for (auto& p : one.batch.policies) p.origin = origin;
            for (auto& d : one.diagnostics) report.diagnostics.push_back(std::move(d));
            for (auto& d : one.batch.domains) report.batch.domains.push_back(std::move(d));
            for (auto& t : one.batch.teams) report.batch.teams.push_back(std::move(t));
            for (auto& p : one.batch.products) report.batch.products.push_back(std::move(p));
            for (auto& p : one.batch.policies) report.batch.policies.push_back(std::move(p));
        }
        return report;
    }
    if (type != "application/yaml" && type != "application/json" && type != "text/yaml" && type != "application/x-yaml") {
        return InvalidArgument("Content-Type: expected application/yaml, application/json or "
                               "application/vnd.tessera.files+json, found \"" + type + "\"");
    }
    if (c.req.body.empty()) return InvalidArgument("body: expected one or more descriptors, found nothing");
    return spec::LoadText(c.req.body, "request", spec::SqlFiles::None());  // SQL inline, as `query:`
}

}  // namespace

void HttpServer::RegisterRoutes() {
    // ---------------------------------------------------------------- operations
    Route("GET", "/healthz", Auth::kPublic, [](Call& c) {
        c.res.set_content("ok\n", "text/plain");
        return Status::Ok();
    });
    Route("GET", "/readyz", Auth::kPublic, [this](Call& c) {
        if (stopping_) return Unavailable("the server is shutting down");
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(int64_t rev, cat->Revision());
        ReplyJson(c.res, {{"status", "ready"}, {"revision", rev}});
        return Status::Ok();
    });
    Route("GET", "/metrics", Auth::kPublic, [this](Call& c) {
        std::string text = metrics_.Render();
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(int64_t rev, cat->Revision());
        TESSERA_ASSIGN_OR_RETURN(auto domains, cat->Domains());
        TESSERA_ASSIGN_OR_RETURN(auto teams, cat->Teams());
        TESSERA_ASSIGN_OR_RETURN(auto products, cat->Products());
        size_t ports = 0, columns = 0;
        for (const auto& p : products) {
            ports += p.outputs.size();
            for (const auto& o : p.outputs) columns += o.columns.size();
        }
        text += "# HELP tessera_catalog_revision The catalog's newest revision.\n# TYPE tessera_catalog_revision gauge\n";
        text += "tessera_catalog_revision " + std::to_string(rev) + "\n";
        text += "# HELP tessera_catalog_entities Entities in the catalog, by kind.\n# TYPE tessera_catalog_entities gauge\n";
        text += "tessera_catalog_entities{kind=\"domain\"} " + std::to_string(domains.size()) + "\n";
        text += "tessera_catalog_entities{kind=\"team\"} " + std::to_string(teams.size()) + "\n";
        text += "tessera_catalog_entities{kind=\"product\"} " + std::to_string(products.size()) + "\n";
        text += "tessera_catalog_entities{kind=\"port\"} " + std::to_string(ports) + "\n";
        text += "tessera_catalog_entities{kind=\"column\"} " + std::to_string(columns) + "\n";
        c.res.set_content(text, "text/plain; version=0.0.4");
        return Status::Ok();
    });
    Route("GET", "/api/v1/openapi.json", Auth::kPublic, [](Call& c) {
        c.res.set_content(std::string(OpenApiDocument()), "application/json");
        return Status::Ok();
    });

    // ---------------------------------------------------------------- domains and teams
    Route("GET", "/api/v1/domains", Auth::kCaller, [this](Call& c) {
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kReadCatalog));
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(int64_t rev, cat->Revision());
        if (!SetETag(c, std::to_string(rev))) return Status::Ok();
        TESSERA_ASSIGN_OR_RETURN(auto domains, cat->Domains());
        std::vector<std::pair<std::string, json>> items;
        for (const auto& d : domains) items.emplace_back(d.name, json::parse(spec::EncodeJson(d)));
        TESSERA_ASSIGN_OR_RETURN(json page, Page(c, items));
        ReplyJson(c.res, page);
        return Status::Ok();
    });
    Route("GET", "/api/v1/domains/{domain}", Auth::kCaller, [this](Call& c) {
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kReadCatalog, c.params[0]));
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(auto found, cat->Find("domain/" + c.params[0]));
        if (!SetETag(c, std::to_string(found.revision))) return Status::Ok();
        ReplyJson(c.res, EntityJson(found));
        return Status::Ok();
    });
    Route("GET", "/api/v1/teams", Auth::kCaller, [this](Call& c) {
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kReadCatalog));
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(int64_t rev, cat->Revision());
        if (!SetETag(c, std::to_string(rev))) return Status::Ok();
        TESSERA_ASSIGN_OR_RETURN(auto teams, cat->Teams());
        std::string domain = c.Query("domain");
        std::vector<std::pair<std::string, json>> items;
        for (const auto& t : teams) {
            if (!domain.empty() && t.domain != domain) continue;
            items.emplace_back(t.name, json::parse(spec::EncodeJson(t)));
        }
        TESSERA_ASSIGN_OR_RETURN(json page, Page(c, items));
        ReplyJson(c.res, page);
        return Status::Ok();
    });
    Route("GET", "/api/v1/teams/{team}", Auth::kCaller, [this](Call& c) {
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kReadCatalog));
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(auto found, cat->Find("team/" + c.params[0]));
        if (!SetETag(c, std::to_string(found.revision))) return Status::Ok();
        ReplyJson(c.res, EntityJson(found));
        return Status::Ok();
    });
    // Deleting a domain or a team: refused while something still belongs to it.
    auto delete_entity = [this](Call& c, const std::string& address, const std::string& domain) -> Status {
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kWriteDomain, domain));
        TESSERA_ASSIGN_OR_RETURN(auto if_match, IfMatchRevision(c));
        TESSERA_ASSIGN_OR_RETURN(bool force, BoolParam(c, "force"));
        std::lock_guard<std::mutex> lock(write_mu_);
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(auto found, cat->Find(address));
        if (if_match && *if_match != kAnyRevision && *if_match != found.revision) return Stale(address, found.revision, *if_match);
        catalog::DeleteOptions options;
        options.force = force;
        options.author = c.who.user;
        options.message = c.Query("message");
        TESSERA_ASSIGN_OR_RETURN(auto rev, cat->Delete(address, options));
        (void)access_->Audit({0, 0, c.who.user, "delete", address, "ok", options.message, -1});
        ReplyJson(c.res, {{"deleted", address}, {"revision", rev.number}});
        return Status::Ok();
    };
    Route("DELETE", "/api/v1/domains/{domain}", Auth::kCaller,
          [delete_entity](Call& c) { return delete_entity(c, "domain/" + c.params[0], c.params[0]); });
    Route("DELETE", "/api/v1/teams/{team}", Auth::kCaller, [this, delete_entity](Call& c) -> Status {
        std::string domain;
        {
            TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
            TESSERA_ASSIGN_OR_RETURN(auto found, cat->Find("team/" + c.params[0]));
            domain = std::get<model::Team>(found.entity).domain;
        }
        return delete_entity(c, "team/" + c.params[0], domain);
    });

    // ---------------------------------------------------------------- products and ports
    auto list_products = [this](Call& c, const std::string& domain) -> Status {
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kReadCatalog, domain));
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(int64_t rev, cat->Revision());
        if (!SetETag(c, std::to_string(rev))) return Status::Ok();
        // Names first, documents only for the page: a page of 50 of 5,000 products read
        // one product at a time, not all of them decoded (1-2 s at 100,000 products).
        TESSERA_ASSIGN_OR_RETURN(std::vector<std::string> keys, cat->ProductNames(domain));
        Status read = Status::Ok();
        TESSERA_ASSIGN_OR_RETURN(json page, Page(c, keys, [&](size_t i) -> json {
            auto found = cat->Find(keys[i]);
            if (!found.ok()) {
                read = found.status();
                return nullptr;
            }
            return json::parse(found->document);
        }));
        TESSERA_RETURN_IF_ERROR(read);
        ReplyJson(c.res, page);
        return Status::Ok();
    };
    Route("GET", "/api/v1/products", Auth::kCaller, [list_products](Call& c) { return list_products(c, c.Query("domain")); });
    Route("GET", "/api/v1/domains/{domain}/products", Auth::kCaller, [this, list_products](Call& c) -> Status {
        {
            TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
            TESSERA_RETURN_IF_ERROR(cat->Find("domain/" + c.params[0]).status());
        }
        return list_products(c, c.params[0]);
    });

    // The product of the path, read and authorized.
    auto product = [this](Call& c, catalog::Catalog& cat) { return ReadProduct(c, cat); };
    Route("GET", "/api/v1/domains/{domain}/products/{product}", Auth::kCaller, [this, product](Call& c) {
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        // The answer depends on the catalog's revision only (the document and its readers).
        TESSERA_ASSIGN_OR_RETURN(int64_t revision, cat->Revision());
        CachedBody cached;
        if (CachedRead(c.req.path, revision, &cached)) {
            TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kReadCatalog, c.params[0]));
            if (!SetETag(c, cached.etag)) return Status::Ok();
            c.res.set_content(cached.body, "application/json");
            return Status::Ok();
        }
        TESSERA_ASSIGN_OR_RETURN(auto found, product(c, *cat));
        json j = EntityJson(found);
        TESSERA_ASSIGN_OR_RETURN(auto readers, cat->Readers(c.params[0] + "." + c.params[1]));
        j["status"]["readers"] = readers;
        std::string body = JsonText(j);
        CacheRead(c.req.path, {revision, std::to_string(found.revision), body});
        if (!SetETag(c, std::to_string(found.revision))) return Status::Ok();
        c.res.set_content(body, "application/json");
        return Status::Ok();
    });

    // Writes one product: create (POST: 409 when the name is taken) or replace (PUT: If-Match
    // must name its current revision when given; 412 otherwise).
    auto write_product = [this](Call& c, const std::string& domain, const std::string& name, bool create) -> Status {
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kWriteDomain, domain));
        TESSERA_ASSIGN_OR_RETURN(auto if_match, IfMatchRevision(c));
        TESSERA_ASSIGN_OR_RETURN(bool dry_run, BoolParam(c, "dry_run"));
        TESSERA_ASSIGN_OR_RETURN(spec::LoadReport report, DecodeBatch(c));
        if (HasErrors(report.diagnostics)) {
            ReplyDiagnostics(c, report.diagnostics);
            return Status::Ok();
        }
        const auto& b = report.batch;
        if (b.products.size() != 1 || b.size() != 1) {
            return InvalidArgument("body: expected exactly one DataProduct descriptor, found " + std::to_string(b.size()) +
                                   " documents (use POST /api/v1/apply for batches)");
        }
        const auto& p = b.products[0].product;
        if (p.domain != domain || (!create && p.name != name)) {
            return InvalidArgument("metadata: the descriptor names " + p.FullName() + " but the path names " + domain +
                                   (create ? "" : "." + name));
        }
        std::lock_guard<std::mutex> lock(write_mu_);
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        auto existing = cat->Find(p.FullName());
        if (!existing.ok() && existing.status().code() != StatusCode::kNotFound) return existing.status();
        if (create && existing.ok()) {
            return AlreadyExists("data product " + p.FullName() + " exists already (revision " +
                                 std::to_string(existing->revision) + "); replace it with PUT and If-Match");
        }
        if (if_match) {
            if (!existing.ok()) return Stale(p.FullName(), 0, *if_match);
            if (*if_match != kAnyRevision && existing->revision != *if_match) return Stale(p.FullName(), existing->revision, *if_match);
        }
        TESSERA_ASSIGN_OR_RETURN(auto diagnostics, cat->Check(b));
        if (HasErrors(diagnostics)) {
            ReplyDiagnostics(c, diagnostics);
            return Status::Ok();
        }
        TESSERA_ASSIGN_OR_RETURN(auto plan, cat->MakePlan(b));
        TESSERA_RETURN_IF_ERROR(access::AuthorizeBatch(*access_, c.who, *cat, b, plan));
        // Reviewed by governance as POST /api/v1/apply and `tessera apply` are: a breaking change
        // needs a major version and enforced policies must pass, or nothing is written.
        TESSERA_ASSIGN_OR_RETURN(auto review, governance::ReviewBatch(*cat, b, {governance::PolicyToday(), [this](const std::string& port) { return access::GrantHolders(*access_, port); }}));
        if (dry_run) {
            json j = PlanJson(plan);
            AddReview(review, j);
            ReplyJson(c.res, j);
            return Status::Ok();
        }
        if (review.Blocks()) {
            ReplyBlocked(c, review);
            return Status::Ok();
        }
        catalog::ApplyOptions options;
        options.author = c.who.user;
        options.message = c.Query("message");
        options.expected_revision = plan.base_revision;  // the If-Match check above holds until the commit
        TESSERA_ASSIGN_OR_RETURN(auto result, cat->Apply(b, options));
        (void)access_->Audit({0, 0, c.who.user, "apply", p.FullName(), "ok", options.message, -1});
        TESSERA_ASSIGN_OR_RETURN(auto stored, cat->Find(p.FullName()));
        c.res.set_header("ETag", ETagOf(std::to_string(stored.revision)));
        if (create) c.res.set_header("Location", "/api/v1/domains/" + p.domain + "/products/" + p.name);
        ReplyJson(c.res, EntityJson(stored), create ? 201 : 200);
        NudgeScheduler();
        return Status::Ok();
    };
    Route("POST", "/api/v1/domains/{domain}/products", Auth::kCaller,
          [write_product](Call& c) { return write_product(c, c.params[0], "", true); });
    Route("PUT", "/api/v1/domains/{domain}/products/{product}", Auth::kCaller,
          [write_product](Call& c) { return write_product(c, c.params[0], c.params[1], false); });
    Route("DELETE", "/api/v1/domains/{domain}/products/{product}", Auth::kCaller,
          [delete_entity](Call& c) { return delete_entity(c, c.params[0] + "." + c.params[1], c.params[0]); });

    Route("GET", "/api/v1/domains/{domain}/products/{product}/ports", Auth::kCaller, [this, product](Call& c) {
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(auto found, product(c, *cat));
        if (!SetETag(c, std::to_string(found.revision))) return Status::Ok();
        json doc = json::parse(found.document);
        std::vector<std::pair<std::string, json>> items;
        for (const auto& port : doc["spec"].value("outputs", json::array())) items.emplace_back(port["name"], port);
        TESSERA_ASSIGN_OR_RETURN(json page, Page(c, items));
        ReplyJson(c.res, page);
        return Status::Ok();
    });
    Route("GET", "/api/v1/domains/{domain}/products/{product}/ports/{port}", Auth::kCaller, [this, product](Call& c) {
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(auto found, product(c, *cat));
        json doc = json::parse(found.document);
        for (const auto& port : doc["spec"].value("outputs", json::array())) {
            if (port["name"] == c.params[2]) {
                if (!SetETag(c, std::to_string(found.revision))) return Status::Ok();
                json j = port;
                j["urn"] = model::Address{c.params[0], c.params[1], c.params[2]}.ToUrn();
                ReplyJson(c.res, j);
                return Status::Ok();
            }
        }
        return NotFound("data product " + c.params[0] + "." + c.params[1] + " has no output port \"" + c.params[2] + "\"");
    });

    // ---------------------------------------------------------------- snapshots, runs, quality
    auto snapshots = [this, product](Call& c, const std::string& port) -> Status {
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(auto found, product(c, *cat));
        const auto& p = std::get<model::DataProduct>(found.entity);
        if (!port.empty() && std::none_of(p.outputs.begin(), p.outputs.end(), [&](const auto& o) { return o.name == port; })) {
            return NotFound("data product " + p.FullName() + " has no output port \"" + port + "\"");
        }
        TESSERA_ASSIGN_OR_RETURN(auto snaps, cat->Snapshots(p.FullName(), port));
        std::vector<std::pair<std::string, json>> items;
        char key[64];
        for (const auto& s : snaps) {  // newest first within a port: key by port, then descending version
            std::snprintf(key, sizeof key, "%s/%020lld", s.port.c_str(), static_cast<long long>(INT64_MAX - s.version));
            items.emplace_back(key, SnapshotJson(s));
        }
        std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        TESSERA_ASSIGN_OR_RETURN(json page, Page(c, items));
        ReplyJson(c.res, page);
        return Status::Ok();
    };
    Route("GET", "/api/v1/domains/{domain}/products/{product}/snapshots", Auth::kCaller,
          [snapshots](Call& c) { return snapshots(c, ""); });
    Route("GET", "/api/v1/domains/{domain}/products/{product}/ports/{port}/snapshots", Auth::kCaller,
          [snapshots](Call& c) { return snapshots(c, c.params[2]); });

    Route("GET", "/api/v1/domains/{domain}/products/{product}/runs", Auth::kCaller, [this, product](Call& c) {
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(auto found, product(c, *cat));
        TESSERA_ASSIGN_OR_RETURN(int64_t limit, IntParam(c, "limit", 20, 1, kMaxPageSize));
        int64_t before = 0;
        if (!c.Query("cursor").empty()) {
            TESSERA_ASSIGN_OR_RETURN(std::string s, HexDecode(c.Query("cursor")));
            before = std::strtoll(s.c_str(), nullptr, 10);
        }
        // Newest first; the cursor is the last id shown. Ask for enough to skip past it.
        TESSERA_ASSIGN_OR_RETURN(auto runs, cat->Runs(c.params[0] + "." + c.params[1], before ? 100000 : limit + 1));
        const RunView view = RunViewOf(*access_, c.who, std::get<model::DataProduct>(found.entity));
        json page;
        page["items"] = json::array();
        int64_t last = 0;
        bool more = false;
        for (const auto& r : runs) {
            if (before && r.id >= before) continue;
            if (static_cast<int64_t>(page["items"].size()) == limit) {
                more = true;
                break;
            }
            json j = RunJson(r, view);
            if (c.Query("checks") == "true") {
                TESSERA_ASSIGN_OR_RETURN(auto checks, cat->Checks(r.id));
                j["checks"] = json::array();
                for (const auto& ch : checks) j["checks"].push_back(CheckJson(ch, view));
            }
            page["items"].push_back(j);
            last = r.id;
        }
        page["next_cursor"] = more ? json(HexEncode(std::to_string(last))) : json();
        ReplyJson(c.res, page);
        return Status::Ok();
    });
    Route("GET", "/api/v1/domains/{domain}/products/{product}/runs/{run}", Auth::kCaller, [this, product](Call& c) {
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(auto found, product(c, *cat));
        int64_t id = std::strtoll(c.params[2].c_str(), nullptr, 10);
        TESSERA_ASSIGN_OR_RETURN(auto runs, cat->Runs(c.params[0] + "." + c.params[1], 100000));
        const RunView view = RunViewOf(*access_, c.who, std::get<model::DataProduct>(found.entity));
        for (const auto& r : runs) {
            if (r.id != id) continue;
            json j = RunJson(r, view);
            TESSERA_ASSIGN_OR_RETURN(auto checks, cat->Checks(r.id));
            j["checks"] = json::array();
            for (const auto& ch : checks) j["checks"].push_back(CheckJson(ch, view));
            ReplyJson(c.res, j);
            return Status::Ok();
        }
        return NotFound("data product " + c.params[0] + "." + c.params[1] + " has no run \"" + c.params[2] + "\"");
    });
    Route("POST", "/api/v1/domains/{domain}/products/{product}/runs", Auth::kCaller, [this, product](Call& c) {
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kWriteDomain, c.params[0]));
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(auto found, product(c, *cat));
        engine::Runner runner(*cat, BuildOptions());
        engine::RunRequest request;
        request.products = {c.params[0] + "." + c.params[1]};
        request.author = c.who.user;
        TESSERA_ASSIGN_OR_RETURN(auto outcomes, runner.Run(request));
        const RunView view = RunViewOf(*access_, c.who, std::get<model::DataProduct>(found.entity));
        json arr = json::array();
        for (const auto& o : outcomes) {
            metrics_.CountRun(o.status);
            int64_t failed = 0;
            json checks = json::array();
            for (const auto& ch : o.checks) {
                failed += ch.status == "failed" || ch.status == "error";
                checks.push_back(CheckJson(ch, view));
            }
            metrics_.CountQualityFailures(failed);
            json published = json::array();
            for (const auto& s : o.published) published.push_back(SnapshotJson(s));
            arr.push_back({{"product", o.product}, {"status", o.status}, {"run_id", o.run_id},
                           {"error", view.team ? o.error : engine::PublicRunMessage(o.error)},
                           {"duration_ms", o.duration_ms}, {"checks", checks}, {"published", published}});
        }
        (void)access_->Audit({0, 0, c.who.user, "run", request.products[0], "ok", "", -1});
        NudgeScheduler();
        ReplyJson(c.res, arr.size() == 1 ? arr[0] : arr, 200);
        return Status::Ok();
    });
    Route("GET", "/api/v1/domains/{domain}/products/{product}/quality", Auth::kCaller, [this, product](Call& c) {
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(auto found, product(c, *cat));
        TESSERA_ASSIGN_OR_RETURN(auto runs, cat->Runs(c.params[0] + "." + c.params[1], 100));
        const RunView view = RunViewOf(*access_, c.who, std::get<model::DataProduct>(found.entity));
        json j;
        j["product"] = c.params[0] + "." + c.params[1];
        j["run"] = json();
        j["checks"] = json::array();
        for (const auto& r : runs) {  // the newest run that checked anything
            TESSERA_ASSIGN_OR_RETURN(auto checks, cat->Checks(r.id));
            if (checks.empty()) continue;
            j["run"] = RunJson(r, view);
            for (const auto& ch : checks) j["checks"].push_back(CheckJson(ch, view));
            break;
        }
        ReplyJson(c.res, j);
        return Status::Ok();
    });
    Route("GET", "/api/v1/status", Auth::kCaller, [this](Call& c) {
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kReadCatalog, c.Query("domain")));
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(auto states, engine::ProductStates(*cat, std::time(nullptr)));
        std::string domain = c.Query("domain");
        json arr = json::array();
        for (const auto& s : states) {
            if (!domain.empty() && s.product.rfind(domain + ".", 0) != 0) continue;
            arr.push_back({{"product", s.product},
                           {"state", s.state},
                           {"last_success_ms", s.last_success_ms},
                           {"age_ms", s.age_ms},
                           {"sla_ms", s.sla_ms},
                           {"last_run_status", s.last_run_status},
                           {"last_error", access::Allowed(c.who, access::Action::kWriteDomain,
                                                          s.product.substr(0, s.product.find('.')))
                                                  ? s.last_error
                                                  : engine::PublicRunMessage(s.last_error)}});
        }
        ReplyJson(c.res, {{"items", arr}});
        return Status::Ok();
    });

    // ---------------------------------------------------------------- apply
    Route("POST", "/api/v1/apply", Auth::kCaller, [this](Call& c) {
        TESSERA_ASSIGN_OR_RETURN(auto if_match, IfMatchRevision(c));
        TESSERA_ASSIGN_OR_RETURN(bool dry_run, BoolParam(c, "dry_run"));
        TESSERA_ASSIGN_OR_RETURN(spec::LoadReport report, DecodeBatch(c));
        if (HasErrors(report.diagnostics)) {
            ReplyDiagnostics(c, report.diagnostics);
            return Status::Ok();
        }
        if (report.batch.size() == 0) return InvalidArgument("body: expected one or more descriptors, found none");
        std::unique_lock<std::mutex> lock(write_mu_, std::defer_lock);
        if (!dry_run) lock.lock();
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(auto diagnostics, cat->Check(report.batch));
        for (const auto& d : report.diagnostics) diagnostics.insert(diagnostics.begin(), d);  // warnings first
        if (HasErrors(diagnostics)) {
            ReplyDiagnostics(c, diagnostics);
            return Status::Ok();
        }
        // As `tessera apply`: the caller must be allowed to write every entity of every kind the
        // batch changes (access/batch_authorization.h), and the apply is pinned to the checked revision.
        TESSERA_ASSIGN_OR_RETURN(auto checked, cat->MakePlan(report.batch));
        TESSERA_RETURN_IF_ERROR(access::AuthorizeBatch(*access_, c.who, *cat, report.batch, checked));
        // As `tessera plan` and `tessera apply`: breaking changes need a major version and enforced
        // policies must pass, or nothing is written (governance/review.h).
        TESSERA_ASSIGN_OR_RETURN(auto review, governance::ReviewBatch(*cat, report.batch, {governance::PolicyToday(), [this](const std::string& port) { return access::GrantHolders(*access_, port); }}));
        if (dry_run) {
            const auto& plan = checked;
            json j = PlanJson(plan);
            j["diagnostics"] = DiagnosticsJson(diagnostics);
            AddReview(review, j);
            ReplyJson(c.res, j);
            return Status::Ok();
        }
        if (review.Blocks()) {
            ReplyBlocked(c, review);
            return Status::Ok();
        }
        catalog::ApplyOptions options;
        options.author = c.who.user.empty() ? "anonymous" : c.who.user;
        options.message = c.Query("message");
        options.expected_revision = if_match && *if_match != kAnyRevision ? if_match
                                                                          : std::optional<int64_t>(checked.base_revision);
        TESSERA_ASSIGN_OR_RETURN(auto result, cat->Apply(report.batch, options));
        json j = PlanJson(result.plan);
        j["revision"] = result.revision ? result.revision->number : result.plan.base_revision;
        j["changed"] = result.revision.has_value();
        j["diagnostics"] = DiagnosticsJson(diagnostics);
        AddReview(review, j);
        std::set<std::string> domains = DomainsOf(report.batch);
        (void)access_->Audit({0, 0, c.who.user, "apply", text::Join(std::vector<std::string>(domains.begin(), domains.end()), ","),
                              "ok", options.message, -1});
        c.res.set_header("ETag", ETagOf(std::to_string(j["revision"].get<int64_t>())));
        ReplyJson(c.res, j);
        NudgeScheduler();
        return Status::Ok();
    });

    // ---------------------------------------------------------------- query
    Route("POST", "/api/v1/query", Auth::kCaller, [this](Call& c) -> Status {
        TESSERA_RETURN_IF_ERROR(AuthorizeQuery(c.who));
        auto body = json::parse(c.req.body, nullptr, false);
        if (body.is_discarded() || !body.is_object()) {
            return InvalidArgument("body: expected a JSON object {\"sql\": \"select …\", \"format\": \"jsonl\"}");
        }
        if (!body.contains("sql") || !body["sql"].is_string()) return InvalidArgument("sql: expected a string");
        std::string sql = body["sql"];
        std::string format = body.value("format", "jsonl");
        static const std::set<std::string> kFormats = {"jsonl", "csv", "parquet", "table"};
        if (!kFormats.count(format)) {
            return InvalidArgument("format: expected jsonl, csv, parquet or table, found \"" + format + "\"");
        }
        engine::QueryOptions options;
        options.user = c.who.user;
        options.timeout_ms = options_.query_timeout_ms;
        options.max_rows = options_.query_max_rows;
        if (body.contains("max_rows")) {
            if (!body["max_rows"].is_number_integer() || body["max_rows"].get<int64_t>() < 1) {
                return InvalidArgument("max_rows: expected a whole number >= 1");
            }
            options.max_rows = std::min(options.max_rows, body["max_rows"].get<int64_t>());
        }
        if (body.contains("timeout_ms")) {
            if (!body["timeout_ms"].is_number_integer() || body["timeout_ms"].get<int64_t>() < 1) {
                return InvalidArgument("timeout_ms: expected a whole number >= 1");
            }
            options.timeout_ms = std::min(options.timeout_ms, body["timeout_ms"].get<int64_t>());
        }
        std::shared_ptr<TempDir> dir;
        if (format == "parquet") {
            dir = std::make_shared<TempDir>();
            options.output_file = (dir->path() / "result.parquet").string();
            options.output_format = "parquet";
        }
        TESSERA_ASSIGN_OR_RETURN(auto result, RunSandboxedQuery(c.who, sql, options));
        auto table = std::make_shared<engine::Table>(std::move(result.table));
        int64_t rows = format == "parquet" ? table->rows_written : static_cast<int64_t>(table->rows.size());
        c.res.set_header("Tessera-Rows", std::to_string(rows));
        if (table->truncated) c.res.set_header("Tessera-Truncated", "true");
        if (format == "table") {
            json j;
            j["columns"] = table->columns;
            j["types"] = table->types;
            j["rows"] = json::array();
            for (const auto& row : table->rows) {
                json r = json::array();
                for (const auto& v : row) r.push_back(v ? json(*v) : json());
                j["rows"].push_back(r);
            }
            j["truncated"] = table->truncated;
            ReplyJson(c.res, j);
            return Status::Ok();
        }
        if (format == "parquet") {
            std::string path = options.output_file;
            auto size = fs::file_size(path);
            auto in = std::make_shared<std::ifstream>(path, std::ios::binary);
            c.res.set_content_provider(
                    size, "application/vnd.apache.parquet",
                    [in, dir](size_t offset, size_t length, httplib::DataSink& sink) {
                        std::vector<char> buf(std::min<size_t>(length, 1 << 16));
                        in->seekg(static_cast<std::streamoff>(offset));
                        in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
                        sink.write(buf.data(), static_cast<size_t>(in->gcount()));
                        return true;
                    },
                    [in, dir](bool) { in->close(); });
            return Status::Ok();
        }
        // JSON lines or CSV, streamed in chunks of rows.
        auto shared = table;
        auto next = std::make_shared<size_t>(0);
        bool csv = format == "csv";
        c.res.set_chunked_content_provider(
                csv ? "text/csv" : "application/x-ndjson",
                [shared, next, csv](size_t, httplib::DataSink& sink) {
                    std::string chunk;
                    if (*next == 0 && csv) chunk += engine::CsvLine({shared->columns.begin(), shared->columns.end()});
                    size_t end = std::min(shared->rows.size(), *next + 1000);
                    for (; *next < end; ++*next) {
                        chunk += csv ? engine::CsvLine(shared->rows[*next]) : engine::JsonLine(*shared, *next);
                    }
                    if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) return false;
                    if (*next >= shared->rows.size()) sink.done();
                    return true;
                });
        return Status::Ok();
    });

    // ---------------------------------------------------------------- discovery
    Route("GET", "/api/v1/search", Auth::kCaller, [this](Call& c) -> Status {
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kReadCatalog));
        search::SearchRequest r;
        r.text = c.Query("q");
        r.domain = c.Query("domain");
        r.owner = c.Query("owner");
        r.tag = c.Query("tag");
        r.kind = c.Query("kind");
        r.classification = c.Query("classification");
        r.status = c.Query("status");
        r.cursor = c.Query("cursor");
        TESSERA_ASSIGN_OR_RETURN(r.limit, IntParam(c, "limit", 20, 1, kMaxPageSize));
        static const std::set<std::string> kStates = {"", "fresh", "stale", "failing", "never run"};
        if (!kStates.count(r.status)) {
            return InvalidArgument("status: expected fresh, stale, failing or never run, found \"" + r.status + "\"");
        }
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        if (!r.status.empty()) {
            TESSERA_ASSIGN_OR_RETURN(auto states, engine::ProductStates(*cat, std::time(nullptr)));
            for (const auto& s : states) r.states[s.product] = s.state;
        }
        TESSERA_ASSIGN_OR_RETURN(auto result, search::Search(*cat, r));
        json j;
        j["query"] = r.text;
        if (!result.corrected.empty()) j["corrected"] = result.corrected;
        j["total"] = result.page.total;
        j["hits"] = json::array();
        for (const auto& h : result.page.hits) {
            j["hits"].push_back({{"product", h.name}, {"score", h.score}, {"text_score", h.text_score}, {"trust", h.trust},
                                 {"matched", h.matched}, {"snippet", h.snippet}});
            if (auto d = result.deprecated.find(h.name); d != result.deprecated.end()) j["hits"].back()["deprecated"] = d->second;
        }
        j["facets"] = result.page.facets;
        j["next_cursor"] = result.next_cursor.empty() ? json() : json(result.next_cursor);
        ReplyJson(c.res, j);
        return Status::Ok();
    });
    Route("GET", "/api/v1/lineage", Auth::kCaller, [this](Call& c) -> Status {
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kReadCatalog));
        std::string direction = c.Query("direction", "upstream");
        if (direction != "upstream" && direction != "downstream") {
            return InvalidArgument("direction: expected upstream or downstream, found \"" + direction + "\"");
        }
        TESSERA_ASSIGN_OR_RETURN(std::string target, LineageTarget(c));
        TESSERA_ASSIGN_OR_RETURN(int64_t depth, IntParam(c, "depth", 0, 0, 1000));
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        search::LineageRequest request{target,
                                       direction == "downstream" ? search::Direction::kDownstream : search::Direction::kUpstream,
                                       static_cast<int>(depth)};
        TESSERA_ASSIGN_OR_RETURN(auto graph, search::BuildLineage(*cat, request, engine::ParseTree));
        c.res.set_content(search::RenderJson(graph), "application/json");
        return Status::Ok();
    });
    Route("GET", "/api/v1/impact", Auth::kCaller, [this](Call& c) -> Status {
        TESSERA_RETURN_IF_ERROR(access_->Authorize(c.who, access::Action::kReadCatalog));
        TESSERA_ASSIGN_OR_RETURN(std::string target, LineageTarget(c));
        TESSERA_ASSIGN_OR_RETURN(auto cat, pool_.Acquire());
        TESSERA_ASSIGN_OR_RETURN(auto graph, search::BuildLineage(*cat, {target, search::Direction::kDownstream, 0}, engine::ParseTree));
        std::set<std::string> products, columns;
        for (const auto& e : graph.edges) {
            const std::string& node = e.to;
            auto first = node.find('.');
            auto second = node.find('.', first + 1);
            products.insert(second == std::string::npos ? node : node.substr(0, second));
            if (second != std::string::npos) columns.insert(node);
        }
        json arr = json::array();
        for (const auto& p : products) {
            auto found = cat->Find(p);
            std::string owner = found.ok() && std::holds_alternative<model::DataProduct>(found->entity)
                                        ? std::get<model::DataProduct>(found->entity).owner
                                        : "?";
            std::vector<std::string> cols;
            for (const auto& col : columns) {
                if (col.rfind(p + ".", 0) == 0) cols.push_back(col.substr(p.size() + 1));
            }
            arr.push_back({{"product", p}, {"owner", owner}, {"columns", cols}});
        }
        TESSERA_ASSIGN_OR_RETURN(auto holders, access::GrantHolders(*access_, target));
        ReplyJson(c.res, {{"target", target}, {"affected", arr}, {"unknown", graph.unknown}, {"grant_holders", holders}});
        return Status::Ok();
    });

    // ---------------------------------------------------------------- audit
    Route("GET", "/api/v1/audit", Auth::kCaller, [this](Call& c) -> Status {
        access::AuditFilter filter;
        TESSERA_ASSIGN_OR_RETURN(filter.since_ms, IntParam(c, "since_ms", 0, 0, INT64_MAX));
        TESSERA_ASSIGN_OR_RETURN(filter.limit, IntParam(c, "limit", 1000, 1, 100000));
        filter.user = c.Query("user");
        filter.action = c.Query("action");
        TESSERA_ASSIGN_OR_RETURN(auto events, access_->AuditLog(c.who, filter));
        json arr = json::array();
        for (const auto& e : events) {
            json j = {{"id", e.id},         {"at", IsoTime(e.at_ms)}, {"at_ms", e.at_ms},   {"user", e.user},
                      {"action", e.action}, {"target", e.target},     {"outcome", e.outcome}, {"details", e.details}};
            if (e.rows >= 0) j["rows"] = e.rows;
            arr.push_back(j);
        }
        ReplyJson(c.res, {{"items", arr}});
        return Status::Ok();
    });

    RegisterWebRoutes();
}

}  // namespace tessera::server::internal
