// The policy evaluator over metadata tables: violations from rows, levels by state and date,
// waivers with expiry, scopes, located SQL errors, time limits, the sandbox, and scorecards.

#include <gtest/gtest.h>

#include <filesystem>

#include "governance/builtin_pack.h"
#include "governance/policy_check.h"
#include "governance/report.h"
#include "governance/scorecard.h"
#include "spec/descriptor.h"

namespace tessera::governance {
namespace {

model::DataProduct Product(const std::string& domain, const std::string& name, std::vector<model::Column> columns) {
    model::DataProduct p;
    p.domain = domain;
    p.name = name;
    p.owner = domain + "_team";
    p.title = name;
    p.description = "A product for the evaluator's tests, long enough to pass.";
    model::OutputPort port;
    port.name = "main";
    port.columns = std::move(columns);
    p.outputs.push_back(std::move(port));
    return p;
}

model::Column Col(const std::string& name, const std::string& type, const std::string& description = "A column.") {
    model::Column c;
    c.name = name;
    c.type = type;
    c.description = description;
    return c;
}

PolicySource Rule(const std::string& name, const std::string& sql, model::PolicyState state = model::PolicyState::kWarn,
                  model::PolicySeverity severity = model::PolicySeverity::kError) {
    model::Policy p;
    p.name = name;
    p.sql = sql;
    p.message = "{column_name} of {product} breaks " + name;
    p.state = state;
    p.severity = severity;
    p.properties = {"self-describing"};
    return {p, "policies/" + name + ".yaml", {"policies/" + name + ".yaml", 9, 10}};
}

MeshState Mesh() {
    MeshState m;
    m.domains = {{"orders", "", "", "", "", 0, {}, {}}, {"users", "", "", "", "", 0, {}, {}}};
    m.products = {Product("orders", "lines", {Col("order_id", "BIGINT"), Col("Created", "TIMESTAMP", "")}),
                  Product("users", "people", {Col("user_id", "BIGINT"), Col("email", "VARCHAR", "")})};
    return m;
}

CheckOptions Opts(const std::string& today, bool include_proposed = false) {
    CheckOptions o;
    o.today = today;
    o.include_proposed = include_proposed;
    return o;
}

const char* kUndescribed = "select product, port, column_name from columns where description = ''";

TEST(CheckPolicies, EveryRowIsAViolationWithItsMessageFilledIn) {
    auto mesh = Mesh();
    mesh.policies = {Rule("described", kUndescribed)};
    auto report = CheckPolicies(mesh, Opts("2026-11-26"));
    ASSERT_TRUE(report.ok()) << report.status().message();
    ASSERT_EQ(report->outcomes.size(), 1u);
    const auto& v = report->outcomes[0].violations;
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(v[0].product, "orders.lines");
    EXPECT_EQ(v[0].port, "main");
    EXPECT_EQ(v[0].column, "Created");
    EXPECT_EQ(v[0].message, "Created of orders.lines breaks described");
    EXPECT_EQ(v[0].level, Level::kWarning);  // state warn
    EXPECT_FALSE(v[0].blocking);
    EXPECT_EQ(report->outcomes[0].result, PolicyOutcome::Result::kFailed);
}

TEST(CheckPolicies, EnforcedErrorsBlockOnlyFromTheirDate) {
    auto mesh = Mesh();
    mesh.policies = {Rule("described", kUndescribed, model::PolicyState::kEnforce)};
    mesh.policies[0].policy.enforce_from = "2027-01-01";
    auto before = CheckPolicies(mesh, Opts("2026-12-31"));
    ASSERT_TRUE(before.ok());
    EXPECT_EQ(before->Blocking(), 0u);
    EXPECT_EQ(before->Count(Level::kWarning), 2u);
    auto after = CheckPolicies(mesh, Opts("2027-01-01"));
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->Blocking(), 2u);
    EXPECT_EQ(after->Count(Level::kError), 2u);
}

TEST(CheckPolicies, EnforcedInfoAndWarningNeverBlock) {
    auto mesh = Mesh();
    mesh.policies = {Rule("a", kUndescribed, model::PolicyState::kEnforce, model::PolicySeverity::kInfo),
                     Rule("b", kUndescribed, model::PolicyState::kEnforce, model::PolicySeverity::kWarning)};
    auto report = CheckPolicies(mesh, Opts("2026-11-26"));
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->Blocking(), 0u);
    EXPECT_EQ(report->Count(Level::kNote), 2u);
    EXPECT_EQ(report->Count(Level::kWarning), 2u);
}

TEST(CheckPolicies, WaiversExemptTheirProductUntilTheyExpire) {
    auto mesh = Mesh();
    mesh.policies = {Rule("described", kUndescribed, model::PolicyState::kEnforce)};
    store::WaiverRecord w;
    w.id = 4;
    w.policy = "described";
    w.product = "orders.lines";
    w.reason = "legacy";
    w.expires = "2027-01-31";
    CheckOptions options = Opts("2027-01-31");
    options.waivers = {w};
    auto last_day = CheckPolicies(mesh, options);
    ASSERT_TRUE(last_day.ok());
    EXPECT_EQ(last_day->Blocking(), 1u);  // users.people is not waived
    EXPECT_EQ(last_day->Waived(), 1u);
    options.today = "2027-02-01";
    auto expired = CheckPolicies(mesh, options);
    ASSERT_TRUE(expired.ok());
    EXPECT_EQ(expired->Blocking(), 2u);
    EXPECT_EQ(expired->Waived(), 0u);
    options.today = "2027-01-01";
    options.waivers[0].revoked_at_ms = 1;
    auto revoked = CheckPolicies(mesh, options);
    ASSERT_TRUE(revoked.ok());
    EXPECT_EQ(revoked->Blocking(), 2u);
}

TEST(CheckPolicies, DomainScopeAndChangedProductsFilterViolations) {
    auto mesh = Mesh();
    mesh.policies = {Rule("described", kUndescribed)};
    mesh.policies[0].policy.domain = "users";
    auto scoped = CheckPolicies(mesh, Opts("2026-11-26"));
    ASSERT_TRUE(scoped.ok());
    ASSERT_EQ(scoped->outcomes[0].violations.size(), 1u);
    EXPECT_EQ(scoped->outcomes[0].violations[0].product, "users.people");
    mesh.policies[0].policy.domain.clear();
    CheckOptions changed = Opts("2026-11-26");
    changed.products = {"orders.lines"};
    auto only = CheckPolicies(mesh, changed);
    ASSERT_TRUE(only.ok());
    ASSERT_EQ(only->outcomes[0].violations.size(), 1u);
    EXPECT_EQ(only->outcomes[0].violations[0].product, "orders.lines");
}

TEST(CheckPolicies, ProposedPoliciesRunOnlyWhenAsked) {
    auto mesh = Mesh();
    mesh.policies = {Rule("described", kUndescribed, model::PolicyState::kProposed)};
    auto normal = CheckPolicies(mesh, Opts("2026-11-26"));
    ASSERT_TRUE(normal.ok());
    EXPECT_TRUE(normal->outcomes.empty());
    auto preview = CheckPolicies(mesh, Opts("2026-11-26", true));
    ASSERT_TRUE(preview.ok());
    EXPECT_EQ(preview->outcomes[0].violations.size(), 2u);
}

TEST(CheckPolicies, BrokenSqlIsALocatedErrorAndOtherPoliciesStillRun) {
    auto mesh = Mesh();
    mesh.policies = {Rule("broken", "select product from colums"), Rule("described", kUndescribed)};
    auto report = CheckPolicies(mesh, Opts("2026-11-26"));
    ASSERT_TRUE(report.ok());
    ASSERT_EQ(report->outcomes.size(), 2u);
    EXPECT_EQ(report->Errors(), 1u);
    const auto& broken = report->outcomes[0];
    EXPECT_EQ(broken.result, PolicyOutcome::Result::kError);
    EXPECT_EQ(broken.error.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(broken.error.message().rfind("policies/broken.yaml:9:10: error: spec.query: policy broken: ", 0), 0u)
            << broken.error.message();
    EXPECT_NE(broken.error.message().find("colums"), std::string::npos);
    EXPECT_EQ(report->outcomes[1].violations.size(), 2u);
}

TEST(CheckPolicies, AQueryPastItsTimeLimitIsStopped) {
    auto mesh = Mesh();
    mesh.policies = {Rule("slow", "select a.range::varchar as product from range(1000000) a, range(1000000) b "
                                  "where a.range * b.range = -1")};
    mesh.policies[0].policy.timeout_ms = 300;
    auto report = CheckPolicies(mesh, Opts("2026-11-26"));
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->outcomes[0].error.code(), StatusCode::kDeadlineExceeded);
    EXPECT_LT(report->outcomes[0].duration_ms, 5000);
}

TEST(CheckPolicies, PolicySqlReadsNoFilesAndWritesNothing) {
    auto mesh = Mesh();
    mesh.policies = {Rule("files", "select * from read_csv('/etc/passwd')"),
                     Rule("copy", "copy (select 1) to '/tmp/tessera-unit-escape.csv'"),
                     Rule("two", "select 1 as product; select 2 as product"),
                     Rule("settings", "select current_setting('enable_external_access') as product")};
    auto report = CheckPolicies(mesh, Opts("2026-11-26"));
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->outcomes[0].error.code(), StatusCode::kPermissionDenied);  // files
    EXPECT_EQ(report->outcomes[1].error.code(), StatusCode::kInvalidArgument);   // copy: not a read query
    EXPECT_EQ(report->outcomes[2].error.code(), StatusCode::kInvalidArgument);   // two statements
    // Reading a setting is harmless (and changing one is impossible: the configuration is locked).
    EXPECT_EQ(report->outcomes[3].result, PolicyOutcome::Result::kFailed);
    EXPECT_FALSE(std::filesystem::exists("/tmp/tessera-unit-escape.csv"));
}

TEST(FillTemplate, ReplacesKnownColumnsAndKeepsTheRest) {
    EXPECT_EQ(FillTemplate("{a} and {b} and {c}", {"a", "b"}, {std::string("x"), std::nullopt}), "x and NULL and {c}");
    EXPECT_EQ(FillTemplate("no placeholders {", {"a"}, {std::string("x")}), "no placeholders {");
}

TEST(BuiltinPack, EveryRuleDecodesAndRunsCleanOverTheSampleMesh) {
    auto mesh = Mesh();
    for (const auto& rule : BuiltinPack()) {
        auto loaded = spec::LoadText(rule.yaml, rule.file, ".");
        ASSERT_TRUE(loaded.ok()) << rule.file << ": " << loaded.diagnostics.front().ToString();
        ASSERT_EQ(loaded.batch.policies.size(), 1u) << rule.file;
        const auto& p = loaded.batch.policies[0].policy;
        EXPECT_FALSE(p.properties.empty()) << rule.file << " maps to no product property";
        mesh.policies.push_back({p, rule.file, loaded.batch.policies[0].query_at});
    }
    auto report = CheckPolicies(mesh, Opts("2026-11-26"));
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->Errors(), 0u);
    for (const auto& o : report->outcomes) EXPECT_TRUE(o.error.ok()) << o.error.message();
    // The sample's naming and documentation breaks are found.
    std::set<std::string> failed;
    for (const auto& o : report->outcomes) {
        if (o.result == PolicyOutcome::Result::kFailed) failed.insert(o.source.policy.name);
    }
    EXPECT_TRUE(failed.count("names_lower_snake_case"));
    EXPECT_TRUE(failed.count("timestamps_end_in_at"));
    EXPECT_TRUE(failed.count("columns_described"));
    EXPECT_FALSE(failed.count("products_described"));
}

TEST(Scorecard, WeighsPassedPoliciesBySeverityPerProductPropertyAndDomain) {
    auto mesh = Mesh();
    mesh.policies = {Rule("described", kUndescribed),  // error (3): both fail
                     Rule("ids", "select product from columns where column_name = 'user_id'", model::PolicyState::kWarn,
                          model::PolicySeverity::kWarning)};  // warning (2): users fails
    mesh.policies[1].policy.properties = {"interoperable"};
    store::IssueRecord overdue;
    overdue.product = "orders.lines";
    overdue.state = "open";
    overdue.due_at_ms = 1000;
    mesh.issues = {overdue};
    auto report = CheckPolicies(mesh, Opts("2026-11-26"));
    ASSERT_TRUE(report.ok());
    auto card = ComputeScorecard(mesh, *report, 2000);
    ASSERT_EQ(card.products.size(), 2u);
    EXPECT_DOUBLE_EQ(card.products[0].score, 35.0);  // orders.lines: 2 of 5 passed = 40, minus 5 overdue
    EXPECT_EQ(card.products[0].overdue_issues, 1);
    EXPECT_DOUBLE_EQ(card.products[0].properties.at("interoperable"), 100.0);
    EXPECT_DOUBLE_EQ(card.products[1].score, 0.0);  // users.people fails both
    ASSERT_EQ(card.domains.size(), 2u);
    EXPECT_EQ(card.domains[0].name, "orders");
    EXPECT_DOUBLE_EQ(card.domains[0].score, 35.0);
    auto back = FromRecord(ToRecords(card)[0]);
    EXPECT_EQ(back.name, "orders.lines");
    EXPECT_DOUBLE_EQ(back.properties.at("self-describing"), 0.0);
}

TEST(Scorecard, TheMeshScoreIsTheMeanOfItsProductsWeightedByDomain) {
    Score a, b, empty;
    a.name = "orders";
    a.products = 3;
    a.score = 90;
    a.properties = {{"secure", 60}};
    a.violations = 2;
    b.name = "users";
    b.products = 1;
    b.score = 50;
    b.properties = {{"secure", 100}, {"addressable", 80}};
    empty.name = "idle";  // no products: no weight
    empty.score = 100;
    Score mesh = MeshScore({a, b, empty});
    EXPECT_EQ(mesh.scope, "mesh");
    EXPECT_EQ(mesh.products, 4);
    EXPECT_DOUBLE_EQ(mesh.score, 80.0);  // (3 * 90 + 50) / 4
    EXPECT_DOUBLE_EQ(mesh.properties.at("secure"), 70.0);
    EXPECT_DOUBLE_EQ(mesh.properties.at("addressable"), 80.0);
    EXPECT_EQ(mesh.violations, 2);
    EXPECT_DOUBLE_EQ(MeshScore({}).score, 100.0);
}

TEST(Scorecard, ProductPoliciesListWhatAppliesToOneProductWithItsViolationsAndWaivers) {
    auto mesh = Mesh();
    mesh.policies = {Rule("described", kUndescribed), Rule("broken", "select nope from nowhere"),
                     Rule("users_only", kUndescribed), Rule("later", kUndescribed, model::PolicyState::kProposed)};
    mesh.policies[2].policy.domain = "users";
    auto options = Opts("2026-11-26", true);
    options.waivers = {{1, "described", "users.people", "legacy", "gov", "ann", "2026-12-31", 0, 0}};
    auto report = CheckPolicies(mesh, options);
    ASSERT_TRUE(report.ok());
    auto lines = ProductPolicies(*report, "orders.lines");
    ASSERT_EQ(lines.size(), 2u);  // not users_only (another domain), not later (proposed)
    EXPECT_EQ(lines[0].outcome->source.policy.name, "broken");
    EXPECT_FALSE(lines[0].passed);  // failed to run
    EXPECT_EQ(lines[1].outcome->source.policy.name, "described");
    EXPECT_FALSE(lines[1].passed);
    ASSERT_EQ(lines[1].violations.size(), 1u);
    EXPECT_EQ(lines[1].violations[0]->column, "Created");
    auto people = ProductPolicies(*report, "users.people");
    ASSERT_EQ(people.size(), 3u);
    EXPECT_EQ(people[1].outcome->source.policy.name, "described");
    EXPECT_TRUE(people[1].passed);  // its only violation is waived
    EXPECT_TRUE(people[1].waived);
    EXPECT_EQ(people[2].outcome->source.policy.name, "users_only");
    EXPECT_FALSE(people[2].passed);
}

TEST(Reports, SarifAndJunitCarryEveryViolation) {
    auto mesh = Mesh();
    mesh.policies = {Rule("described", kUndescribed, model::PolicyState::kEnforce)};
    auto report = CheckPolicies(mesh, Opts("2026-11-26"));
    ASSERT_TRUE(report.ok());
    auto sarif = nlohmann::json::parse(ToSarif(*report, "0.1.0"));
    EXPECT_EQ(sarif["version"], "2.1.0");
    EXPECT_EQ(sarif["runs"][0]["results"].size(), 2u);
    EXPECT_EQ(sarif["runs"][0]["results"][0]["level"], "error");
    EXPECT_EQ(sarif["runs"][0]["tool"]["driver"]["rules"][0]["id"], "described");
    std::string junit = ToJunit(*report);
    EXPECT_NE(junit.find("failures=\"1\""), std::string::npos);
    EXPECT_NE(junit.find("<failure message=\"2 violation(s) of described\""), std::string::npos);
}

}  // namespace
}  // namespace tessera::governance
