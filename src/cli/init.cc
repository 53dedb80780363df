// tessera init workspace [DIR] | init product DOMAIN.NAME: start from templates that validate.

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/context.h"
#include "engine/profile.h"
#include "governance/builtin_pack.h"

namespace tessera::cli {
namespace {

namespace fs = std::filesystem;

struct InitOptions {
    std::string what;
    std::string name;
    std::string dir = ".";
    std::string owner;
    std::string from;  // product: data files to infer the schema from (a glob)
    bool force = false;
};

const char* kDomainTemplate = R"(# A domain and the team that owns it. See docs/descriptors.md.
apiVersion: tessera/v1
kind: Domain
metadata:
  name: {domain}
spec:
  title: {Domain}
  description: What the {domain} domain covers, in a sentence or two.
  owner: {team}
---
apiVersion: tessera/v1
kind: Team
metadata:
  name: {team}
spec:
  title: {Domain} team
  domain: {domain}
  contact: {email: {domain}@example.com}
  members:
    - {user: you@example.com, role: owner}
)";

const char* kProductTemplate = R"(# A data product. Validate with `tessera validate`, preview with `tessera plan`.
apiVersion: tessera/v1
kind: DataProduct
metadata:
  domain: {domain}
  name: {name}
  version: 0.1.0
  owner: {team}
  tags: []
spec:
  title: {Name}
  description: What one row means, where the data comes from, and who should use it.
  kind: source-aligned
  inputs:
    - name: raw_{name}
      source: {domain}_system
      format: csv
      path: ../data/{name}/*.csv
  transform:
    sql: ../sql/{name}.sql
    schedule: "0 * * * *"
  outputs:
    - name: {name}
      description: The current {name}.
      columns:
        - {name: id, type: BIGINT, required: true, unique: true, primary_key: true, description: Identifier of the record.}
        - {name: created_at, type: TIMESTAMP, required: true, description: When the record was created.}
      quality:
        - {name: has_rows, type: row_count, min: 1}
      sla:
        freshness: 24h
)";

const char* kSqlTemplate = R"(-- The transform of {domain}.{name}: reads the inputs by their names, returns the output port's columns.
select
    cast(id as bigint) as id,
    cast(created_at as timestamp) as created_at
from raw_{name}
)";

std::string Fill(std::string text, const std::map<std::string, std::string>& vars) {
    for (const auto& [key, value] : vars) {
        std::string token = "{" + key + "}";
        for (size_t p = text.find(token); p != std::string::npos; p = text.find(token, p + value.size())) {
            text.replace(p, token.size(), value);
        }
    }
    return text;
}

std::string Capitalized(std::string s) {
    for (char& c : s) {
        if (c == '_') c = ' ';
    }
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

Status WriteNew(const fs::path& path, const std::string& content, bool force) {
    std::error_code ec;
    if (fs::exists(path, ec) && !force) {
        return AlreadyExists(path.string() + " exists; pass --force to overwrite it");
    }
    fs::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out) return Unavailable("cannot write " + path.string());
    return Status::Ok();
}

// `path` (a glob) as written in a descriptor in `descriptor_dir`: relative to it.
std::string RelativeGlob(const std::string& path, const fs::path& descriptor_dir) {
    fs::path p(path);
    fs::path fixed, rest;
    bool wild = false;
    for (const auto& part : p) {
        wild = wild || part.string().find_first_of("*?[") != std::string::npos;
        (wild ? rest : fixed) /= part;
    }
    std::error_code ec;
    fs::path base = fs::absolute(fixed, ec);
    fs::path dir = fs::absolute(descriptor_dir, ec);
    fs::path rel = base.lexically_normal().lexically_relative(dir.lexically_normal());
    return (rest.empty() ? rel : rel / rest).generic_string();
}

const char* kFromHeader = R"(# Inferred by `tessera init product {domain}.{name} --from {from}` from {files} file(s), {rows} rows.
# Column types are what DuckDB reads from the data. Nothing below is enforced yet:
#   x-profile    what the data looked like (null share, distinct values, min, max);
#   x-suggested  checks the data passes today (required, unique, accepted_values, min/max, a row
#                count): confirm each by moving it into the column's (or the port's quality) fields.
)";

int RunInitFrom(Context& ctx, const InitOptions& o, const std::string& domain, const std::string& name) {
    auto profile = engine::ProfileFiles(o.from);
    if (!profile.ok()) return ctx.Fail(profile.status());
    fs::path root = fs::path(o.dir) / "domains" / domain / "products";
    fs::path file = root / (name + ".yaml");
    model::DataProduct p;
    p.domain = domain;
    p.name = name;
    p.owner = o.owner.empty() ? domain + "_team" : o.owner;
    p.title = Capitalized(name);
    p.description = "What one row means, where the data comes from, and who should use it.";
    model::InputPort in;
    in.name = name.size() > 57 ? name.substr(0, 57) + "_files" : name + "_files";
    in.source = domain + "_files";
    in.format = profile->format;
    in.path = RelativeGlob(o.from, root);
    p.inputs.push_back(in);
    p.outputs.push_back(engine::ProposePort(*profile, name));
    std::string header = Fill(kFromHeader, {{"domain", domain},
                                            {"name", name},
                                            {"from", o.from},
                                            {"files", std::to_string(profile->files)},
                                            {"rows", std::to_string(profile->rows)}});
    std::string yaml = header + spec::JsonToYaml(spec::EncodeJson(p));
    auto check = spec::LoadText(yaml, file.string(), root.string());
    if (!check.ok()) {
        for (const auto& d : check.diagnostics) std::cerr << d.ToString() << "\n";
        return ctx.Fail(Internal("the inferred descriptor does not validate; please report this"));
    }
    Status s = WriteNew(file, yaml, o.force);
    if (!s.ok()) return ctx.Fail(s);
    ctx.Say("wrote " + file.lexically_normal().string() + " (" + std::to_string(profile->columns.size()) + " columns from " +
            std::to_string(profile->rows) + " rows; suggestions in x-suggested)");
    return kExitOk;
}

int RunInit(Context& ctx, const InitOptions& o) {
    std::vector<std::pair<fs::path, std::string>> files;
    if (o.what == "workspace") {
        std::string domain = o.name.empty() ? "example" : o.name;
        if (!model::IsLowerSnakeCase(domain)) {
            return ctx.Fail(InvalidArgument("domain name: expected lower snake case, found \"" + domain + "\""));
        }
        std::map<std::string, std::string> vars = {{"domain", domain}, {"Domain", Capitalized(domain)},
                                                   {"team", domain + "_team"}};
        fs::path root = fs::path(o.dir) / "domains" / domain;
        files.push_back({root / "domain.yaml", Fill(kDomainTemplate, vars)});
        files.push_back({fs::path(o.dir) / ".gitignore", ".tessera/\n"});
        // The built-in policy pack, one editable file per rule (docs/governance.md).
        for (const auto& rule : governance::BuiltinPack()) {
            files.push_back({fs::path(o.dir) / "policies" / rule.file, rule.yaml});
        }
    } else {
        auto dot = o.name.find('.');
        std::string domain = dot == std::string::npos ? "" : o.name.substr(0, dot);
        std::string name = dot == std::string::npos ? "" : o.name.substr(dot + 1);
        if (!model::IsLowerSnakeCase(domain) || !model::IsLowerSnakeCase(name)) {
            return ctx.Fail(InvalidArgument("product name: expected DOMAIN.NAME in lower snake case, found \"" + o.name + "\""));
        }
        if (!o.from.empty()) return RunInitFrom(ctx, o, domain, name);
        std::map<std::string, std::string> vars = {{"domain", domain}, {"name", name}, {"Name", Capitalized(name)},
                                                   {"team", o.owner.empty() ? domain + "_team" : o.owner}};
        fs::path root = fs::path(o.dir) / "domains" / domain;
        files.push_back({root / "products" / (name + ".yaml"), Fill(kProductTemplate, vars)});
        files.push_back({root / "sql" / (name + ".sql"), Fill(kSqlTemplate, vars)});
    }
    for (const auto& [path, content] : files) {
        if (path.filename() == ".gitignore" && fs::exists(path)) continue;
        Status s = WriteNew(path, content, o.force);
        if (!s.ok()) return ctx.Fail(s);
        ctx.Say("wrote " + path.lexically_normal().string());
    }
    return kExitOk;
}

}  // namespace

void RegisterInit(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<InitOptions>();
    auto* sub = app.add_subcommand("init", "Start a workspace or a data product from a template");
    sub->add_option("what", o->what, "workspace | product")->required()->check(CLI::IsMember({"workspace", "product"}));
    sub->add_option("name", o->name, "workspace: the first domain's name; product: DOMAIN.NAME");
    sub->add_option("--dir", o->dir, "Workspace folder (default: the current folder)");
    sub->add_option("--owner", o->owner, "product: the owning team (default DOMAIN_team)");
    sub->add_option("--from", o->from, "product: infer columns, a profile and suggested checks from data files "
                                       "(CSV, Parquet or JSON; a glob)");
    sub->add_flag("--force", o->force, "Overwrite existing files");
    sub->callback([&ctx, o] {
        ctx.run = [&ctx, o] {
            if (o->what == "product" && o->name.empty()) {
                return ctx.Fail(InvalidArgument("init product needs DOMAIN.NAME, e.g. tessera init product orders.returns"));
            }
            if (o->what != "product" && !o->from.empty()) {
                return ctx.Fail(InvalidArgument("--from: only `init product` infers from data"));
            }
            return RunInit(ctx, *o);
        };
    });
}

}  // namespace tessera::cli
