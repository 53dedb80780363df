// Policy evaluation at scale: the built-in pack plus 10 custom rules over a generated mesh.
//   build/bench/policy_bench [PRODUCTS=100000] [COLUMNS_PER_PRODUCT=10]
// Prints the time to load the metadata tables and to run every policy (docs/benchmarks.md).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "governance/builtin_pack.h"
#include "governance/policy_check.h"
#include "spec/descriptor.h"

using namespace tessera;

int main(int argc, char** argv) {
    int products = argc > 1 ? std::atoi(argv[1]) : 100000;
    int per_product = argc > 2 ? std::atoi(argv[2]) : 10;
    governance::MeshState mesh;
    const char* types[] = {"BIGINT", "VARCHAR", "TIMESTAMP", "BOOLEAN", "DOUBLE"};
    for (int d = 0; d < 50; ++d) {
        model::Domain dom;
        dom.name = "domain_" + std::to_string(d);
        mesh.domains.push_back(dom);
        model::Team t;
        t.name = dom.name + "_team";
        t.domain = dom.name;
        t.members.push_back({"owner" + std::to_string(d), "", "owner", "", ""});
        mesh.teams.push_back(t);
    }
    uint64_t seed = 42;
    auto next = [&] { return seed = seed * 6364136223846793005ULL + 1442695040888963407ULL, seed >> 33; };
    for (int i = 0; i < products; ++i) {
        model::DataProduct p;
        p.domain = "domain_" + std::to_string(i % 50);
        p.name = "product_" + std::to_string(i);
        p.owner = p.domain + "_team";
        p.title = "Product " + std::to_string(i);
        p.description = next() % 10 ? "One row per thing of product " + std::to_string(i) + ", for everyone." : "short";
        if (next() % 3) p.tags = {"topic_" + std::to_string(next() % 100)};
        model::OutputPort o;
        o.name = "main";
        if (next() % 4) o.sla.freshness_seconds = 86400;
        if (next() % 4) o.quality.push_back({"has_rows", "", model::CheckType::kRowCount, "", 0, 1, {}, "", 0, "", model::Severity::kError, {}});
        for (int c = 0; c < per_product; ++c) {
            model::Column col;
            int kind = static_cast<int>(next() % 5);
            col.type = types[kind];
            col.name = (c == 0 ? "customer_id" : kind == 2 ? "event_" + std::to_string(c) + "_at" : kind == 3 ? "is_flag_" + std::to_string(c) : "value_" + std::to_string(c));
            if (c == 0 && next() % 50 == 0) col.type = "VARCHAR";
            col.description = next() % 20 ? "Column " + std::to_string(c) + " of the product." : "";
            col.classification = next() % 10 ? model::Classification::kInternal : model::Classification::kUnset;
            o.columns.push_back(col);
        }
        p.outputs.push_back(o);
        mesh.products.push_back(std::move(p));
    }
    for (const auto& rule : governance::BuiltinPack()) {
        auto loaded = spec::LoadText(rule.yaml, rule.file, ".");
        mesh.policies.push_back({loaded.batch.policies.at(0).policy, rule.file, {}});
    }
    for (int i = 0; i < 10; ++i) {
        model::Policy p;
        p.name = "custom_" + std::to_string(i);
        p.sql = "select c.product, c.column_name from columns c join products p using (product) "
                "where p.domain = 'domain_" + std::to_string(i) + "' and c.type = 'DOUBLE' and c.position = " +
                std::to_string(i % per_product + 1);
        p.message = "{column_name}";
        mesh.policies.push_back({p, "custom", {}});
    }
    size_t columns = static_cast<size_t>(products) * static_cast<size_t>(per_product);
    auto t0 = std::chrono::steady_clock::now();
    governance::CheckOptions options;
    options.today = "2026-11-26";
    auto report = governance::CheckPolicies(mesh, options);
    auto t1 = std::chrono::steady_clock::now();
    if (!report.ok()) {
        std::fprintf(stderr, "%s\n", report.status().message().c_str());
        return 1;
    }
    size_t violations = 0;
    int64_t in_policies = 0;
    for (const auto& o : report->outcomes) {
        violations += o.violations.size();
        in_policies += o.duration_ms;
        if (!o.error.ok()) std::fprintf(stderr, "%s\n", o.error.message().c_str());
    }
    double total = std::chrono::duration<double>(t1 - t0).count();
    std::printf("%d products, %zu columns, %zu policies: %.2f s (%.2f s loading tables, %.2f s in policies), %zu violations\n",
                products, columns, report->outcomes.size(), total, total - in_policies / 1000.0, in_policies / 1000.0,
                violations);
    return 0;
}
