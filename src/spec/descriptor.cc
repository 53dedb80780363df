#include "spec/descriptor.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <set>
#include <sstream>
#include <tuple>

#include "common/text.h"
#include "spec/internal/decoder.h"
#include "spec/internal/value.h"

namespace tessera::spec {

namespace fs = std::filesystem;
using internal::Value;

std::string Position::ToString() const {
    std::string s = file;
    if (line > 0) s += ":" + std::to_string(line) + ":" + std::to_string(col);
    return s;
}

std::string Diagnostic::ToString() const {
    std::string s = at.ToString() + (warning ? ": warning: " : ": error: ");
    if (!field.empty()) s += field + ": ";
    return s + message;
}

bool LoadReport::ok() const {
    return std::none_of(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) { return !d.warning; });
}

// ---------------------------------------------------------------------------------------------
// SQL files

SqlFiles SqlFiles::None() { return SqlFiles(); }

SqlFiles SqlFiles::Workspace(std::string root, std::string dir) {
    SqlFiles f;
    f.kind_ = Kind::kWorkspace;
    std::error_code ec;
    f.root_ = fs::absolute(root.empty() ? "." : root, ec).lexically_normal().string();
    f.dir_ = fs::absolute(dir.empty() ? "." : dir, ec).lexically_normal().string();
    return f;
}

SqlFiles SqlFiles::Attached(std::map<std::string, std::string> files) {
    SqlFiles f;
    f.kind_ = Kind::kAttached;
    f.files_ = std::move(files);
    return f;
}

namespace {

// True when `path` is `root` or lies under it (both absolute and normal).
bool Inside(const fs::path& path, const fs::path& root) {
    auto r = root.begin(), p = path.begin();
    for (; r != root.end(); ++r, ++p) {
        if (r->empty() && std::next(r) == root.end()) break;  // a trailing separator
        if (p == path.end() || *p != *r) return false;
    }
    return true;
}

}  // namespace

Result<std::string> SqlFiles::Read(const std::string& name) const {
    switch (kind_) {
        case Kind::kNone:
            return InvalidArgument("expected inline SQL (query), found the file name \"" + name +
                                   "\": a descriptor sent as YAML or JSON cannot name a file; write the SQL as "
                                   "query, or apply with `tessera --server URL apply`, which sends the file with it");
        case Kind::kAttached: {
            auto it = files_.find(name);
            if (it == files_.end()) {
                return NotFound("expected the SQL file \"" + name + "\" to be sent with the descriptor "
                                "(attachments), found none: send it, or write the SQL as query");
            }
            return it->second;
        }
        case Kind::kWorkspace: break;
    }
    fs::path written(name);
    if (written.is_absolute()) {
        return InvalidArgument("expected a path relative to the descriptor's folder, found the absolute path \"" + name +
                               "\": put the SQL file inside the workspace (" + root_ + ") and name it from there");
    }
    fs::path joined = (fs::path(dir_) / written).lexically_normal();
    if (!Inside(joined, root_)) {
        return InvalidArgument("\"" + name + "\" leads out of the workspace root " + root_ +
                               ": descriptors may name only files inside their workspace");
    }
    std::error_code ec;
    // Messages name the file relative to the current folder, as the caller wrote it there.
    std::string shown = joined.lexically_relative(fs::current_path(ec)).string();
    if (shown.empty()) shown = joined.string();
    if (!fs::exists(joined, ec)) return NotFound("expected a readable SQL file, found no file at " + shown);
    // The name stays inside; a symbolic link on the way must too.
    std::error_code real_ec, root_ec;
    fs::path real = fs::canonical(joined, real_ec);
    fs::path real_root = fs::canonical(root_, root_ec);
    if (real_ec || root_ec || !Inside(real, real_root)) {
        return InvalidArgument("\"" + name + "\" is a symbolic link (or passes through one) that leads out of the "
                               "workspace root " + root_ + ": copy the file into the workspace");
    }
    if (!fs::is_regular_file(real, ec)) {
        return InvalidArgument("expected a readable SQL file, found something else at " + shown);
    }
    std::ifstream in(real, std::ios::binary);
    if (!in) return NotFound("expected a readable SQL file, cannot read " + shown);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string WorkspaceRootOf(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::absolute(path, ec).lexically_normal();
    fs::path cwd = fs::current_path(ec).lexically_normal();
    if (!ec && Inside(p, cwd)) return cwd.string();
    if (fs::is_directory(p, ec)) return p.string();
    return p.parent_path().string();
}

LoadReport LoadText(std::string_view text, const std::string& file_name, const std::string& base_dir) {
    return LoadText(text, file_name, SqlFiles::Workspace(base_dir, base_dir));
}

LoadReport LoadText(std::string_view text, const std::string& file_name, const SqlFiles& files) {
    LoadReport report;
    std::vector<internal::ParsedDocument> docs;
    std::string error;
    int line = 0, col = 0;
    if (!internal::ParseYaml(text, &docs, &error, &line, &col)) {
        report.diagnostics.push_back({{file_name, line, col}, "", error});
        return report;
    }
    internal::Decoder decoder(file_name, &files, internal::Origin::kFile, &report.diagnostics);
    for (const auto& doc : docs) decoder.DecodeDocument(doc.root, &report.batch);
    // Fields are checked in schema order; people read a file top to bottom.
    std::stable_sort(report.diagnostics.begin(), report.diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.at.line, a.at.col) < std::tie(b.at.line, b.at.col);
    });
    return report;
}

namespace {

bool IsDescriptorFile(const fs::path& p) {
    auto ext = p.extension().string();
    // Folders hold data files too (JSON lines, for one): only YAML is taken from a folder. A JSON
    // descriptor is read when named as a file.
    return ext == ".yaml" || ext == ".yml";
}

void Append(LoadReport* into, LoadReport&& from) {
    auto move_all = [](auto& dst, auto& src) {
        dst.insert(dst.end(), std::make_move_iterator(src.begin()), std::make_move_iterator(src.end()));
    };
    move_all(into->batch.domains, from.batch.domains);
    move_all(into->batch.teams, from.batch.teams);
    move_all(into->batch.products, from.batch.products);
    move_all(into->batch.policies, from.batch.policies);
    move_all(into->diagnostics, from.diagnostics);
}

}  // namespace

LoadReport LoadPaths(const std::vector<std::string>& paths) {
    LoadReport report;
    std::vector<fs::path> files;
    std::vector<std::string> roots;  // the workspace root of each file
    for (const auto& arg : paths) {
        std::error_code ec;
        fs::path p(arg);
        std::string root = WorkspaceRootOf(arg);
        if (fs::is_directory(p, ec)) {
            std::vector<fs::path> found;
            for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                std::string name = it->path().filename().string();
                if (it->is_directory() && name.size() > 1 && name[0] == '.') {
                    it.disable_recursion_pending();  // .git, .tessera, editors' folders
                    continue;
                }
                if (it->is_regular_file() && IsDescriptorFile(it->path())) found.push_back(it->path());
            }
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
            roots.resize(files.size(), root);
        } else if (fs::is_regular_file(p, ec)) {
            files.push_back(p);
            roots.push_back(root);
        } else {
            report.diagnostics.push_back({{arg, 0, 0}, "", "expected a descriptor file or folder, found nothing at this path"});
        }
    }
    // Files are independent: parse them on every core, then merge in path order so the result
    // does not depend on scheduling.
    std::vector<LoadReport> per_file(files.size());
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (size_t i = next++; i < files.size(); i = next++) {
            std::ifstream in(files[i], std::ios::binary);
            if (!in) {
                per_file[i].diagnostics.push_back({{files[i].string(), 0, 0}, "", "cannot read the file"});
                continue;
            }
            std::stringstream ss;
            ss << in.rdbuf();
            per_file[i] = LoadText(ss.str(), files[i].string(),
                                   SqlFiles::Workspace(roots[i], files[i].parent_path().string()));
        }
    };
    size_t threads = std::min<size_t>(std::max(1u, std::thread::hardware_concurrency()), files.size());
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    for (auto& r : per_file) Append(&report, std::move(r));
    return report;
}

// ---------------------------------------------------------------------------------------------
// Checks across documents

std::vector<Diagnostic> CheckReferences(const Batch& batch, const KnownMesh& known) {
    std::vector<Diagnostic> out;
    auto error = [&](const Position& at, std::string field, std::string message) {
        out.push_back({at, std::move(field), std::move(message), false});
    };

    std::map<std::string, Position> domains, teams, products;
    for (const auto& d : batch.domains) {
        auto [it, inserted] = domains.emplace(d.domain.name, d.name_at);
        if (!inserted) {
            error(d.name_at, "metadata.name",
                  "duplicate Domain \"" + d.domain.name + "\" (also declared at " + it->second.ToString() + ")");
        }
    }
    for (const auto& t : batch.teams) {
        auto [it, inserted] = teams.emplace(t.team.name, t.name_at);
        if (!inserted) {
            error(t.name_at, "metadata.name",
                  "duplicate Team \"" + t.team.name + "\" (also declared at " + it->second.ToString() + ")");
        }
    }
    std::map<std::string, std::vector<std::string>> ports = known.product_ports;
    std::map<std::string, std::vector<std::string>> edges = known.product_inputs;
    for (const auto& p : batch.products) {
        std::string name = p.product.FullName();
        auto [it, inserted] = products.emplace(name, p.name_at);
        if (!inserted) {
            error(p.name_at, "metadata.name",
                  "duplicate DataProduct \"" + name + "\" (also declared at " + it->second.ToString() + ")");
        }
        auto& port_names = ports[name];
        port_names.clear();
        for (const auto& o : p.product.outputs) port_names.push_back(o.name);
        auto& inputs = edges[name];
        inputs.clear();
        for (const auto& in : p.product.inputs) {
            if (in.IsProduct()) inputs.push_back(in.product);
        }
    }

    auto domain_exists = [&](const std::string& n) { return domains.count(n) || known.domains.count(n); };
    auto team_exists = [&](const std::string& n) { return teams.count(n) || known.teams.count(n); };
    auto missing = [](const char* what, const std::string& n) {
        return std::string("expected an existing ") + what + ", found \"" + n + "\" which is neither in the catalog nor in this apply set";
    };

    std::map<std::string, Position> policies;
    for (const auto& p : batch.policies) {
        auto [it, inserted] = policies.emplace(p.policy.name, p.name_at);
        if (!inserted) {
            error(p.name_at, "metadata.name",
                  "duplicate Policy \"" + p.policy.name + "\" (also declared at " + it->second.ToString() + ")");
        }
        if (!p.policy.domain.empty() && !domain_exists(p.policy.domain)) {
            error(p.domain_at, "metadata.domain", missing("Domain", p.policy.domain));
        }
    }
    for (const auto& d : batch.domains) {
        if (!d.domain.owner.empty() && !team_exists(d.domain.owner)) error(d.owner_at, "spec.owner", missing("Team", d.domain.owner));
        if (!d.domain.parent.empty() && !domain_exists(d.domain.parent)) {
            error(d.parent_at, "spec.parent", missing("Domain", d.domain.parent));
        }
        if (d.domain.parent == d.domain.name && !d.domain.name.empty()) {
            error(d.parent_at, "spec.parent", "expected another domain, found the domain itself");
        }
    }
    for (const auto& t : batch.teams) {
        if (!t.team.domain.empty() && !domain_exists(t.team.domain)) error(t.domain_at, "spec.domain", missing("Domain", t.team.domain));
    }
    for (const auto& p : batch.products) {
        const auto& prod = p.product;
        if (!domain_exists(prod.domain)) error(p.domain_at, "metadata.domain", missing("Domain", prod.domain));
        if (!team_exists(prod.owner)) error(p.owner_at, "metadata.owner", missing("Team", prod.owner));
        for (size_t i = 0; i < prod.inputs.size(); ++i) {
            const auto& in = prod.inputs[i];
            if (!in.IsProduct()) continue;
            std::string field = "spec.inputs[" + std::to_string(i) + "].product";
            const Position& at = i < p.input_at.size() ? p.input_at[i] : p.at;
            auto it = ports.find(in.product);
            if (it == ports.end()) {
                error(at, field, missing("DataProduct", in.product));
                continue;
            }
            if (in.product == prod.FullName()) {
                error(at, field, "expected another product, found the product itself");
                continue;
            }
            const auto& names = it->second;
            if (!in.port.empty() && std::find(names.begin(), names.end(), in.port) == names.end()) {
                error(at, field,
                      "expected an output port of " + in.product + " (" + text::Join(names, ", ") + "), found \"" + in.port + "\"");
            } else if (in.port.empty() && names.size() > 1) {
                error(at, field,
                      "expected a port, as " + in.product + " has several (" + text::Join(names, ", ") + "): write " +
                              in.product + "." + names.front());
            }
        }
    }

    // Cycles: depth-first search over the union graph, reported once per cycle at a batch product.
    std::map<std::string, int> state;  // 0 new, 1 on stack, 2 done
    std::vector<std::string> stack;
    std::set<std::string> reported;
    auto on_cycle = [](const std::vector<std::string>& cycle, const std::string& name) {
        return std::find(cycle.begin(), cycle.end(), name) != cycle.end();
    };
    // Reports a cycle once, at the first input of a batch product that is part of it.
    auto report_cycle = [&](const std::vector<std::string>& cycle, const std::string& path) {
        for (const auto& p : batch.products) {
            if (!on_cycle(cycle, p.product.FullName())) continue;
            for (size_t i = 0; i < p.product.inputs.size(); ++i) {
                const auto& in = p.product.inputs[i];
                if (in.IsProduct() && on_cycle(cycle, in.product)) {
                    error(i < p.input_at.size() ? p.input_at[i] : p.at, "spec.inputs[" + std::to_string(i) + "].product",
                          "expected inputs without cycles, found the cycle " + path);
                    return;
                }
            }
        }
    };
    std::function<void(const std::string&)> visit = [&](const std::string& n) {
        state[n] = 1;
        stack.push_back(n);
        auto it = edges.find(n);
        if (it != edges.end()) {
            for (const auto& next : it->second) {
                if (next == n) continue;  // reported above
                if (state[next] == 1) {
                    auto from = std::find(stack.begin(), stack.end(), next);
                    std::vector<std::string> cycle(from, stack.end());
                    std::string key = *std::min_element(cycle.begin(), cycle.end());
                    if (!reported.insert(key).second) continue;
                    std::string path;
                    for (const auto& c : cycle) path += c + " -> ";
                    path += next;
                    report_cycle(cycle, path);
                } else if (state[next] == 0) {
                    visit(next);
                }
            }
        }
        stack.pop_back();
        state[n] = 2;
    };
    for (const auto& p : batch.products) {
        if (state[p.product.FullName()] == 0) visit(p.product.FullName());
    }
    std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.at.file, a.at.line, a.at.col) < std::tie(b.at.file, b.at.line, b.at.col);
    });
    return out;
}

// ---------------------------------------------------------------------------------------------
// Stored documents

Result<Entity> DecodeJson(std::string_view json) {
    Value root;
    std::string error;
    if (!internal::ParseJson(json, &root, &error)) return Internal("stored document is not JSON: " + error);
    std::vector<Diagnostic> diagnostics;
    internal::Decoder decoder("<catalog>", nullptr, internal::Origin::kStored, &diagnostics);
    Entity entity;
    if (!decoder.DecodeEntity(root, &entity)) {
        return Internal("stored document does not decode: " +
                        (diagnostics.empty() ? std::string("empty") : diagnostics.front().ToString()));
    }
    return entity;
}

std::string EntityName(const Entity& entity) {
    return std::visit(
            [](const auto& e) -> std::string {
                using T = std::decay_t<decltype(e)>;
                if constexpr (std::is_same_v<T, model::DataProduct>) return e.FullName();
                else return e.name;
            },
            entity);
}

model::EntityKind KindOf(const Entity& entity) {
    switch (entity.index()) {
        case 0: return model::EntityKind::kDomain;
        case 1: return model::EntityKind::kTeam;
        case 3: return model::EntityKind::kPolicy;
        default: return model::EntityKind::kDataProduct;
    }
}

}  // namespace tessera::spec
