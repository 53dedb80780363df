#include "engine/runner.h"

#include <glob.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <queue>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "common/logging.h"
#include "common/text.h"
#include "engine/build_child.h"
#include "engine/internal/build.h"
#include "engine/internal/child_process.h"
#include "engine/internal/files.h"
#include "engine/internal/quality.h"
#include "engine/internal/sql_text.h"
#include "engine/reader_views.h"
#include "model/cron.h"

namespace tessera::engine {

namespace fs = std::filesystem;
using internal::QuoteIdent;
using internal::QuoteLiteral;

namespace {

int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
}

std::string PortDir(const std::string& data_dir, const model::DataProduct& p, const std::string& port) {
    return (fs::path(data_dir) / p.domain / p.name / port).string();
}

// Leftovers of runs that died: temporary folders, and version folders the catalog never recorded
// (killed between rename and commit). Neither is ever served: readers go through the catalog.
void RemoveLeftovers(const std::string& port_dir, const std::vector<store::SnapshotRecord>& recorded) {
    std::error_code ec;
    if (!fs::exists(port_dir, ec)) return;
    std::set<std::string> keep;
    for (const auto& s : recorded) keep.insert(fs::path(s.path).filename().string());
    for (const auto& entry : fs::directory_iterator(port_dir, ec)) {
        std::string name = entry.path().filename().string();
        bool temp = name.rfind(".tmp-", 0) == 0;
        bool orphan = name.size() > 1 && name[0] == 'v' && !keep.count(name);
        if (temp || orphan) {
            TESSERA_LOG(kInfo) << "removing leftover " << entry.path().string();
            fs::remove_all(entry.path(), ec);
        }
    }
}

constexpr const char* kTeamOnly = " (the details are shown to the domain's team)";

Status Refused(std::string message) { return {StatusCode::kPermissionDenied, std::move(message)}; }

// "4GB", "512MB", "1.5GiB" in bytes; 0 when it does not parse.
int64_t ParseBytes(const std::string& text) {
    size_t used = 0;
    double number = 0;
    try {
        number = std::stod(text, &used);
    } catch (const std::exception&) {
        return 0;
    }
    std::string unit = text::Lower(text.substr(used));
    unit.erase(std::remove(unit.begin(), unit.end(), ' '), unit.end());
    static const std::map<std::string, double> kUnits = {
            {"", 1},       {"b", 1},          {"kb", 1e3},          {"mb", 1e6},          {"gb", 1e9},
            {"tb", 1e12},  {"kib", 1024.0},   {"mib", 1048576.0},   {"gib", 1073741824.0}, {"tib", 1099511627776.0}};
    auto it = kUnits.find(unit);
    if (it == kUnits.end() || number <= 0) return 0;
    return static_cast<int64_t>(number * it->second);
}

bool Inside(const fs::path& path, const fs::path& folder) {
    std::string p = path.lexically_normal().string(), f = folder.lexically_normal().string();
    if (!f.empty() && f.back() != '/') f += '/';
    return p.rfind(f, 0) == 0;
}

// The table function reading exactly `files`.
std::string ReadFileList(model::DataFormat format, const std::vector<std::string>& files) {
    std::vector<std::string> quoted;
    for (const auto& f : files) quoted.push_back(internal::QuoteLiteral(f));
    std::string list = "[" + text::Join(quoted, ", ") + "]";
    switch (format) {
        case model::DataFormat::kParquet: return "read_parquet(" + list + ")";
        case model::DataFormat::kCsv: return "read_csv(" + list + ", auto_detect = true)";
        case model::DataFormat::kJson: return "read_json_auto(" + list + ")";
    }
    return "";
}

// The files of a snapshot folder, in name order.
std::vector<std::string> SnapshotFiles(const fs::path& dir, const std::string& extension) {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.is_regular_file(ec) && entry.path().extension() == "." + extension) files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

// The files a source input reads: its glob, relative to `base`, matched here (not by DuckDB), each
// resolved through symbolic links. With `bounded` (a server) the path must be relative and every
// file must stay in `base`; always, a file of the Tessera home is refused, except under the source
// root when that lies inside the home.
Result<std::vector<std::string>> SourceFiles(const model::InputPort& in, const fs::path& base, bool bounded,
                                             const fs::path& home, const fs::path& source_root) {
    const std::string where = "input " + in.name + ": ";
    if (in.path.empty()) return InvalidArgument(where + "no path: give a glob relative to the source folder");
    if (bounded && fs::path(in.path).is_absolute()) {
        return Refused(where + "the path \"" + in.path +
                       "\" is absolute; a build reads source files only under its domain's source folder: give a "
                       "relative path");
    }
    std::error_code ec;
    const fs::path root = fs::weakly_canonical(base, ec);
    const fs::path pattern = (root / in.path).lexically_normal();
    if (bounded && !Inside(pattern, root)) {
        return Refused(where + "the path \"" + in.path +
                       "\" leaves the domain's source folder; a build reads source files only under it");
    }
    glob_t matches{};
    int rc = ::glob(pattern.c_str(), 0, nullptr, &matches);
    std::vector<std::string> files;
    if (rc == 0) {
        for (size_t i = 0; i < matches.gl_pathc; ++i) files.push_back(matches.gl_pathv[i]);
    }
    globfree(&matches);
    std::vector<std::string> out;
    const fs::path home_dir = fs::weakly_canonical(home, ec);
    const fs::path source_dir = source_root.empty() ? fs::path() : fs::weakly_canonical(source_root, ec);
    for (const auto& f : files) {
        fs::path real = fs::canonical(f, ec);
        if (ec || !fs::is_regular_file(real, ec)) continue;
        std::string shown = fs::path(f).lexically_relative(root).string();
        if (bounded && !Inside(real, root)) {
            return Refused(where + shown + " leads out of the domain's source folder (a symbolic link); a build "
                           "reads source files only under it");
        }
        if (!home_dir.empty() && Inside(real, home_dir) && !(!source_dir.empty() && Inside(real, source_dir))) {
            return Refused(where + shown + " is in the Tessera home; a build never reads the catalog or the "
                           "snapshot store as a source: declare a product input instead");
        }
        out.push_back(real.string());
    }
    if (out.empty()) return NotFound(where + "no file matches \"" + in.path + "\" in the source folder");
    return out;
}

// Why a build process ended without a result, for people.
std::string ChildFailure(const internal::ChildOutcome& o, int64_t timeout_s, const std::string& memory_limit) {
    if (o.timed_out) {
        return "the build ran past its time limit of " + std::to_string(timeout_s) +
               " s and was stopped; make the transform cheaper, or raise the limit (--timeout, or build_timeout_s "
               "on a server)";
    }
    if (o.output_overflow) return "the build process wrote more than it may to its parent and was stopped";
    if (o.signal == SIGXCPU) return "the build used more CPU time than its time limit allows and was stopped";
    if (o.signal != 0) {
        const char* name = ::sigabbrev_np(o.signal);
        return "the build process crashed (signal " + std::to_string(o.signal) + (name ? std::string(", SIG") + name : "") +
               ")" + (o.signal == SIGKILL ? "; it may have run out of memory (limit " + memory_limit + ")" : "") +
               "; the server log has its last words";
    }
    return "the build process failed (exit " + std::to_string(o.exit_code) + "); the server log has its last words";
}

}  // namespace

std::string PublicRunMessage(const std::string& message) {
    // DuckDB's errors read "<Type> Error: …": "Conversion Error", "Out of Memory Error", "IO Error"…
    static const std::regex kDuckDbError(R"(\b([A-Z][A-Za-z]*(?: [A-Za-z]+){0,3}) Error: )");
    static const std::regex kQuoted(R"('[^']*')");
    static const std::regex kPath(R"((^|[\s(\[=:,"'])/[^\s'",:)\]]*)");
    std::string kept = message;
    std::string tail;
    std::smatch m;
    if (std::regex_search(message, m, kDuckDbError)) {
        kept = message.substr(0, static_cast<size_t>(m.position(0)));
        tail = m.str(1) + " Error" + kTeamOnly;
    }
    kept = std::regex_replace(kept, kQuoted, "'…'");
    kept = std::regex_replace(kept, kPath, "$1<path>");
    return kept + tail;
}

std::vector<std::string> DependencyOrder(const std::vector<std::string>& products,
                                         const std::vector<store::Dependency>& dependencies) {
    std::set<std::string> wanted(products.begin(), products.end());
    std::map<std::string, int> indegree;
    std::map<std::string, std::vector<std::string>> readers;
    for (const auto& p : wanted) indegree[p] = 0;
    for (const auto& d : dependencies) {
        if (wanted.count(d.product) && wanted.count(d.upstream)) {
            ++indegree[d.product];
            readers[d.upstream].push_back(d.product);
        }
    }
    std::priority_queue<std::string, std::vector<std::string>, std::greater<>> ready;
    for (const auto& [p, n] : indegree) {
        if (n == 0) ready.push(p);
    }
    std::vector<std::string> out;
    while (!ready.empty()) {
        std::string p = ready.top();
        ready.pop();
        out.push_back(p);
        for (const auto& r : readers[p]) {
            if (--indegree[r] == 0) ready.push(r);
        }
    }
    return out;  // validation keeps the graph acyclic; a cycle would drop its members here
}

Runner::Runner(catalog::Catalog& catalog, EngineOptions options) : catalog_(catalog), options_(std::move(options)) {
    // Snapshot paths are recorded absolute: readers may run from any folder.
    std::error_code ec;
    fs::create_directories(options_.data_dir, ec);
    options_.data_dir = fs::weakly_canonical(fs::absolute(options_.data_dir, ec), ec).string();
}

Result<std::vector<std::string>> Runner::Due(std::time_t now) {
    TESSERA_ASSIGN_OR_RETURN(auto products, catalog_.Products());
    TESSERA_ASSIGN_OR_RETURN(auto deps, catalog_.Dependencies());
    std::vector<std::string> due;
    for (const auto& p : products) {
        TESSERA_ASSIGN_OR_RETURN(auto runs, catalog_.Runs(p.FullName(), 50));
        const store::RunRecord* last = runs.empty() ? nullptr : &runs.front();
        const store::RunRecord* last_ok = nullptr;
        for (const auto& r : runs) {
            if (r.status == "succeeded") {
                last_ok = &r;
                break;
            }
        }
        bool is_due = false;
        if (!p.transform.schedule.empty()) {
            auto cron = model::CronSchedule::Parse(p.transform.schedule);
            if (cron.ok()) {
                if (!last) {
                    is_due = true;
                } else {
                    std::time_t next = cron->NextAfter(static_cast<std::time_t>(last->started_at_ms / 1000));
                    is_due = next != 0 && next <= now;
                }
            }
        }
        if (!is_due && p.transform.trigger == model::Trigger::kUpstream) {
            int64_t since = last_ok ? last_ok->started_at_ms : 0;
            for (const auto& d : deps) {
                if (d.product != p.FullName()) continue;
                TESSERA_ASSIGN_OR_RETURN(auto snaps, catalog_.Snapshots(d.upstream));
                for (const auto& s : snaps) {
                    if (s.created_at_ms > since) is_due = true;
                }
            }
        }
        if (is_due) due.push_back(p.FullName());
    }
    return due;
}

Result<std::vector<RunOutcome>> Runner::Run(const RunRequest& request, const ProgressFn& progress) {
    std::vector<std::string> names = request.products;
    std::string trigger = "manual";
    if (request.all) {
        names.clear();
        TESSERA_ASSIGN_OR_RETURN(auto products, catalog_.Products());
        for (const auto& p : products) names.push_back(p.FullName());
    } else if (request.due) {
        TESSERA_ASSIGN_OR_RETURN(names, Due(request.now ? request.now : std::time(nullptr)));
        trigger = "schedule";
    } else if (names.empty()) {
        return InvalidArgument("name the products to run, or give --all or --due");
    }
    std::map<std::string, catalog::StoredEntity> stored;
    for (const auto& n : names) {
        TESSERA_ASSIGN_OR_RETURN(auto e, catalog_.Find(n));
        if (!std::holds_alternative<model::DataProduct>(e.entity)) {
            return InvalidArgument("\"" + n + "\" is not a data product; run takes domain.product names");
        }
        if (const auto& p = std::get<model::DataProduct>(e.entity); model::IsDraft(p.status)) {
            if (request.all || request.due) continue;  // catalogued, not built
            return FailedPrecondition(
                    p.FullName() + " is a draft (status: " + std::string(model::LifecycleStatusName(p.status)) +
                    "): it is catalogued, not built; give each output port its columns and the product a "
                    "transform, set status: active, apply it, then run it");
        }
        stored.emplace(std::get<model::DataProduct>(e.entity).FullName(), std::move(e));
    }
    std::vector<std::string> keys;
    for (const auto& [k, v] : stored) keys.push_back(k);
    TESSERA_ASSIGN_OR_RETURN(auto deps, catalog_.Dependencies());
    std::vector<std::string> order = DependencyOrder(keys, deps);

    std::vector<RunOutcome> outcomes;
    std::set<std::string> not_published;
    for (size_t i = 0; i < order.size(); ++i) {
        const auto& entity = stored.at(order[i]);
        const auto& product = std::get<model::DataProduct>(entity.entity);
        auto step = [&](const std::string& what) {
            if (progress) progress(i, order.size(), product.FullName(), what);
        };
        std::vector<std::string> failed_inputs;
        for (const auto& in : product.inputs) {
            if (in.IsProduct() && not_published.count(in.product)) failed_inputs.push_back(in.product);
        }
        RunOutcome outcome;
        if (!failed_inputs.empty()) {
            outcome = {product.FullName(), "skipped", 0,
                       "not run: its input " + text::Join(failed_inputs, ", ") + " did not publish in this run", {}, {}, 0};
        } else {
            std::string trig = trigger;
            if (request.due && product.transform.trigger == model::Trigger::kUpstream) trig = "upstream";
            outcome = RunOne(product, entity, request.author, trig, step);
        }
        if (outcome.status != "succeeded") not_published.insert(product.FullName());
        outcomes.push_back(std::move(outcome));
        if (progress) progress(i + 1, order.size(), product.FullName(), outcomes.back().status);
    }
    return outcomes;
}

RunOutcome Runner::RunOne(const model::DataProduct& p, const catalog::StoredEntity& stored, const std::string& author,
                          const std::string& trigger, const std::function<void(const std::string&)>& step) {
    RunOutcome out{p.FullName(), "failed", 0, "", {}, {}, 0};
    int64_t started = NowMs();
    const fs::path product_dir = fs::path(options_.data_dir) / p.domain / p.name;

    step("waiting for the product's lock");
    auto lock = internal::FileLock::TryAcquire((product_dir / ".lock").string());
    if (!lock.ok()) {
        out.status = "refused";
        out.error = lock.status().code() == StatusCode::kAborted
                            ? "another run of " + p.FullName() + " is in progress; runs of one product never interleave"
                            : lock.status().message();
        return out;
    }
    // Holding the lock, any run still recorded as running died with its process.
    if (auto abandoned = catalog_.AbandonRuns(p.FullName()); abandoned.ok() && *abandoned > 0) {
        TESSERA_LOG(kInfo) << p.FullName() << ": " << *abandoned << " run(s) of a process that died marked failed";
    }
    store::RunRecord run{0, p.FullName(), "running", trigger, author, stored.revision, started, 0, "", ""};
    auto id = catalog_.StartRun(run);
    if (!id.ok()) {
        out.error = "cannot record the run: " + id.status().message();
        return out;
    }
    run.id = out.run_id = *id;
    nlohmann::ordered_json details;
    auto finish = [&](const std::string& status, const std::string& error,
                      const std::vector<store::SnapshotRecord>& published) {
        run.status = out.status = status;
        run.error = out.error = error;
        run.finished_at_ms = NowMs();
        details["duration_ms"] = run.finished_at_ms - started;
        if (!error.empty()) {
            // What readers outside the domain's team see (see PublicRunMessage): for a blocked run,
            // each check's message without its sample.
            std::string shown = PublicRunMessage(error);
            if (status == "blocked") {
                std::vector<std::string> lines;
                for (const auto& c : out.checks) {
                    if (c.status != "failed" && c.status != "error") continue;
                    std::string m = c.message;
                    if (c.sample != "[]" && m.size() > c.sample.size() + 2 && m.ends_with(": " + c.sample)) {
                        m.resize(m.size() - c.sample.size() - 2);
                    }
                    lines.push_back(c.port + "." + c.check + ": " + PublicRunMessage(m));
                }
                shown = "quality checks failed; the previous snapshot stays current:\n  " + text::Join(lines, "\n  ");
            }
            details["public_error"] = shown;
        }
        run.details = details.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
        out.duration_ms = run.finished_at_ms - started;
        // One transaction: the run's end, its check results, its snapshots, and the product's
        // quality issues (a failing check opens one, a passing check resolves it).
        Status st = catalog_.FinishRun(run, out.checks, published);
        if (!st.ok()) {
            out.status = "failed";
            out.error = "cannot record the end of the run: " + st.message();
            return false;
        }
        out.published = published;
        return true;
    };

    // Snapshots recorded so far, per port: what is current, and what leftovers are not.
    std::map<std::string, std::vector<store::SnapshotRecord>> recorded;
    for (const auto& o : p.outputs) {
        auto snaps = catalog_.Snapshots(p.FullName(), o.name);
        if (!snaps.ok()) {
            finish("failed", snaps.status().message(), {});
            return out;
        }
        recorded[o.name] = *snaps;
        RemoveLeftovers(PortDir(options_.data_dir, p, o.name), *snaps);
    }

    step("resolving inputs");
    internal::BuildPlan plan;
    plan.product = p.FullName();
    plan.now = static_cast<int64_t>(std::time(nullptr));
    plan.threads = options_.threads > 0 ? options_.threads : kDefaultBuildThreads;
    plan.memory_limit = options_.memory_limit.empty() ? kDefaultBuildMemoryLimit : options_.memory_limit;
    const int64_t timeout_s = options_.timeout_s > 0 ? options_.timeout_s : kDefaultBuildTimeoutSeconds;
    const int64_t memory_bytes = ParseBytes(plan.memory_limit);
    if (memory_bytes <= 0) {
        finish("failed", "memory limit \"" + plan.memory_limit + "\": expected a size such as 512MB or 4GB", {});
        return out;
    }
    if (const char* fault = std::getenv("TESSERA_TEST_BUILD_FAULT")) plan.fault = fault;
    bool masked = false;
    for (const auto& o : p.outputs) {
        for (const auto& c : o.columns) masked = masked || c.mask != model::Mask::kNone;
    }
    const fs::path home = options_.home.empty() ? fs::path(options_.data_dir).parent_path() : fs::path(options_.home);
    const fs::path base = !options_.source_root.empty() ? fs::path(options_.source_root) / p.domain
                          : stored.origin.empty()       ? fs::current_path()
                                                        : fs::path(stored.origin).parent_path();
    for (const auto& in : p.inputs) {
        std::vector<std::string> files;
        model::DataFormat format = in.format;
        if (in.IsProduct()) {
            auto upstream = catalog_.Find(in.product);
            if (!upstream.ok()) {
                finish("failed", "input " + in.name + ": " + upstream.status().message(), {});
                return out;
            }
            const auto& up = std::get<model::DataProduct>(upstream->entity);
            std::string port = in.port.empty() ? up.outputs.front().name : in.port;
            auto snaps = catalog_.Snapshots(in.product, port);
            if (!snaps.ok() || snaps->empty()) {
                finish("failed", "input " + in.name + ": " + in.product + "." + port +
                                         " has no published snapshot yet; run " + in.product + " first", {});
                return out;
            }
            const auto* port_decl = &up.outputs.front();
            for (const auto& o : up.outputs) {
                if (o.name == port) port_decl = &o;
            }
            for (const auto& c : port_decl->columns) masked = masked || c.mask != model::Mask::kNone;
            format = port_decl->format;
            if (input_policy_) {
                // What the building domain may see of it, from the files that hold just that: the
                // child gets the reader view's SQL and exactly its files.
                auto policy = input_policy_(p.domain);
                Status failed = policy.status();
                if (policy.ok()) {
                    ReaderViews readers(catalog_, {options_.data_dir, options_.threads, options_.memory_limit}, **policy,
                                        "domain:" + p.domain, (*policy)->MaskKey());
                    auto view = readers.View(up.domain, up.name + (up.outputs.size() > 1 ? "__" + port : ""));
                    if (view.ok()) {
                        details["inputs"][in.name] = in.product + "." + port + "@v" + std::to_string(view->version);
                        plan.views.push_back({in.name, view->select});
                        plan.readable_files.insert(plan.readable_files.end(), view->files.begin(), view->files.end());
                        continue;
                    }
                    failed = view.status();
                }
                finish("failed", "input " + in.name + ": " + failed.message(), {});
                return out;
            }
            files = SnapshotFiles(fs::path(options_.data_dir) / snaps->front().path, internal::FileExtension(format));
            if (files.empty()) {
                finish("failed", "input " + in.name + ": the snapshot v" + std::to_string(snaps->front().version) + " of " +
                                         in.product + "." + port + " holds no file; run " + in.product + " again", {});
                return out;
            }
            details["inputs"][in.name] = in.product + "." + port + "@v" + std::to_string(snaps->front().version);
        } else {
            auto found = SourceFiles(in, base, !options_.source_root.empty(), home, options_.source_root);
            if (!found.ok()) {
                finish("failed", found.status().message(), {});
                return out;
            }
            files = std::move(*found);
            details["inputs"][in.name] = in.path;  // as declared: no server path in what readers see
        }
        plan.views.push_back({in.name, "SELECT * FROM " + ReadFileList(format, files)});
        plan.readable_files.insert(plan.readable_files.end(), files.begin(), files.end());
    }
    plan.keep_samples = !masked;
    plan.transform_sql = p.transform.sql;
    if (plan.transform_sql.empty() && !p.inputs.empty()) plan.transform_sql = "SELECT * FROM " + QuoteIdent(p.inputs.front().name);

    std::vector<store::SnapshotRecord> published;
    std::vector<std::pair<fs::path, fs::path>> renames;
    std::error_code ec;
    auto discard = [&] {
        for (const auto& [tmp, final_dir] : renames) fs::remove_all(tmp, ec);
        fs::remove_all(product_dir / ".spill", ec);
    };
    for (const auto& o : p.outputs) {
        const auto& snaps = recorded[o.name];
        int64_t version = snaps.empty() ? 1 : snaps.front().version + 1;
        fs::path port_dir = PortDir(options_.data_dir, p, o.name);
        fs::path tmp = port_dir / (".tmp-run" + std::to_string(run.id));
        fs::path final_dir = port_dir / ("v" + std::to_string(version));
        fs::create_directories(tmp, ec);
        renames.push_back({tmp, final_dir});
        internal::BuildOutput output{o.name, o.format, (tmp / ("part-0." + internal::FileExtension(o.format))).string(), {}};
        for (const auto& c : o.columns) output.columns.push_back({c.name, c.type});
        plan.outputs.push_back(std::move(output));
        auto checks = internal::PlanChecks(o, static_cast<std::time_t>(plan.now));
        plan.checks.insert(plan.checks.end(), checks.begin(), checks.end());
        // Recorded relative to the data folder, so a Tessera home can move (or be restored elsewhere).
        std::string relative = (fs::path(p.domain) / p.name / o.name / final_dir.filename()).string();
        published.push_back({p.FullName(), o.name, version, relative, 0, 0, run.id, 0});
    }
    fs::create_directories(product_dir / ".spill", ec);
    plan.spill_dir = (product_dir / ".spill").string();

    step("building (sandboxed)");
    internal::ChildLimits limits;
    limits.timeout_ms = timeout_s * 1000;
    // Backstops under DuckDB's own memory limit and the wall clock: address space for the memory
    // limit twice over plus the binary and thread stacks, CPU time for every thread for the whole
    // time limit.
    limits.address_space_bytes = 2 * memory_bytes + (int64_t{2} << 30);
    limits.cpu_seconds = timeout_s * plan.threads + 60;
    const std::string program = options_.build_program.empty() ? "/proc/self/exe" : options_.build_program;
    auto child = internal::RunChild(program, {kBuildChildCommand}, internal::PlanToJson(plan), limits);
    details["build"] = {{"threads", plan.threads}, {"memory_limit", plan.memory_limit}, {"timeout_s", timeout_s}};
    if (!child.ok()) {
        discard();
        finish("failed", child.status().message(), {});
        return out;
    }
    details["build"]["peak_memory_bytes"] = child->max_rss_bytes;
    if (child->timed_out || child->signal != 0 || child->exit_code != 0 || child->output_overflow) {
        TESSERA_LOG(kWarn) << p.FullName() << ": build process of run " << run.id << " ended without a result (exit "
                           << child->exit_code << ", signal " << child->signal << (child->timed_out ? ", timed out" : "")
                           << "); its stderr: " << child->err;
        discard();
        finish("failed", ChildFailure(*child, timeout_s, plan.memory_limit), {});
        return out;
    }
    auto built = internal::ResultFromJson(child->out);
    if (!built.ok()) {
        TESSERA_LOG(kWarn) << p.FullName() << ": build process of run " << run.id << ": " << built.status().message()
                           << "; its stderr: " << child->err;
        discard();
        finish("failed", built.status().message(), {});
        return out;
    }
    if (!built->ok) {
        if (!built->schema_diff.empty()) details["schema_diff"] = built->schema_diff;
        discard();
        finish("failed", built->error, {});
        return out;
    }
    // The child may write only the declared files (allowed_paths); check it wrote them and nothing else.
    for (size_t i = 0; i < plan.outputs.size(); ++i) {
        const fs::path tmp = renames[i].first;
        std::vector<std::string> names;
        for (const auto& entry : fs::directory_iterator(tmp, ec)) names.push_back(entry.path().filename().string());
        if (names.size() != 1 || tmp / names.front() != fs::path(plan.outputs[i].file) || i >= built->rows.size()) {
            discard();
            finish("failed", "the build of output port " + plan.outputs[i].port + " left other files than its snapshot", {});
            return out;
        }
        published[i].rows = built->rows[i];
        published[i].bytes = internal::TreeBytes(tmp.string());
    }
    fs::remove_all(product_dir / ".spill", ec);

    out.checks = built->checks;
    if (internal::BlocksPublish(out.checks)) {
        discard();
        std::vector<std::string> failed;
        for (const auto& c : out.checks) {
            if (c.status == "failed" || c.status == "error") failed.push_back(c.port + "." + c.check + ": " + c.message);
        }
        finish("blocked", "quality checks failed; the previous snapshot stays current:\n  " + text::Join(failed, "\n  "), {});
        return out;
    }
    for (const auto& [tmp, final_dir] : renames) {
        Status st = internal::SyncTree(tmp.string());
        if (!st.ok()) {
            discard();
            finish("failed", "cannot sync the snapshot in " + tmp.string() + ": " + st.message(), {});
            return out;
        }
    }

    step("publishing");
    for (const auto& [tmp, final_dir] : renames) {
        fs::rename(tmp, final_dir, ec);
        if (!ec) {
            Status synced = internal::SyncDir(final_dir.parent_path().string());
            if (!synced.ok()) ec = std::make_error_code(std::errc::io_error);
        }
        if (ec) {
            finish("failed", "cannot move the snapshot into place at " + final_dir.string() + ": " + ec.message(), {});
            return out;  // the next run removes the unrecorded folders
        }
    }
    details["rows"] = nlohmann::ordered_json::object();
    for (const auto& s : published) details["rows"][s.port] = s.rows;
    if (!finish("succeeded", "", published)) return out;

    // Retention: the newest `keep_snapshots` versions of each port stay.
    if (options_.keep_snapshots > 0) {
        std::vector<store::SnapshotRecord> expired;
        for (const auto& o : p.outputs) {
            auto all = catalog_.Snapshots(p.FullName(), o.name);
            if (!all.ok()) continue;
            for (size_t i = static_cast<size_t>(options_.keep_snapshots); i < all->size(); ++i) expired.push_back((*all)[i]);
        }
        if (!expired.empty() && catalog_.DeleteSnapshots(expired).ok()) {
            for (const auto& s : expired) fs::remove_all(fs::path(options_.data_dir) / s.path, ec);
        }
    }
    return out;
}

}  // namespace tessera::engine
