#include "cli/context.h"

#include <pwd.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <iostream>

#include "common/logging.h"
#include "common/text.h"
#include "model/address.h"

namespace tessera::cli {

int ExitCodeFor(StatusCode code) {
    switch (code) {
        case StatusCode::kOk: return kExitOk;
        case StatusCode::kInvalidArgument: return kExitInvalid;
        case StatusCode::kNotFound: return kExitNotFound;
        case StatusCode::kAlreadyExists:
        case StatusCode::kAborted: return kExitConflict;
        case StatusCode::kFailedPrecondition: return kExitPrecondition;
        case StatusCode::kPermissionDenied:
        case StatusCode::kUnauthenticated: return kExitDenied;
        case StatusCode::kUnavailable:
        case StatusCode::kDeadlineExceeded:
        case StatusCode::kResourceExhausted: return kExitUnavailable;
        case StatusCode::kInternal: return kExitInternal;
    }
    return kExitInternal;
}

bool Context::CatalogExists() const { return std::filesystem::exists(CatalogPath()); }

std::unique_ptr<catalog::Catalog> Context::OpenCatalogOrEmpty() {
    if (CatalogExists()) return OpenCatalog(false);
    auto cat = catalog::Catalog::Open(":memory:");  // nothing is created on disk
    if (!cat.ok()) {
        Fail(cat.status());
        return nullptr;
    }
    return std::move(cat).value();
}

std::unique_ptr<catalog::Catalog> Context::OpenCatalog(bool create) {
    if (!create && !CatalogExists()) {
        Fail(NotFound("no catalog at " + CatalogPath() + ": run `tessera apply` first, or pass --catalog"));
        return nullptr;
    }
    auto cat = catalog::Catalog::Open(CatalogPath());
    if (!cat.ok()) {
        Fail(cat.status());
        return nullptr;
    }
    TESSERA_LOG(kDebug) << "opened catalog " << CatalogPath();
    return std::move(cat).value();
}

int Context::Fail(const Status& s) {
    // Multi-line messages (a list of diagnostics) are printed as they are.
    const std::string& m = s.message();
    if (m.find('\n') != std::string::npos) {
        std::cerr << m << "\n";
    } else {
        std::cerr << "tessera: error: " << s.ToString() << "\n";
    }
    exit_code = ExitCodeFor(s.code());
    return exit_code;
}

void Context::Say(const std::string& line) const {
    if (!quiet) std::cout << line << "\n";
}

std::string Context::Author() {
    for (const char* var : {"TESSERA_USER", "USER", "LOGNAME"}) {
        const char* v = std::getenv(var);
        if (v && *v) return v;
    }
    if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name) return pw->pw_name;
    return "unknown";
}

void Context::PrintStructured(const nlohmann::ordered_json& j) const {
    if (yaml) {
        std::cout << spec::JsonToYaml(j.dump());
    } else {
        std::cout << j.dump(2) << "\n";
    }
}

bool LoadAndCheck(Context& ctx, const std::vector<std::string>& paths, catalog::Catalog* cat, spec::Batch* batch) {
    spec::LoadReport report = spec::LoadPaths(paths);
    std::vector<spec::Diagnostic> diagnostics = std::move(report.diagnostics);
    // References are checked only when every document decoded: a broken document would make its
    // name look missing and report errors that are not there.
    if (diagnostics.empty()) {
        Result<std::vector<spec::Diagnostic>> more = std::vector<spec::Diagnostic>{};
        if (cat) {
            more = cat->Check(report.batch);
        } else {
            more = spec::CheckReferences(report.batch, {});
        }
        if (!more.ok()) {
            ctx.Fail(more.status());
            return false;
        }
        diagnostics = std::move(more).value();
    }
    size_t errors = 0;
    std::set<std::string> files;
    for (const auto& d : diagnostics) {
        std::cerr << d.ToString() << "\n";
        if (!d.warning) {
            ++errors;
            files.insert(d.at.file);
        }
    }
    if (errors > 0) {
        std::cerr << "tessera: " << errors << (errors == 1 ? " error" : " errors") << " in " << files.size()
                  << (files.size() == 1 ? " file" : " files") << "; nothing was changed\n";
        ctx.exit_code = kExitInvalid;
        return false;
    }
    *batch = std::move(report.batch);
    return true;
}

void PrintTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    std::vector<size_t> width(header.size());
    for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
    for (const auto& r : rows) {
        for (size_t i = 0; i < r.size() && i < width.size(); ++i) width[i] = std::max(width[i], r[i].size());
    }
    auto line = [&](const std::vector<std::string>& cells) {
        std::string s;
        for (size_t i = 0; i < cells.size(); ++i) {
            s += cells[i];
            if (i + 1 < cells.size()) s += std::string(width[i] - cells[i].size() + 2, ' ');
        }
        std::cout << s << "\n";
    };
    line(header);
    for (const auto& r : rows) line(r);
}

std::string FormatTime(int64_t ms) {
    std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%SZ", &tm);
    return buf;
}

std::string FormatDuration(int64_t ms) {
    char buf[64];
    if (ms < 1000) std::snprintf(buf, sizeof buf, "%lld ms", static_cast<long long>(ms));
    else if (ms < 60000) std::snprintf(buf, sizeof buf, "%.1f s", ms / 1000.0);
    else if (ms < 3600000) std::snprintf(buf, sizeof buf, "%lld min", static_cast<long long>(ms / 60000));
    else if (ms < 172800000) std::snprintf(buf, sizeof buf, "%.1f h", ms / 3600000.0);
    else std::snprintf(buf, sizeof buf, "%lld d", static_cast<long long>(ms / 86400000));
    return buf;
}

std::string FormatBytes(int64_t bytes) {
    char buf[64];
    if (bytes < 1024) std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(bytes));
    else if (bytes < 1024 * 1024) std::snprintf(buf, sizeof buf, "%.1f KB", bytes / 1024.0);
    else if (bytes < 1024LL * 1024 * 1024) std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1048576.0);
    else std::snprintf(buf, sizeof buf, "%.1f GB", bytes / 1073741824.0);
    return buf;
}

nlohmann::ordered_json CheckToJson(const store::CheckRecord& c) {
    nlohmann::ordered_json j = {{"port", c.port}, {"check", c.check}, {"status", c.status}, {"failures", c.failures},
                                {"message", c.message}};
    auto sample = nlohmann::ordered_json::parse(c.sample.empty() ? "[]" : c.sample, nullptr, false);
    if (!sample.is_discarded() && !sample.empty()) j["sample"] = sample;
    return j;
}

nlohmann::ordered_json FieldsToJson(const std::vector<catalog::FieldChange>& fields) {
    auto arr = nlohmann::ordered_json::array();
    for (const auto& f : fields) {
        nlohmann::ordered_json j;
        j["path"] = f.path;
        j["before"] = f.before.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json::parse(f.before);
        j["after"] = f.after.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json::parse(f.after);
        arr.push_back(j);
    }
    return arr;
}

nlohmann::ordered_json PlanToJson(const catalog::Plan& plan) {
    nlohmann::ordered_json j;
    j["base_revision"] = plan.base_revision;
    j["summary"] = {{"create", plan.Count(catalog::Action::kCreate)},
                    {"update", plan.Count(catalog::Action::kUpdate)},
                    {"unchanged", plan.Count(catalog::Action::kUnchanged)}};
    j["changes"] = nlohmann::ordered_json::array();
    for (const auto& c : plan.changes) {
        nlohmann::ordered_json e;
        e["kind"] = model::EntityKindName(c.kind);
        e["name"] = c.name;
        e["action"] = catalog::ActionName(c.action);
        if (c.action == catalog::Action::kUpdate) e["fields"] = FieldsToJson(c.fields);
        j["changes"].push_back(e);
    }
    return j;
}

void PrintFieldChanges(const std::vector<catalog::FieldChange>& fields, const std::string& indent) {
    auto shorten = [](const std::string& v) {
        std::string one = v;
        for (char& c : one) {
            if (c == '\n') c = ' ';
        }
        return text::Truncate(one, 80);
    };
    for (const auto& f : fields) {
        if (f.before.empty()) {
            std::cout << indent << "+ " << f.path << ": " << shorten(f.after) << "\n";
        } else if (f.after.empty()) {
            std::cout << indent << "- " << f.path << ": " << shorten(f.before) << "\n";
        } else {
            std::cout << indent << "~ " << f.path << ": " << shorten(f.before) << " -> " << shorten(f.after) << "\n";
        }
    }
}

namespace {

// Applies `ports` to a parsed product address: the name to leave in the argument, or an error.
std::string PortPolicy(PortArg ports, const model::Address& a, const std::string& value, std::string* name) {
    if (a.HasPort() && ports == PortArg::kRefuse) {
        return "\"" + value + "\" names the output port " + a.port + " of " + a.ProductName() +
               "; this command acts on whole products: name " + a.ProductName() +
               " (or remove the port from its descriptor and apply it)";
    }
    *name = ports == PortArg::kKeep || a.IsDomain() ? a.ToName() : a.ProductName();
    return "";
}

}  // namespace

CLI::Validator ProductAddressArg(PortArg ports) {
    return CLI::Validator(
            [ports](std::string& value) -> std::string {
                auto a = model::Address::Parse(value);
                if (!a.ok()) return a.status().message();
                if (a->IsDomain()) {
                    return "\"" + value + "\" names a domain; expected a data product (domain.product)";
                }
                return PortPolicy(ports, *a, value, &value);
            },
            "ADDRESS", "data product address");
}

CLI::Validator AnyAddressArg(PortArg ports) {
    return CLI::Validator(
            [ports](std::string& value) -> std::string {
                bool spelled = model::LooksLikeAddress(value);
                bool dotted = value.find('.') != std::string::npos && value.find('/') == std::string::npos;
                if (!spelled && !(dotted && ports == PortArg::kRefuse)) return "";
                auto a = model::Address::Parse(value);
                if (!a.ok()) return spelled ? a.status().message() : "";
                return PortPolicy(ports, *a, value, &value);
            },
            "ADDRESS", "address");
}

}  // namespace tessera::cli
