#pragma once

// Descriptors: YAML (or JSON) documents of kind Domain, Team, DataProduct and Policy, decoded into the
// value types of model/ with the position of every error. Reading is strict: every error in every
// document is reported at once, each as `file:line:col: error: <field>: <what>`.
//
//   spec::LoadReport r = spec::LoadPaths({"examples/ecommerce"});
//   auto more = spec::CheckReferences(r.batch, known_from_catalog);
//   for (const auto& d : r.diagnostics) std::cerr << d.ToString() << "\n";
//
// The format is specified in docs/descriptors.md and docs/schema/tessera-v1.schema.json.

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"
#include "model/mesh.h"

namespace tessera::spec {

// Where something was written. `line` and `col` count from 1; 0 means unknown.
struct Position {
    std::string file;
    int line = 0;
    int col = 0;
    std::string ToString() const;  // "file:line:col"
};

// One finding about a descriptor, printed as `file:line:col: error: field: message`.
struct Diagnostic {
    Position at;
    std::string field;  // dotted path: spec.outputs[0].columns[2].type
    std::string message;
    bool warning = false;
    std::string ToString() const;
};

// A declared entity with the positions that checks across documents point at.
struct DomainDoc {
    model::Domain domain;
    Position at, name_at, owner_at, parent_at;
};
struct TeamDoc {
    model::Team team;
    Position at, name_at, domain_at;
};
struct PolicyDoc {
    model::Policy policy;
    std::string origin;  // the descriptor file
    Position at, name_at, domain_at, query_at;  // query_at: the `query` or `sql` field
};
struct ProductDoc {
    model::DataProduct product;
    std::string origin;  // the descriptor file; source paths resolve against its folder
    Position at, name_at, domain_at, owner_at;
    std::vector<Position> input_at;  // one per input, at its `product` or `source` field
};

// Everything read from a set of files, in file order.
struct Batch {
    std::vector<DomainDoc> domains;
    std::vector<TeamDoc> teams;
    std::vector<ProductDoc> products;
    std::vector<PolicyDoc> policies;
    size_t size() const { return domains.size() + teams.size() + products.size() + policies.size(); }
};

struct LoadReport {
    Batch batch;  // the documents that decoded (possibly with errors in other documents)
    std::vector<Diagnostic> diagnostics;
    bool ok() const;  // no error (warnings allowed)
};

// Where the SQL files a descriptor names (a transform's `sql`, a Policy's `spec.sql`) are read
// from. A descriptor is untrusted input: it never chooses freely which file is read.
//
//   SqlFiles::Workspace("/repo", "/repo/domains/orders/products")  // ../sql/x.sql, inside /repo only
//   SqlFiles::Attached({{"../sql/x.sql", "select …"}})              // sent with it; no disk at all
//   SqlFiles::None()                                                // `sql:` is refused: inline `query:`
//
// Immutable; cheap to copy.
class SqlFiles {
public:
    // No files: a `sql` field is an error (the server's raw YAML or JSON apply body).
    static SqlFiles None();
    // Files on disk: a name is relative to `dir` (the descriptor's folder) and must stay inside
    // `root` (the workspace root): no absolute path, no `..` out of it, no symbolic link out of it.
    static SqlFiles Workspace(std::string root, std::string dir);
    // Files sent with the descriptor, by the name the descriptor writes: nothing is read from disk.
    static SqlFiles Attached(std::map<std::string, std::string> files);

    // The text of the file a descriptor names `name`. kInvalidArgument (the message says why and
    // how to fix it) for a name that may not be read here; kNotFound when there is no such file.
    Result<std::string> Read(const std::string& name) const;

private:
    enum class Kind { kNone, kWorkspace, kAttached };
    Kind kind_ = Kind::kNone;
    std::string root_, dir_;
    std::map<std::string, std::string> files_;
};

// The workspace root of a path given to `LoadPaths`: the current folder when the path lies in it
// (a repository applied from its checkout), else the path itself (a folder) or its folder (a file).
std::string WorkspaceRootOf(const std::string& path);

// Reads files (any extension; JSON is YAML) and folders (recursively: *.yaml, *.yml, sorted by
// path, skipping hidden folders), decodes every
// document, and checks each one on its own (types, required and unknown fields, names, enums,
// durations, cron, DuckDB types). A path that does not exist is a diagnostic, not a crash. SQL
// files resolve inside the workspace root of the path that found the descriptor
// (`WorkspaceRootOf`); one outside it is an error at the `sql` field's `file:line:col`.
LoadReport LoadPaths(const std::vector<std::string>& paths);

// Decodes descriptor text (YAML, or JSON which is YAML) as if read from `file_name`; SQL files
// come from `files`.
LoadReport LoadText(std::string_view text, const std::string& file_name, const SqlFiles& files);
// The same with SQL files on disk inside `base_dir` (the workspace root and the descriptor's folder).
LoadReport LoadText(std::string_view text, const std::string& file_name, const std::string& base_dir);

// What already exists where a batch is applied, for the checks across documents.
struct KnownMesh {
    std::set<std::string> domains;
    std::set<std::string> teams;
    // "domain.product" -> its output port names
    std::map<std::string, std::vector<std::string>> product_ports;
    // "domain.product" -> the products it reads ("domain.product")
    std::map<std::string, std::vector<std::string>> product_inputs;
};

// The checks across documents: duplicate names within the batch, references to domains, teams,
// products and ports that exist neither in `known` nor in the batch, and cycles between products
// (the batch's version of a product replaces the known one).
std::vector<Diagnostic> CheckReferences(const Batch& batch, const KnownMesh& known);

// One stored entity, decoded.
using Entity = std::variant<model::Domain, model::Team, model::DataProduct, model::Policy>;

// Canonical JSON of an entity (the descriptor's shape: apiVersion, kind, metadata, spec), with
// fields in a fixed order and defaults left out. `DecodeJson(EncodeJson(e)) == e` for every
// valid entity. The transform keeps both its file name (`sql`) and its text (`query`).
std::string EncodeJson(const Entity& entity);
Result<Entity> DecodeJson(std::string_view json);

// The same document as YAML, for `--yaml` output and `tessera init`.
std::string JsonToYaml(std::string_view json);

// The address of an entity: the Domain or Team name, or "domain.product".
std::string EntityName(const Entity& entity);
model::EntityKind KindOf(const Entity& entity);

}  // namespace tessera::spec
