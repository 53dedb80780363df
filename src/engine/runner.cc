#include "engine/runner.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <queue>
#include <set>

#include <nlohmann/json.hpp>

#include "common/logging.h"
#include "common/text.h"
#include "engine/internal/duckdb.h"
#include "engine/internal/files.h"
#include "engine/internal/quality.h"
#include "engine/internal/sql_text.h"
#include "engine/reader_views.h"
#include "model/cron.h"

namespace tessera::engine {

namespace fs = std::filesystem;
using internal::Connection;
using internal::Database;
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

// Compares the produced columns with the declared ones; returns a column-by-column diff, or
// nothing when they agree.
std::string SchemaDiff(const model::OutputPort& port, const internal::QueryResult& described) {
    std::map<std::string, std::string> produced;  // lower-case name -> type
    std::map<std::string, std::string> produced_names;
    for (size_t i = 0; i < described.row_count(); ++i) {
        std::string name(described.Cell(i, 0));
        produced[text::Lower(name)] = std::string(described.Cell(i, 1));
        produced_names[text::Lower(name)] = name;
    }
    std::vector<std::string> lines;
    std::set<std::string> declared;
    for (const auto& c : port.columns) {
        std::string key = text::Lower(c.name);
        declared.insert(key);
        auto it = produced.find(key);
        if (it == produced.end()) {
            lines.push_back("  - " + c.name + " " + c.type + ": declared, but the transform does not produce it");
        } else if (it->second != c.type) {
            lines.push_back("  ~ " + c.name + ": declared " + c.type + ", produced " + it->second +
                            " (cast it in the SQL, or change the declared type)");
        }
    }
    for (const auto& [key, type] : produced) {
        if (!declared.count(key)) {
            lines.push_back("  + " + produced_names[key] + " " + type + ": produced, but not declared");
        }
    }
    if (lines.empty()) return "";
    return "the output port " + port.name + " does not match its declared schema:\n" + text::Join(lines, "\n");
}

// Makes the transform's result available under the output ports' names. One SELECT becomes a
// view (it runs once, when the snapshot is written), or a table for a CSV or JSON port (whose
// file would not read back with its exact types); a script creates its tables itself.
Status RunTransform(Connection& con, const model::DataProduct& p) {
    std::string sql = p.transform.sql;
    if (sql.empty()) sql = "SELECT * FROM " + QuoteIdent(p.inputs.front().name);
    // One SELECT: it is the (only) port. A script: it must create a table per port.
    auto shape = internal::SerializeSql(con, sql);
    bool single_select = false;
    if (shape.ok()) {
        auto j = nlohmann::json::parse(*shape, nullptr, false);
        single_select = !j.is_discarded() && j.value("error", true) == false && j["statements"].size() == 1;
    }
    if (single_select) {
        if (p.outputs.size() != 1) {
            return InvalidArgument("the transform is one SELECT but the product has " + std::to_string(p.outputs.size()) +
                                   " output ports: create a table per port instead (CREATE TABLE <port> AS …)");
        }
        std::string body = internal::WithoutTrailingSemicolons(sql);
        const auto& port = p.outputs.front();
        const char* what = port.format == model::DataFormat::kParquet ? "VIEW " : "TABLE ";
        return con.Execute(std::string("CREATE ") + what + QuoteIdent(port.name) + " AS " + body + "\n");
    }
    TESSERA_RETURN_IF_ERROR(con.Execute(sql));
    for (const auto& o : p.outputs) {
        auto exists = con.Query("SELECT count(*) FROM duckdb_tables() WHERE table_name = " + QuoteLiteral(o.name) +
                                " UNION ALL SELECT count(*) FROM duckdb_views() WHERE view_name = " + QuoteLiteral(o.name));
        if (!exists.ok()) return exists.status();
        if (exists->Cell(0, 0) == "0" && exists->Cell(1, 0) == "0") {
            return InvalidArgument("the transform script created no table or view named " + o.name +
                                   " (each output port needs one)");
        }
    }
    return Status::Ok();
}

}  // namespace

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
        run.details = details.dump();
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

    step("opening DuckDB");
    internal::ConfigOptions config;
    if (options_.threads > 0) config.push_back({"threads", std::to_string(options_.threads)});
    if (!options_.memory_limit.empty()) config.push_back({"memory_limit", options_.memory_limit});
    std::error_code ec;
    fs::create_directories(product_dir / ".spill", ec);
    config.push_back({"temp_directory", (product_dir / ".spill").string()});
    auto db = Database::Open("", config);
    if (!db.ok()) {
        finish("failed", "cannot open DuckDB: " + db.status().message(), {});
        return out;
    }
    auto con = db->Connect();
    if (!con.ok()) {
        finish("failed", "cannot connect to DuckDB: " + con.status().message(), {});
        return out;
    }

    step("binding inputs");
    const fs::path base = stored.origin.empty() ? fs::current_path() : fs::path(stored.origin).parent_path();
    for (const auto& in : p.inputs) {
        std::string relation;
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
            int64_t version = snaps->front().version;
            if (input_policy_) {
                // What the building domain may see of it, from the files that hold just that.
                auto policy = input_policy_(p.domain);
                Status failed = policy.status();
                if (policy.ok()) {
                    ReaderViews readers(catalog_, {options_.data_dir, options_.threads, options_.memory_limit}, **policy,
                                        "domain:" + p.domain, (*policy)->MaskKey());
                    auto view = readers.View(up.domain, up.name + (up.outputs.size() > 1 ? "__" + port : ""));
                    if (view.ok()) {
                        relation = "(" + view->select + ")";
                        version = view->version;
                    } else {
                        failed = view.status();
                    }
                }
                if (!failed.ok()) {
                    finish("failed", "input " + in.name + ": " + failed.message(), {});
                    return out;
                }
            } else {
                relation = internal::ReadFiles(port_decl->format,
                                               (fs::path(options_.data_dir) / snaps->front().path).string() + "/*." +
                                                       internal::FileExtension(port_decl->format));
            }
            details["inputs"][in.name] = in.product + "." + port + "@v" + std::to_string(version);
        } else {
            fs::path glob = fs::path(in.path).is_absolute() ? fs::path(in.path) : base / in.path;
            relation = internal::ReadFiles(in.format, glob.lexically_normal().string());
            details["inputs"][in.name] = glob.lexically_normal().string();
        }
        Status st = con->Execute("CREATE VIEW " + QuoteIdent(in.name) + " AS SELECT * FROM " + relation);
        if (!st.ok()) {
            finish("failed", "input " + in.name + " cannot be read: " + st.message(), {});
            return out;
        }
    }

    step("running the transform");
    Status st = RunTransform(*con, p);
    if (!st.ok()) {
        finish("failed", "the transform failed: " + st.message(), {});
        return out;
    }

    step("checking the schema");
    std::vector<std::string> diffs;
    for (const auto& o : p.outputs) {
        auto described = con->Query("DESCRIBE " + QuoteIdent(o.name));
        if (!described.ok()) {
            finish("failed", "cannot describe output port " + o.name + ": " + described.status().message(), {});
            return out;
        }
        std::string diff = SchemaDiff(o, *described);
        if (!diff.empty()) diffs.push_back(diff);
    }
    if (!diffs.empty()) {
        details["schema_diff"] = diffs;
        finish("failed", text::Join(diffs, "\n"), {});
        return out;
    }

    // Each port is written once, streaming, into a temporary folder; the checks then read the
    // written Parquet (compressed, column-pruned scans) instead of running the transform again.
    step("writing the snapshot");
    std::vector<store::SnapshotRecord> published;
    std::vector<std::pair<fs::path, fs::path>> renames;
    auto discard = [&] {
        for (const auto& [tmp, final_dir] : renames) fs::remove_all(tmp, ec);
    };
    for (const auto& o : p.outputs) {
        const auto& snaps = recorded[o.name];
        int64_t version = snaps.empty() ? 1 : snaps.front().version + 1;
        fs::path port_dir = PortDir(options_.data_dir, p, o.name);
        fs::path tmp = port_dir / (".tmp-run" + std::to_string(run.id));
        fs::path final_dir = port_dir / ("v" + std::to_string(version));
        fs::create_directories(tmp, ec);
        renames.push_back({tmp, final_dir});
        std::string ext = internal::FileExtension(o.format);
        std::string format = o.format == model::DataFormat::kParquet ? "FORMAT parquet, COMPRESSION zstd"
                             : o.format == model::DataFormat::kCsv   ? "FORMAT csv, HEADER true"
                                                                     : "FORMAT json";
        std::string file = (tmp / ("part-0." + ext)).string();
        st = con->Execute("COPY " + QuoteIdent(o.name) + " TO " + QuoteLiteral(file) + " (" + format + ")");
        if (st.ok() && o.format == model::DataFormat::kParquet) {
            st = con->Execute("DROP VIEW IF EXISTS " + QuoteIdent(o.name) + "; DROP TABLE IF EXISTS " + QuoteIdent(o.name) +
                              "; CREATE VIEW " + QuoteIdent(o.name) + " AS SELECT * FROM read_parquet(" +
                              QuoteLiteral(file) + ")");
        }
        auto rows = st.ok() ? con->Query("SELECT count(*) FROM " + QuoteIdent(o.name)) : Result<internal::QueryResult>(st);
        if (!rows.ok()) {
            discard();
            finish("failed", "the transform failed while writing output port " + o.name + ": " + rows.status().message(), {});
            return out;
        }
        // Recorded relative to the data folder, so a Tessera home can move (or be restored elsewhere).
        std::string relative = (fs::path(p.domain) / p.name / o.name / final_dir.filename()).string();
        published.push_back({p.FullName(), o.name, version, relative, std::stoll(std::string(rows->Cell(0, 0))),
                             internal::TreeBytes(tmp.string()), run.id, 0});
    }

    step("checking quality");
    std::time_t now = std::time(nullptr);
    for (const auto& o : p.outputs) {
        auto checks = internal::RunChecks(*con, o, now);
        out.checks.insert(out.checks.end(), checks.begin(), checks.end());
    }
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
        st = internal::SyncTree(tmp.string());
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
    fs::remove_all(product_dir / ".spill", ec);
    return out;
}

}  // namespace tessera::engine
