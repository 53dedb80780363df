#include "spec/interop.h"

#include <algorithm>

#include "common/logging.h"
#include "spec/internal/converters.h"

namespace tessera::spec {
namespace {

using internal::OrderedJson;
using internal::StandardDocument;

std::string Str(const OrderedJson& o, const char* key) {
    if (!o.is_object())
        return "";
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

// Checks the field that declares the standard's version and returns the schema to validate
// against, or "" after adding a located error.
std::string SchemaFor(Standard standard,
                      const StandardDocument& doc,
                      std::vector<Diagnostic>* out) {
    struct Rule {
        const char* field = "";
        std::vector<std::pair<std::string, std::string>> versions;  // declared -> schema file
        const char* example = "";
    };
    Rule rule;
    switch (standard) {
        case Standard::kOdcs:
            rule = {"apiVersion",
                    {{"v3.0.0", "odcs/odcs-json-schema-v3.0.2.json"},
                     {"v3.0.1", "odcs/odcs-json-schema-v3.0.2.json"},
                     {"v3.0.2", "odcs/odcs-json-schema-v3.0.2.json"},
                     {"v3.1.0", "odcs/odcs-json-schema-v3.1.0.json"}},
                    "v3.1.0"};
            break;
        case Standard::kOdps:
            rule = {"apiVersion",
                    {{"v1.0.0", "odps/odps-json-schema-v1.0.0.json"},
                     {"v0.9.0", "odps/odps-json-schema-v1.0.0.json"}},
                    "v1.0.0"};
            break;
        case Standard::kDcs:
            rule = {"dataContractSpecification",
                    // The 1.2.1 schema accepts the versions it superseded.
                    {{"1.2.1", "datacontract-specification/datacontract.schema.json"},
                     {"1.2.0", "datacontract-specification/datacontract.schema.json"},
                     {"1.1.0", "datacontract-specification/datacontract.schema.json"},
                     {"0.9.3", "datacontract-specification/datacontract.schema.json"},
                     {"0.9.2", "datacontract-specification/datacontract.schema.json"},
                     {"0.9.1", "datacontract-specification/datacontract.schema.json"},
                     {"0.9.0", "datacontract-specification/datacontract.schema.json"}},
                    "1.2.1"};
            break;
        case Standard::kDpds:
            rule = {"dataProductDescriptor", {{"1.0.0", "dpds/dpds-1.0.0.schema.json"}}, "1.0.0"};
            break;
        case Standard::kDbt:
            return "";
    }
    std::string pointer = std::string("/") + rule.field;
    auto it = doc.json.find(rule.field);
    std::string known;
    for (const auto& [v, schema] : rule.versions)
        known += (known.empty() ? "" : ", ") + v;
    if (it == doc.json.end()) {
        out->push_back(doc.Error("", std::string("missing required field \"") + rule.field +
                                             "\" (the version of " +
                                             std::string(StandardName(standard)) +
                                             " the file follows, e.g. \"" + rule.example + "\")"));
        return "";
    }
    if (!it->is_string()) {
        std::string found =
                it->is_number() ? "number " + it->dump() +
                                          " (YAML reads an unquoted version as a number: quote it)"
                                : it->dump();
        out->push_back(doc.Error(
                pointer,
                "expected a string such as \"" + std::string(rule.example) + "\", found " + found));
        return "";
    }
    std::string declared = it->get<std::string>();
    for (const auto& [v, schema] : rule.versions) {
        if (v == declared)
            return schema;
    }
    out->push_back(doc.Error(pointer, "unknown version \"" + declared + "\" of " +
                                              std::string(StandardName(standard)) +
                                              ": Tessera reads " + known));
    return "";
}

void AddDomain(ImportResult* r, const std::string& name, const std::string& owner) {
    for (const auto& d : r->domains) {
        if (d.name == name)
            return;
    }
    model::Domain d;
    d.name = name;
    d.owner = owner;
    r->domains.push_back(d);
}

void AddTeam(ImportResult* r, const model::Team& t) {
    for (const auto& existing : r->teams) {
        if (existing.name == t.name)
            return;
    }
    r->teams.push_back(t);
}

// A document that describes no data yet (ODCS `schema: []`, an ODPS port whose contract is not
// given) imports as what it is: a draft, which `tessera validate` and `apply` accept and `run`
// does not build. The original status stays in the extension, so export writes it back.
void MarkIncompleteAsDraft(Standard standard, model::DataProduct* p, ImportResult* r, const std::string& file) {
    bool incomplete = p->outputs.empty() ||
                      std::any_of(p->outputs.begin(), p->outputs.end(), [](const auto& o) { return o.columns.empty(); });
    if (!incomplete || model::IsDraft(p->status))
        return;
    std::string ext = "x-" + std::string(StandardName(standard));
    OrderedJson rest = internal::ExtensionObject(p->extensions, ext);
    OrderedJson* holder = &rest;
    if (standard == Standard::kDcs) {  // DCS keeps the status in info
        if (!rest.contains("info") || !rest["info"].is_object())
            rest["info"] = OrderedJson::object();
        holder = &rest["info"];
    }
    if (!holder->contains("status"))
        (*holder)["status"] = model::LifecycleStatusName(p->status);
    internal::SetExtension(&p->extensions, ext, rest);
    p->status = model::LifecycleStatus::kDraft;
    internal::Mapped(r, file, "(no columns)",
                     "spec.status = draft: a port has no columns yet; `tessera run` builds the product once "
                     "they are declared and the status is active (" + ext + " keeps the original status)");
}

std::string SourceNameOf(Standard standard, const OrderedJson& o) {
    if (standard == Standard::kOdcs && o.contains("servers") && o["servers"].is_array() &&
        !o["servers"].empty()) {
        return Str(o["servers"][0], "server");
    }
    if (standard == Standard::kDcs && o.contains("servers") && o["servers"].is_object() &&
        !o["servers"].empty()) {
        return o["servers"].begin().key();
    }
    return std::string(StandardName(standard)) + "_source";
}

}  // namespace

bool ImportResult::ok() const {
    return std::none_of(diagnostics.begin(), diagnostics.end(),
                        [](const Diagnostic& d) { return !d.warning; });
}

Result<Standard> ParseStandard(std::string_view name) {
    if (name == "odcs")
        return Standard::kOdcs;
    if (name == "odps")
        return Standard::kOdps;
    if (name == "dcs")
        return Standard::kDcs;
    if (name == "dpds")
        return Standard::kDpds;
    if (name == "dbt")
        return Standard::kDbt;
    return InvalidArgument("expected odcs, odps, dcs, dpds or dbt, found \"" + std::string(name) +
                           "\"");
}

std::string_view StandardName(Standard s) {
    switch (s) {
        case Standard::kOdcs:
            return "odcs";
        case Standard::kOdps:
            return "odps";
        case Standard::kDcs:
            return "dcs";
        case Standard::kDpds:
            return "dpds";
        case Standard::kDbt:
            return "dbt";
    }
    return "";
}

ImportResult Import(Standard standard,
                    const std::vector<std::string>& files,
                    const ImportOptions& options) {
    ImportResult r;
    if (!options.domain.empty() && !model::IsLowerSnakeCase(options.domain)) {
        r.diagnostics.push_back({Position{"--domain", 0, 0}, "--domain",
                                 "expected lower snake case, found \"" + options.domain + "\"",
                                 false});
        return r;
    }
    // 1. Read and validate every file before converting any.
    std::vector<StandardDocument> docs;
    std::vector<bool> is_contract;  // ODPS: ODCS contracts that ports name
    for (const auto& file : files) {
        auto doc = internal::ReadStandardDocument(file, &r.diagnostics);
        if (!doc.ok())
            continue;
        Standard as = standard;
        if (standard == Standard::kOdps && Str(doc->json, "kind") == "DataContract")
            as = Standard::kOdcs;
        if (standard == Standard::kDpds && !internal::ResolveExternalRefs(&*doc, &r.diagnostics))
            continue;
        if (standard == Standard::kDbt) {
            std::string version =
                    Str(doc->json.value("metadata", OrderedJson::object()), "dbt_schema_version");
            if (version.find("/manifest/v") == std::string::npos) {
                r.diagnostics.push_back(
                        doc->Error("/metadata/dbt_schema_version",
                                   "expected a dbt manifest (target/manifest.json, "
                                   "https://schemas.getdbt.com/dbt/manifest/v12.json), found \"" +
                                           version + "\""));
                continue;
            }
        } else if (!doc->json.contains("apiVersion") && doc->json.contains("product") &&
                   doc->json["product"].is_object()) {
            // opendataproducts.org's Open Data Product Specification (3.x, 4.x) shares the
            // initials of Bitol's standard but not its shape.
            std::string version = Str(doc->json, "version").empty()
                                          ? Str(doc->json, "schema")
                                          : "version " + Str(doc->json, "version");
            r.diagnostics.push_back(doc->Error(
                    "/product",
                    "this is the Open Data Product Specification of opendataproducts.org (`product:` at "
                    "the root" + (version.empty() ? "" : ", " + version) +
                    "), which Tessera does not import; `tessera import odps` reads Bitol's Open Data "
                    "Product Standard v1.0.0 (`apiVersion: v1.0.0`, `kind: DataProduct`), and `import "
                    "odcs|dcs|dpds|dbt` the other standards (docs/interop.md)"));
            continue;
        } else {
            std::string schema = SchemaFor(as, *doc, &r.diagnostics);
            if (schema.empty())
                continue;
            auto valid = internal::ValidateAgainst(*doc, schema, &r.diagnostics);
            if (!valid.ok()) {
                r.diagnostics.push_back(
                        {Position{file, 0, 0}, "(schema)", valid.status().message(), false});
                continue;
            }
            if (!*valid)
                continue;
        }
        is_contract.push_back(as != standard);
        docs.push_back(std::move(*doc));
    }
    if (!r.ok())
        return r;
    std::vector<const StandardDocument*> contracts;
    for (size_t i = 0; i < docs.size(); ++i) {
        if (is_contract[i])
            contracts.push_back(&docs[i]);
    }
    // 2. Convert.
    ImportResult converted;
    converted.diagnostics = r.diagnostics;
    for (size_t i = 0; i < docs.size(); ++i) {
        if (is_contract[i])
            continue;
        const StandardDocument& doc = docs[i];
        if (standard == Standard::kDbt) {
            internal::DbtToEntities(doc, options, &converted);
            continue;
        }
        model::DataProduct p;
        model::Team team;
        bool ok = false;
        switch (standard) {
            case Standard::kOdcs:
                ok = internal::OdcsToProduct(doc, options, &converted, &p, &team);
                break;
            case Standard::kDcs:
                ok = internal::DcsToProduct(doc, options, &converted, &p, &team);
                break;
            case Standard::kOdps:
                ok = internal::OdpsToProduct(doc, contracts, options, &converted, &p, &team);
                break;
            case Standard::kDpds:
                ok = internal::DpdsToProduct(doc, options, &converted, &p, &team);
                break;
            case Standard::kDbt:
                break;
        }
        if (!ok)
            continue;
        MarkIncompleteAsDraft(standard, &p, &converted, doc.file);
        internal::AddBuildScaffold(&p, SourceNameOf(standard, doc.json), &converted, doc.file);
        for (const auto& existing : converted.products) {
            if (existing.FullName() == p.FullName()) {
                converted.diagnostics.push_back(doc.Error(
                        "", "converts to " + p.FullName() + ", which " + existing.FullName() +
                                    " from an earlier file already is: pass files "
                                    "of different products"));
                ok = false;
            }
        }
        if (!ok)
            continue;
        if (team.name.empty()) {  // the document names no team
            auto existing = options.existing_domain_owners.find(p.domain);
            if (existing != options.existing_domain_owners.end() && !existing->second.empty()) {
                p.owner = existing->second;
                internal::Mapped(&converted, doc.file, "(no team)",
                                 "metadata.owner = " + p.owner + " (the owner of the existing domain " +
                                         p.domain + ")");
            } else {
                team.name = p.domain + "_team";
                team.domain = p.domain;
                p.owner = team.name;
                internal::Mapped(&converted, doc.file, "(no team)",
                                 "Team " + team.name + " = metadata.owner (generated for the new domain " +
                                         p.domain + ": add its members)");
            }
        }
        if (!team.name.empty())
            AddTeam(&converted, team);
        if (!options.existing_domain_owners.count(p.domain))
            AddDomain(&converted, p.domain, team.name);
        TESSERA_LOG(kInfo) << "imported " << doc.file << " as " << p.FullName();
        converted.products.push_back(std::move(p));
    }
    if (!converted.ok()) {
        converted.domains.clear();
        converted.teams.clear();
        converted.products.clear();
    }
    return converted;
}

Result<ExportFormat> ParseExportFormat(std::string_view name) {
    static const std::pair<const char*, ExportFormat> kTable[] = {
            {"odcs", ExportFormat::kOdcs},        {"odps", ExportFormat::kOdps},
            {"dcs", ExportFormat::kDcs},          {"jsonschema", ExportFormat::kJsonSchema},
            {"sql-ddl", ExportFormat::kSqlDdl},   {"dbt", ExportFormat::kDbt},
            {"markdown", ExportFormat::kMarkdown}};
    for (const auto& [n, f] : kTable) {
        if (name == n)
            return f;
    }
    return InvalidArgument(
            "--format: expected odcs, odps, dcs, jsonschema, sql-ddl, dbt or markdown, found \"" +
            std::string(name) + "\"");
}

Result<SqlDialect> ParseSqlDialect(std::string_view name) {
    if (name == "duckdb")
        return SqlDialect::kDuckDb;
    if (name == "postgres" || name == "postgresql")
        return SqlDialect::kPostgres;
    return InvalidArgument("--dialect: expected duckdb or postgres, found \"" + std::string(name) +
                           "\"");
}

Result<std::string> Export(const model::DataProduct& product,
                           ExportFormat format,
                           const ExportOptions& options) {
    switch (format) {
        case ExportFormat::kOdcs: {
            TESSERA_ASSIGN_OR_RETURN(OrderedJson j,
                                     internal::OdcsFromProduct(product, options.owner));
            return JsonToYaml(j.dump());
        }
        case ExportFormat::kOdps: {
            TESSERA_ASSIGN_OR_RETURN(OrderedJson j,
                                     internal::OdpsFromProduct(product, options.owner));
            return JsonToYaml(j.dump());
        }
        case ExportFormat::kDcs: {
            TESSERA_ASSIGN_OR_RETURN(OrderedJson j,
                                     internal::DcsFromProduct(product, options.owner));
            return JsonToYaml(j.dump());
        }
        case ExportFormat::kJsonSchema:
            return internal::JsonSchemaOf(product);
        case ExportFormat::kSqlDdl:
            return internal::SqlDdlOf(product, options.dialect);
        case ExportFormat::kDbt:
            return internal::DbtYamlOf(product);
        case ExportFormat::kMarkdown:
            return internal::MarkdownOf(product, options.owner);
    }
    return Internal("unknown export format");
}

}  // namespace tessera::spec
