// tessera import odcs|odps|dcs|dpds|dbt FILE… [--domain D] [--out DIR]: convert documents of the
// open standards (and dbt manifests) into native descriptors, with a report of what went where.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include <unistd.h>

#include "cli/context.h"
#include "spec/interop.h"

namespace tessera::cli {
namespace {

namespace fs = std::filesystem;

struct ImportOptions {
    std::string standard;
    std::vector<std::string> files;
    std::string domain;
    std::string out;
    bool force = false;
};

struct PlannedFile {
    fs::path path;
    std::string content;
    bool skip_if_exists = false;  // a domain file that the team may already have
};

std::string Header(const spec::ImportResult& r,
                   const std::string& standard,
                   const std::string& what) {
    std::string from;
    std::set<std::string> seen;
    for (const auto& m : r.mappings) {
        std::string name = fs::path(m.file).filename().string();
        if (seen.insert(name).second)
            from += (from.empty() ? "" : ", ") + name;
    }
    return "# " + what + " imported by `tessera import " + standard + "` from " + from +
           ". Extensions (x-" + standard +
           ") keep what has no Tessera field; see docs/interop.md.\n";
}

// Writes every file or none: all go to temporary files first, then are renamed into place.
Status WriteAll(const std::vector<PlannedFile>& files,
                bool force,
                std::vector<std::string>* written) {
    std::error_code ec;
    for (const auto& f : files) {
        if (fs::exists(f.path, ec) && !force && !f.skip_if_exists) {
            return AlreadyExists(f.path.string() +
                                 " exists; pass --force to overwrite it (nothing was written)");
        }
    }
    std::vector<std::pair<fs::path, fs::path>> temps;
    auto cleanup = [&] {
        for (const auto& [tmp, final_path] : temps)
            fs::remove(tmp, ec);
    };
    for (const auto& f : files) {
        if (f.skip_if_exists && fs::exists(f.path, ec))
            continue;
        fs::create_directories(f.path.parent_path(), ec);
        fs::path tmp = f.path;
        tmp += ".tmp" + std::to_string(::getpid());
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << f.content;
        out.close();
        temps.push_back({tmp, f.path});
        if (!out) {
            cleanup();
            return Unavailable("cannot write " + f.path.string() + " (nothing was written)");
        }
    }
    for (const auto& [tmp, final_path] : temps) {
        fs::rename(tmp, final_path, ec);
        if (ec) {
            cleanup();
            return Unavailable("cannot move " + tmp.string() + " to " + final_path.string() + ": " +
                               ec.message());
        }
        written->push_back(final_path.lexically_normal().string());
    }
    return Status::Ok();
}

// The domains that exist where the import goes, and their owners: those the workspace `out`
// declares (domains/*/domain.yaml), then those of the local catalog when there is one.
std::map<std::string, std::string> ExistingDomainOwners(Context& ctx, const std::string& out) {
    std::map<std::string, std::string> owners;
    std::error_code ec;
    fs::path domains = (out.empty() ? fs::path(".") : fs::path(out)) / "domains";
    if (!out.empty() && fs::is_directory(domains, ec)) {
        for (const auto& d : fs::directory_iterator(domains, ec)) {
            fs::path file = d.path() / "domain.yaml";
            if (!fs::exists(file, ec))
                continue;
            for (const auto& doc : spec::LoadPaths({file.string()}).batch.domains)
                owners.emplace(doc.domain.name, doc.domain.owner);
        }
    }
    if (!ctx.Remote() && ctx.CatalogExists()) {
        if (auto cat = ctx.OpenCatalog(false)) {
            if (auto list = cat->Domains(); list.ok()) {
                for (const auto& d : *list)
                    owners.emplace(d.name, d.owner);
            }
        }
    }
    return owners;
}

int RunImport(Context& ctx, const ImportOptions& o) {
    auto standard = spec::ParseStandard(o.standard);
    if (!standard.ok())
        return ctx.Fail(standard.status());
    spec::ImportOptions options;
    options.domain = o.domain;
    options.existing_domain_owners = ExistingDomainOwners(ctx, o.out);
    spec::ImportResult r = spec::Import(*standard, o.files, options);
    for (const auto& d : r.diagnostics)
        std::cerr << d.ToString() << "\n";
    if (!r.ok()) {
        size_t errors = std::count_if(r.diagnostics.begin(), r.diagnostics.end(),
                                      [](const auto& d) { return !d.warning; });
        std::cerr << "tessera: error: " << errors << (errors == 1 ? " error" : " errors")
                  << "; nothing was written\n";
        ctx.exit_code = kExitInvalid;
        return kExitInvalid;
    }

    // The descriptors, each checked by the same decoder `tessera validate` uses.
    std::vector<PlannedFile> files;
    std::vector<std::string> needs_edits;
    fs::path root = o.out.empty() ? fs::path(".") : fs::path(o.out);
    auto add = [&](const spec::Entity& e, const fs::path& path, bool skip_if_exists,
                   const std::string& what) {
        std::string yaml = Header(r, o.standard, what) + spec::JsonToYaml(spec::EncodeJson(e));
        auto check = spec::LoadText(yaml, path.string(), path.parent_path().string());
        for (const auto& d : check.diagnostics) {
            if (!d.warning)
                needs_edits.push_back(d.ToString());
        }
        files.push_back({path, yaml, skip_if_exists});
    };
    for (const auto& d : r.domains) {
        add(d, root / "domains" / d.name / "domain.yaml", true, "Domain " + d.name);
    }
    std::error_code ec;
    for (const auto& t : r.teams) {
        // A team the workspace already declares (in any domain's folder) is the owner: keep it.
        fs::path existing;
        if (fs::is_directory(root / "domains", ec)) {
            for (const auto& d : fs::directory_iterator(root / "domains", ec)) {
                if (fs::exists(d.path() / "teams" / (t.name + ".yaml"), ec))
                    existing = d.path() / "teams" / (t.name + ".yaml");
            }
        }
        add(t,
            existing.empty() ? root / "domains" / (t.domain.empty() ? "platform" : t.domain) /
                                       "teams" / (t.name + ".yaml")
                             : existing,
            true, "Team " + t.name);
    }
    for (const auto& p : r.products) {
        add(p, root / "domains" / p.domain / "products" / (p.name + ".yaml"), false,
            "Data product " + p.FullName());
    }
    for (const auto& line : needs_edits)
        std::cerr << "tessera: warning: the written descriptor needs edits: " << line << "\n";

    if (o.out.empty()) {  // descriptors on stdout, the report on stderr
        bool first = true;
        for (const auto& f : files) {
            if (!first)
                std::cout << "---\n";
            first = false;
            std::cout << f.content;
        }
        for (const auto& m : r.mappings)
            std::cerr << m.file << ": " << m.from << " -> " << m.to << "\n";
        return kExitOk;
    }
    std::vector<std::string> written;
    Status s = WriteAll(files, o.force, &written);
    if (!s.ok())
        return ctx.Fail(s);
    if (ctx.Structured()) {
        nlohmann::ordered_json j;
        j["written"] = written;
        nlohmann::ordered_json mappings = nlohmann::ordered_json::array();
        for (const auto& m : r.mappings)
            mappings.push_back({{"file", m.file}, {"from", m.from}, {"to", m.to}});
        j["mappings"] = mappings;
        nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
        for (const auto& d : r.diagnostics)
            warnings.push_back(d.ToString());
        for (const auto& line : needs_edits)
            warnings.push_back(line);
        j["warnings"] = warnings;
        ctx.PrintStructured(j);
        return kExitOk;
    }
    if (ctx.quiet)
        return kExitOk;
    std::vector<std::vector<std::string>> rows;
    for (const auto& m : r.mappings)
        rows.push_back({fs::path(m.file).filename().string(), m.from, m.to});
    PrintTable({"FILE", "FROM", "TO"}, rows);
    std::cout << "\n";
    for (const auto& w : written)
        std::cout << "wrote " << w << "\n";
    std::cout << "imported " << r.products.size()
              << (r.products.size() == 1 ? " data product, " : " data products, ") << r.teams.size()
              << (r.teams.size() == 1 ? " team" : " teams") << "; next: tessera validate " << o.out
              << "\n";
    return kExitOk;
}

}  // namespace

void RegisterImport(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ImportOptions>();
    auto* sub = app.add_subcommand(
            "import", "Convert ODCS, ODPS, DCS, DPDS documents or a dbt manifest into descriptors");
    sub->add_option("standard", o->standard, "odcs | odps | dcs | dpds | dbt")->required();
    sub->add_option("files", o->files,
                    "Files to convert (ODPS: give the ODCS contracts its ports name too)")
            ->required();
    sub->add_option("--domain", o->domain,
                    "The domain of the products (default: the one the documents declare)");
    sub->add_option("--out", o->out,
                    "Workspace folder to write domains/<domain>/… into (default: print to stdout)");
    sub->add_flag("--force", o->force, "Overwrite existing descriptor files");
    sub->callback([&ctx, o] {
        ctx.run = [&ctx, o] {
            return RunImport(ctx, *o);
        };
    });
}

}  // namespace tessera::cli
