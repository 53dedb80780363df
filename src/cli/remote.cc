#include "cli/remote.h"

#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/logging.h"
#include "model/address.h"

namespace tessera::cli {

using json = nlohmann::ordered_json;

RemoteCatalog::RemoteCatalog(const std::string& url, const std::string& token) : url_(url), token_(token) {
    std::string base = url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    client_ = std::make_unique<httplib::Client>(base);
    client_->set_connection_timeout(10, 0);
    client_->set_read_timeout(600, 0);
    client_->set_write_timeout(60, 0);
    if (!token_.empty()) client_->set_bearer_token_auth(token_.c_str());
}

RemoteCatalog::~RemoteCatalog() = default;

Status StatusFromProblem(const json& problem) {
    static const std::map<std::string, StatusCode> kCodes = {
            {"invalid-argument", StatusCode::kInvalidArgument},     {"invalid-descriptor", StatusCode::kInvalidArgument},
            {"bad-request", StatusCode::kInvalidArgument},          {"not-found", StatusCode::kNotFound},
            {"route-not-found", StatusCode::kNotFound},             {"already-exists", StatusCode::kAlreadyExists},
            {"failed-precondition", StatusCode::kFailedPrecondition}, {"stale-revision", StatusCode::kAborted},
            {"permission-denied", StatusCode::kPermissionDenied},   {"unauthenticated", StatusCode::kUnauthenticated},
            {"limit-exceeded", StatusCode::kResourceExhausted},     {"deadline-exceeded", StatusCode::kDeadlineExceeded},
            {"unavailable", StatusCode::kUnavailable},              {"internal-error", StatusCode::kInternal},
    };
    std::string type = problem.value("type", "");
    std::string slug = type.substr(type.rfind(':') + 1);
    auto it = kCodes.find(slug);
    StatusCode code = it == kCodes.end() ? StatusCode::kInternal : it->second;
    std::string detail = problem.value("detail", "the server refused the request");
    // Descriptor diagnostics print as they do locally: one line each, then the summary.
    if (problem.contains("diagnostics") && problem["diagnostics"].is_array() && !problem["diagnostics"].empty()) {
        std::string lines;
        for (const auto& d : problem["diagnostics"]) lines += d.value("text", "") + "\n";
        return {code, lines + "tessera: " + detail};
    }
    return {code, detail, problem.value("location", "")};
}

Result<json> RemoteCatalog::Answer(int status, const std::string& body, const std::string& content_type,
                                   std::string* raw) {
    last_problem_ = json();
    if (status >= 400) {
        auto problem = json::parse(body, nullptr, false);
        if (problem.is_discarded() || !problem.is_object()) {
            return Status(status >= 500 ? StatusCode::kUnavailable : StatusCode::kInvalidArgument,
                          "the server at " + url_ + " answered HTTP " + std::to_string(status) + " without a problem document");
        }
        last_problem_ = problem;
        return StatusFromProblem(problem);
    }
    if (raw && content_type.rfind("application/json", 0) != 0) {
        *raw = body;
        return json();
    }
    auto j = json::parse(body, nullptr, false);
    if (j.is_discarded()) return Internal("the server at " + url_ + " answered something that is not JSON");
    return j;
}

Result<json> RemoteCatalog::Get(const std::string& path) {
    TESSERA_LOG(kDebug) << "GET " << url_ << path;
    auto r = client_->Get(path);
    if (!r) return Unavailable("cannot reach the server at " + url_ + ": " + httplib::to_string(r.error()));
    return Answer(r->status, r->body, r->get_header_value("Content-Type"), nullptr);
}

Result<std::vector<json>> RemoteCatalog::GetAll(const std::string& path) {
    std::vector<json> out;
    std::string cursor;
    std::string sep = path.find('?') == std::string::npos ? "?" : "&";
    do {
        TESSERA_ASSIGN_OR_RETURN(json page, Get(path + sep + "limit=1000" + (cursor.empty() ? "" : "&cursor=" + cursor)));
        for (auto& item : page["items"]) out.push_back(std::move(item));
        cursor = page.contains("next_cursor") && page["next_cursor"].is_string() ? page["next_cursor"].get<std::string>() : "";
    } while (!cursor.empty());
    return out;
}

Result<json> RemoteCatalog::Send(const std::string& method, const std::string& path, const std::string& body,
                                 const std::string& content_type,
                                 const std::vector<std::pair<std::string, std::string>>& headers, std::string* raw) {
    TESSERA_LOG(kDebug) << method << " " << url_ << path;
    httplib::Headers h;
    for (const auto& [k, v] : headers) h.emplace(k, v);
    auto r = method == "PUT" ? client_->Put(path, h, body, content_type) : client_->Post(path, h, body, content_type);
    if (!r) return Unavailable("cannot reach the server at " + url_ + ": " + httplib::to_string(r.error()));
    auto answer = Answer(r->status, r->body, r->get_header_value("Content-Type"), raw);
    if (answer.ok() && raw && answer->is_null()) {
        json meta;
        meta["rows"] = r->get_header_value("Tessera-Rows");
        meta["truncated"] = r->get_header_value("Tessera-Truncated") == "true";
        return meta;
    }
    return answer;
}

Result<spec::Entity> RemoteCatalog::Decode(const json& document) {
    json doc = document;
    doc.erase("status");
    return spec::DecodeJson(doc.dump());
}

Result<std::string> RemoteCatalog::Bundle(const spec::Batch& batch) {
    namespace fs = std::filesystem;
    // Every descriptor file of the batch once, in the order they were read, with the text of the
    // SQL files its products and policies name, as the loader read them inside the workspace
    // (spec::SqlFiles): the server reads SQL from the request only, never from its disk.
    std::vector<std::string> order;
    std::map<std::string, std::map<std::string, std::string>> attachments;
    auto add = [&](const std::string& file) {
        if (!attachments.count(file)) {
            order.push_back(file);
            attachments[file];
        }
    };
    for (const auto& d : batch.domains) add(d.at.file);
    for (const auto& t : batch.teams) add(t.at.file);
    for (const auto& p : batch.products) {
        add(p.at.file);
        const auto& t = p.product.transform;
        if (!t.sql_file.empty()) attachments[p.at.file][t.sql_file] = t.sql;
    }
    for (const auto& p : batch.policies) {
        add(p.at.file);
        if (!p.policy.sql_file.empty()) attachments[p.at.file][p.policy.sql_file] = p.policy.sql;
    }
    json files = json::array();
    for (const auto& file : order) {
        json f;
        f["name"] = file;
        std::error_code ec;
        f["origin"] = fs::absolute(file, ec).lexically_normal().string();
        std::ifstream in(file, std::ios::binary);
        if (!in) return NotFound("cannot read " + file);
        std::stringstream ss;
        ss << in.rdbuf();
        f["text"] = ss.str();
        f["attachments"] = json::object();
        for (const auto& [name, text] : attachments[file]) f["attachments"][name] = text;
        files.push_back(f);
    }
    return json{{"files", files}}.dump();
}

std::string ProductPath(const std::string& name) {
    auto a = model::Address::Parse(name);
    if (!a.ok() || a->IsDomain()) return "";
    return a->Product().ToRestPath();  // lower snake case parts: nothing to encode
}

std::string UrlEncode(const std::string& value) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : value) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

}  // namespace tessera::cli

namespace tessera::cli {

Result<catalog::Plan> PlanFromJson(const nlohmann::ordered_json& j) {
    catalog::Plan plan;
    plan.base_revision = j.value("base_revision", int64_t{0});
    static const std::map<std::string, model::EntityKind> kKinds = {
            {"Domain", model::EntityKind::kDomain},
            {"Team", model::EntityKind::kTeam},
            {"DataProduct", model::EntityKind::kDataProduct},
            {"Policy", model::EntityKind::kPolicy}};
    static const std::map<std::string, catalog::Action> kActions = {{"create", catalog::Action::kCreate},
                                                                   {"update", catalog::Action::kUpdate},
                                                                   {"unchanged", catalog::Action::kUnchanged},
                                                                   {"delete", catalog::Action::kDelete}};
    for (const auto& c : j.value("changes", nlohmann::ordered_json::array())) {
        catalog::EntityChange e;
        auto kind = kKinds.find(c.value("kind", ""));
        auto action = kActions.find(c.value("action", ""));
        if (kind == kKinds.end() || action == kActions.end()) return Internal("the server answered a plan Tessera cannot read");
        e.kind = kind->second;
        e.action = action->second;
        e.name = c.value("name", "");
        for (const auto& f : c.value("fields", nlohmann::ordered_json::array())) {
            e.fields.push_back({f.value("path", ""), f["before"].is_null() ? "" : f["before"].dump(),
                                f["after"].is_null() ? "" : f["after"].dump()});
        }
        plan.changes.push_back(std::move(e));
    }
    return plan;
}

}  // namespace tessera::cli
