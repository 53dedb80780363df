#include "governance/compat.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "catalog/catalog.h"
#include "spec/descriptor.h"

namespace tessera::governance {
namespace {

constexpr const char* kToday = "2026-11-26";

CompatOptions At(const std::string& today) {
    CompatOptions o;
    o.today = today;
    return o;
}

model::Column Col(const std::string& name, const std::string& type) {
    model::Column c;
    c.name = name;
    c.type = type;
    return c;
}

model::DataProduct Product() {
    model::DataProduct p;
    p.domain = "orders";
    p.name = "facts";
    p.version = "1.2.0";
    p.owner = "orders_team";
    model::OutputPort o;
    o.name = "daily";
    o.columns = {Col("order_id", "BIGINT"), Col("amount", "DECIMAL(12,2)"), Col("status", "VARCHAR"),
                 Col("quantity", "INTEGER")};
    o.columns[0].required = true;
    o.columns[0].unique = true;
    o.columns[2].accepted_values = {"new", "paid", "shipped"};
    o.columns[3].min = 0;
    o.columns[3].max = 100;
    model::QualityCheck q;
    q.name = "no_negative";
    q.sql = "select * from daily where amount < 0";
    q.max_rows = 0;
    model::QualityCheck rows;
    rows.name = "enough_rows";
    rows.type = model::CheckType::kRowCount;
    rows.min = 10;
    o.quality = {q, rows};
    o.sla.freshness_seconds = 86400;
    o.sla.retention_seconds = 30 * 86400;
    o.sla.availability = "99.9%";
    p.outputs = {o};
    return p;
}

// The single change of `after` against Product(), or a failure naming what was found.
CompatChange Only(const model::DataProduct& after) {
    auto changes = CompareProducts(Product(), after, kToday);
    std::string found;
    for (const auto& c : changes) found += " " + c.rule;
    EXPECT_EQ(changes.size(), 1u) << "changes:" << found;
    return changes.empty() ? CompatChange{} : changes.front();
}

model::Column& Column(model::DataProduct& p, const std::string& name) {
    for (auto& c : p.outputs[0].columns) {
        if (c.name == name) return c;
    }
    throw std::runtime_error("no column " + name);
}

TEST(Compat, IdenticalProductsHaveNoChanges) { EXPECT_TRUE(CompareProducts(Product(), Product(), kToday).empty()); }

TEST(Compat, DocumentationChangesAreNotContractChanges) {
    auto p = Product();
    p.description = "new words";
    p.outputs[0].description = "other words";
    Column(p, "amount").description = "net amount";
    Column(p, "amount").tags = {"money"};
    EXPECT_TRUE(CompareProducts(Product(), p, kToday).empty());
}

TEST(Compat, RemovedColumnIsBreaking) {
    auto p = Product();
    p.outputs[0].columns.erase(p.outputs[0].columns.begin() + 1);
    auto c = Only(p);
    EXPECT_EQ(c.level, CompatLevel::kBreaking);
    EXPECT_EQ(c.rule, "column_removed");
    EXPECT_EQ(c.port, "daily");
    EXPECT_EQ(c.column, "amount");
    EXPECT_EQ(c.path, "spec.outputs[daily].columns[amount]");
    EXPECT_EQ(c.message, "column amount DECIMAL(12,2) removed");
}

TEST(Compat, AddedColumnIsInfo) {
    auto p = Product();
    p.outputs[0].columns.push_back(Col("currency", "VARCHAR"));
    auto c = Only(p);
    EXPECT_EQ(c.level, CompatLevel::kInfo);
    EXPECT_EQ(c.rule, "column_added");
}

TEST(Compat, ReorderedColumnsAreNoChange) {
    auto p = Product();
    std::swap(p.outputs[0].columns[0], p.outputs[0].columns[3]);
    EXPECT_TRUE(CompareProducts(Product(), p, kToday).empty());
}

TEST(Compat, NarrowedTypeIsBreakingAndWidenedIsInfo) {
    auto narrowed = Product();
    Column(narrowed, "order_id").type = "INTEGER";
    auto c = Only(narrowed);
    EXPECT_EQ(c.level, CompatLevel::kBreaking);
    EXPECT_EQ(c.rule, "column_type_changed");
    EXPECT_EQ(c.message, "order_id: type changed BIGINT -> INTEGER (not a widening)");

    auto widened = Product();
    Column(widened, "quantity").type = "BIGINT";
    c = Only(widened);
    EXPECT_EQ(c.level, CompatLevel::kInfo);
    EXPECT_EQ(c.rule, "column_type_widened");
}

TEST(Compat, ChangedTypeFamilyIsBreaking) {
    auto p = Product();
    Column(p, "quantity").type = "VARCHAR";
    EXPECT_EQ(Only(p).level, CompatLevel::kBreaking);
}

TEST(Compat, WideningTypes) {
    EXPECT_TRUE(IsWideningType("INTEGER", "BIGINT"));
    EXPECT_TRUE(IsWideningType("TINYINT", "HUGEINT"));
    EXPECT_TRUE(IsWideningType("UINTEGER", "BIGINT"));
    EXPECT_TRUE(IsWideningType("UTINYINT", "USMALLINT"));
    EXPECT_TRUE(IsWideningType("FLOAT", "DOUBLE"));
    EXPECT_TRUE(IsWideningType("INTEGER", "DOUBLE"));
    EXPECT_TRUE(IsWideningType("SMALLINT", "DECIMAL(8,2)"));
    EXPECT_TRUE(IsWideningType("DECIMAL(10,2)", "DECIMAL(12,2)"));
    EXPECT_TRUE(IsWideningType("DECIMAL(10,2)", "DECIMAL(11,3)"));
    EXPECT_TRUE(IsWideningType("INTEGER[]", "BIGINT[]"));
    EXPECT_TRUE(IsWideningType("TIMESTAMP_MS", "TIMESTAMP"));

    EXPECT_FALSE(IsWideningType("BIGINT", "INTEGER"));
    EXPECT_FALSE(IsWideningType("INTEGER", "UINTEGER"));  // negatives
    EXPECT_FALSE(IsWideningType("UINTEGER", "INTEGER"));  // the upper half
    EXPECT_FALSE(IsWideningType("BIGINT", "DOUBLE"));     // loses digits
    EXPECT_FALSE(IsWideningType("DOUBLE", "FLOAT"));
    EXPECT_FALSE(IsWideningType("INTEGER", "DECIMAL(9,2)"));
    EXPECT_FALSE(IsWideningType("DECIMAL(12,2)", "DECIMAL(12,3)"));  // one integer digit fewer
    EXPECT_FALSE(IsWideningType("DECIMAL(12,2)", "DECIMAL(12,1)"));
    EXPECT_FALSE(IsWideningType("DATE", "TIMESTAMP"));
    EXPECT_FALSE(IsWideningType("TIMESTAMP", "TIMESTAMP WITH TIME ZONE"));
    EXPECT_FALSE(IsWideningType("INTEGER", "VARCHAR"));
    EXPECT_FALSE(IsWideningType("TIMESTAMP", "TIMESTAMP_NS"));
    EXPECT_FALSE(IsWideningType("BIGINT[]", "INTEGER[]"));
    EXPECT_FALSE(IsWideningType("INTEGER", "INTEGER[]"));
}

TEST(Compat, RequiredChangesAreBreakingBothWays) {
    auto made = Product();
    Column(made, "amount").required = true;
    auto c = Only(made);
    EXPECT_EQ(c.level, CompatLevel::kBreaking);
    EXPECT_EQ(c.rule, "column_required_added");
    EXPECT_EQ(c.path, "spec.outputs[daily].columns[amount].required");

    auto dropped = Product();
    Column(dropped, "order_id").required = false;
    c = Only(dropped);
    EXPECT_EQ(c.level, CompatLevel::kBreaking);
    EXPECT_EQ(c.rule, "column_required_removed");
}

TEST(Compat, UniqueChangesAreBreakingBothWays) {
    auto made = Product();
    Column(made, "amount").unique = true;
    EXPECT_EQ(Only(made).rule, "column_unique_added");
    EXPECT_EQ(Only(made).level, CompatLevel::kBreaking);
    auto dropped = Product();
    Column(dropped, "order_id").unique = false;
    EXPECT_EQ(Only(dropped).rule, "column_unique_removed");
    EXPECT_EQ(Only(dropped).level, CompatLevel::kBreaking);
}

TEST(Compat, PrimaryKeyImpliesRequiredAndUnique) {
    // order_id is required and unique already: declaring it the key changes no constraint.
    auto p = Product();
    Column(p, "order_id").primary_key = true;
    auto c = Only(p);
    EXPECT_EQ(c.rule, "column_primary_key_added");
    EXPECT_EQ(c.level, CompatLevel::kWarning);
    // Dropping pk together with required/unique removes both guarantees.
    auto before = Product();
    Column(before, "amount").primary_key = true;
    auto changes = CompareProducts(before, Product(), kToday);
    std::set<std::string> rules;
    for (const auto& ch : changes) rules.insert(ch.rule);
    EXPECT_EQ(rules, (std::set<std::string>{"column_required_removed", "column_unique_removed", "column_primary_key_removed"}));
}

TEST(Compat, AcceptedValues) {
    auto tightened = Product();
    Column(tightened, "status").accepted_values = {"new", "paid"};
    auto c = Only(tightened);
    EXPECT_EQ(c.level, CompatLevel::kBreaking);
    EXPECT_EQ(c.rule, "column_accepted_values_tightened");
    EXPECT_EQ(c.message, "status: accepted values tightened, shipped no longer accepted");

    auto widened = Product();
    Column(widened, "status").accepted_values = {"new", "paid", "shipped", "returned"};
    c = Only(widened);
    EXPECT_EQ(c.level, CompatLevel::kWarning);
    EXPECT_EQ(c.rule, "column_accepted_values_widened");

    auto reordered = Product();
    Column(reordered, "status").accepted_values = {"shipped", "new", "paid"};
    EXPECT_TRUE(CompareProducts(Product(), reordered, kToday).empty());

    auto added = Product();
    Column(added, "amount").accepted_values = {"1"};
    EXPECT_EQ(Only(added).rule, "column_accepted_values_added");
    EXPECT_EQ(Only(added).level, CompatLevel::kBreaking);

    auto dropped = Product();
    Column(dropped, "status").accepted_values.clear();
    EXPECT_EQ(Only(dropped).rule, "column_accepted_values_removed");
    EXPECT_EQ(Only(dropped).level, CompatLevel::kWarning);

    auto swapped = Product();  // one value out, one in: still tightened
    Column(swapped, "status").accepted_values = {"new", "paid", "cancelled"};
    EXPECT_EQ(Only(swapped).rule, "column_accepted_values_tightened");
}

TEST(Compat, MinAndMax) {
    auto raised = Product();
    Column(raised, "quantity").min = 1;
    EXPECT_EQ(Only(raised).rule, "column_min_tightened");
    EXPECT_EQ(Only(raised).level, CompatLevel::kBreaking);
    auto lowered = Product();
    Column(lowered, "quantity").max = 50;
    EXPECT_EQ(Only(lowered).rule, "column_max_tightened");
    auto added = Product();
    Column(added, "amount").min = 0;
    EXPECT_EQ(Only(added).rule, "column_min_tightened");
    auto loosened = Product();
    Column(loosened, "quantity").max = 1000;
    EXPECT_EQ(Only(loosened).rule, "column_max_loosened");
    EXPECT_EQ(Only(loosened).level, CompatLevel::kWarning);
    auto removed = Product();
    Column(removed, "quantity").min.reset();
    EXPECT_EQ(Only(removed).rule, "column_min_loosened");
    EXPECT_EQ(Only(removed).message, "quantity: min 0 -> none (readers may see values outside the old range)");
}

TEST(Compat, MasksAndClassification) {
    auto masked = Product();
    Column(masked, "status").mask = model::Mask::kHash;
    EXPECT_EQ(Only(masked).rule, "column_mask_changed");
    EXPECT_EQ(Only(masked).level, CompatLevel::kBreaking);
    auto before = Product();
    Column(before, "status").mask = model::Mask::kHash;
    auto changes = CompareProducts(before, Product(), kToday);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].rule, "column_mask_removed");
    EXPECT_EQ(changes[0].level, CompatLevel::kWarning);
    auto classified = Product();
    Column(classified, "status").classification = model::Classification::kInternal;
    EXPECT_EQ(Only(classified).rule, "column_classification_changed");
    EXPECT_EQ(Only(classified).message, "status: classification unset -> internal");
}

TEST(Compat, PortsRemovedRenamedAddedAndReformatted) {
    auto removed = Product();
    removed.outputs.clear();
    EXPECT_EQ(Only(removed).rule, "port_removed");
    EXPECT_EQ(Only(removed).level, CompatLevel::kBreaking);

    auto renamed = Product();
    renamed.outputs[0].name = "by_day";
    auto c = Only(renamed);
    EXPECT_EQ(c.rule, "port_renamed");
    EXPECT_EQ(c.level, CompatLevel::kBreaking);
    EXPECT_EQ(c.message, "output port renamed from daily to by_day (readers of daily lose it)");

    auto added = Product();
    added.outputs.push_back(Product().outputs[0]);
    added.outputs[1].name = "weekly";
    added.outputs[1].columns.pop_back();  // other columns: not a rename
    EXPECT_EQ(Only(added).rule, "port_added");
    EXPECT_EQ(Only(added).level, CompatLevel::kInfo);

    auto csv = Product();
    csv.outputs[0].format = model::DataFormat::kCsv;
    EXPECT_EQ(Only(csv).rule, "port_format_changed");
    EXPECT_EQ(Only(csv).level, CompatLevel::kBreaking);
}

TEST(Compat, QualityGuarantees) {
    auto removed = Product();
    removed.outputs[0].quality.erase(removed.outputs[0].quality.begin());
    EXPECT_EQ(Only(removed).rule, "quality_check_removed");
    EXPECT_EQ(Only(removed).level, CompatLevel::kBreaking);

    auto added = Product();
    model::QualityCheck q;
    q.name = "new_check";
    q.sql = "select 1 where false";
    added.outputs[0].quality.push_back(q);
    EXPECT_EQ(Only(added).rule, "quality_check_added");
    EXPECT_EQ(Only(added).level, CompatLevel::kInfo);

    auto relaxed = Product();
    relaxed.outputs[0].quality[0].severity = model::Severity::kWarning;
    EXPECT_EQ(Only(relaxed).rule, "quality_check_relaxed");
    EXPECT_EQ(Only(relaxed).level, CompatLevel::kBreaking);

    auto tolerant = Product();
    tolerant.outputs[0].quality[0].max_rows = 5;
    EXPECT_EQ(Only(tolerant).rule, "quality_check_loosened");
    EXPECT_EQ(Only(tolerant).message, "quality check no_negative loosened: max_rows 0 -> 5");

    auto fewer_rows = Product();
    fewer_rows.outputs[0].quality[1].min = 5;
    EXPECT_EQ(Only(fewer_rows).rule, "quality_check_loosened");
    auto more_rows = Product();
    more_rows.outputs[0].quality[1].min = 50;
    EXPECT_EQ(Only(more_rows).rule, "quality_check_tightened");
    EXPECT_EQ(Only(more_rows).level, CompatLevel::kInfo);

    auto rewritten = Product();
    rewritten.outputs[0].quality[0].sql = "select * from daily where amount <= 0";
    EXPECT_EQ(Only(rewritten).rule, "quality_check_changed");
    EXPECT_EQ(Only(rewritten).level, CompatLevel::kWarning);
}

TEST(Compat, Sla) {
    auto looser = Product();
    looser.outputs[0].sla.freshness_seconds = 2 * 86400;
    EXPECT_EQ(Only(looser).rule, "sla_freshness_loosened");
    EXPECT_EQ(Only(looser).level, CompatLevel::kBreaking);
    EXPECT_EQ(Only(looser).message, "freshness SLA 1d -> 2d");
    auto dropped = Product();
    dropped.outputs[0].sla.freshness_seconds = 0;
    EXPECT_EQ(Only(dropped).rule, "sla_freshness_loosened");
    auto stricter = Product();
    stricter.outputs[0].sla.freshness_seconds = 3600;
    EXPECT_EQ(Only(stricter).rule, "sla_freshness_tightened");
    EXPECT_EQ(Only(stricter).level, CompatLevel::kInfo);

    auto shorter = Product();
    shorter.outputs[0].sla.retention_seconds = 7 * 86400;
    EXPECT_EQ(Only(shorter).rule, "sla_retention_shortened");
    EXPECT_EQ(Only(shorter).level, CompatLevel::kBreaking);
    auto longer = Product();
    longer.outputs[0].sla.retention_seconds = 90 * 86400;
    EXPECT_EQ(Only(longer).rule, "sla_retention_extended");

    auto lower = Product();
    lower.outputs[0].sla.availability = "99%";
    EXPECT_EQ(Only(lower).rule, "sla_availability_lowered");
    EXPECT_EQ(Only(lower).level, CompatLevel::kBreaking);
    auto higher = Product();
    higher.outputs[0].sla.availability = "99.99%";
    EXPECT_EQ(Only(higher).rule, "sla_availability_raised");
    EXPECT_EQ(Only(higher).level, CompatLevel::kInfo);
    auto prose = Product();
    prose.outputs[0].sla.availability = "business hours";
    EXPECT_EQ(Only(prose).rule, "sla_availability_changed");
    EXPECT_EQ(Only(prose).level, CompatLevel::kWarning);
}

TEST(Compat, DeprecatedPortRemovalIsRefusedBeforeSunsetAndBreakingAfter) {
    auto before = Product();
    before.outputs[0].deprecated = model::Deprecation{"1.1.0", "2026-12-31", "replaced", "orders.facts.lines"};
    auto after = Product();
    after.outputs.clear();
    auto changes = CompareProducts(before, after, kToday);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].level, CompatLevel::kRefused);
    EXPECT_EQ(changes[0].rule, "port_removed_before_sunset");
    EXPECT_EQ(changes[0].message,
              "output port daily removed before its sunset on 2026-12-31: consumers were promised it until then");

    changes = CompareProducts(before, after, "2026-12-31");  // the sunset day itself: allowed
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].level, CompatLevel::kBreaking);
    EXPECT_EQ(changes[0].rule, "port_removed");
    EXPECT_EQ(changes[0].message, "output port daily removed (deprecated; its sunset 2026-12-31 has passed)");
}

TEST(Compat, DeprecatedColumnRemovalFollowsTheSunsetToo) {
    auto before = Product();
    Column(before, "status").deprecated = model::Deprecation{"", "2027-01-01", "", ""};
    auto after = Product();
    after.outputs[0].columns.erase(after.outputs[0].columns.begin() + 2);
    auto changes = CompareProducts(before, after, kToday);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].rule, "column_removed_before_sunset");
    EXPECT_EQ(changes[0].level, CompatLevel::kRefused);
    changes = CompareProducts(before, after, "2027-01-02");
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].level, CompatLevel::kBreaking);
}

TEST(Compat, DeprecatingIsInfoAndMovingTheSunsetEarlierWarns) {
    auto deprecated = Product();
    deprecated.outputs[0].deprecated = model::Deprecation{"1.3.0", "2027-06-30", "", "orders.facts.lines"};
    auto c = Only(deprecated);
    EXPECT_EQ(c.rule, "port_deprecated");
    EXPECT_EQ(c.level, CompatLevel::kInfo);
    EXPECT_EQ(c.message, "output port daily deprecated, sunset 2027-06-30; use orders.facts.lines");

    auto earlier = deprecated;
    earlier.outputs[0].deprecated->sunset = "2027-01-31";
    auto changes = CompareProducts(deprecated, earlier, kToday);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].rule, "sunset_moved_earlier");
    EXPECT_EQ(changes[0].level, CompatLevel::kWarning);
    EXPECT_TRUE(CompareProducts(earlier, deprecated, kToday).empty());  // later: no change to report
}

TEST(Compat, RenamingADeprecatedPortBeforeItsSunsetIsRefused) {
    auto before = Product();
    before.outputs[0].deprecated = model::Deprecation{"", "2030-01-01", "", ""};
    auto after = Product();
    after.outputs[0].name = "by_day";
    auto changes = CompareProducts(before, after, kToday);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].rule, "port_renamed_before_sunset");
    EXPECT_EQ(changes[0].level, CompatLevel::kRefused);
}

TEST(Compat, SemanticVersions) {
    EXPECT_TRUE(IsMajorBump("1.2.0", "2.0.0"));
    EXPECT_TRUE(IsMajorBump("1.2.0", "3.1.4"));
    EXPECT_FALSE(IsMajorBump("1.2.0", "1.3.0"));
    EXPECT_FALSE(IsMajorBump("1.2.0", "1.2.1"));
    EXPECT_FALSE(IsMajorBump("2.0.0", "1.9.0"));
    EXPECT_TRUE(IsMajorBump("0.1.0", "0.2.0"));  // 0.y.z: the minor is the major
    EXPECT_TRUE(IsMajorBump("0.1.0", "1.0.0"));
    EXPECT_FALSE(IsMajorBump("0.1.0", "0.1.5"));
    EXPECT_FALSE(IsMajorBump("1.0", "2.0.0"));
    EXPECT_TRUE(IsMajorBump("1.9.9", "2.0.0-rc.1"));
    EXPECT_EQ(NextMajor("1.4.2"), "2.0.0");
    EXPECT_EQ(NextMajor("0.3.1"), "0.4.0");
}

TEST(Compat, BlockedOnlyWithoutAMajorBumpOrWhenRefused) {
    ProductCompat pc;
    pc.changes.push_back({CompatLevel::kBreaking, "column_removed", "daily", "amount", "", "", {}});
    EXPECT_TRUE(pc.Blocked());
    pc.major_bump = true;
    EXPECT_FALSE(pc.Blocked());
    pc.changes.push_back({CompatLevel::kRefused, "port_removed_before_sunset", "daily", "", "", "", {}});
    EXPECT_TRUE(pc.Blocked());
    ProductCompat only_warnings;
    only_warnings.changes.push_back({CompatLevel::kWarning, "column_max_loosened", "daily", "q", "", "", {}});
    EXPECT_FALSE(only_warnings.Blocked());
}

// The catalog side: consumers transitively, with owners and column use; deprecation notices.
class CompatCatalog : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() / ("tessera-compat-" + std::to_string(::getpid()) + "-" +
                                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        auto cat = catalog::Catalog::Open((dir_ / "catalog.db").string());
        ASSERT_TRUE(cat.ok()) << cat.status().ToString();
        cat_ = std::move(*cat);
        ASSERT_TRUE(Apply(Mesh("1.0.0", "")).ok());
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    // orders.facts (ports daily, weekly) <- marketing.revenue (reads daily) <- exec.board;
    // finance.weekly reads orders.facts.weekly.
    static std::string Mesh(const std::string& version, const std::string& daily_extra, const std::string& columns =
                                    "[{name: order_id, type: BIGINT}, {name: amount, type: DOUBLE}]") {
        return R"(apiVersion: tessera/v1
kind: Domain
metadata: {name: orders}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: t_orders}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: t_marketing}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: facts, owner: t_orders, version: )" + version + R"(}
spec:
  inputs: [{name: raw, source: db, path: x.csv}]
  outputs:
    - {name: daily, columns: )" + columns + daily_extra + R"(}
    - {name: weekly, columns: [{name: week, type: DATE}]}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: revenue, owner: t_marketing}
spec:
  inputs: [{name: f, product: orders.facts.daily}]
  transform: {query: "select order_id from f"}
  outputs: [{name: total, columns: [{name: order_id, type: BIGINT}]}]
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: board, owner: t_marketing}
spec:
  inputs: [{name: r, product: orders.revenue}]
  outputs: [{name: view, columns: [{name: order_id, type: BIGINT}]}]
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: finance, owner: t_orders}
spec:
  inputs: [{name: w, product: orders.facts.weekly}]
  outputs: [{name: w2, columns: [{name: week, type: DATE}]}]
)";
    }
    spec::Batch Load(const std::string& text) {
        auto r = spec::LoadText(text, "mesh.yaml", dir_.string());
        EXPECT_TRUE(r.ok()) << (r.diagnostics.empty() ? "" : r.diagnostics[0].ToString());
        return r.batch;
    }
    Status Apply(const std::string& text) {
        auto r = cat_->Apply(Load(text), {.author = "test", .message = "", .expected_revision = std::nullopt});
        return r.ok() ? Status::Ok() : r.status();
    }

    std::filesystem::path dir_;
    std::unique_ptr<catalog::Catalog> cat_;
};

TEST_F(CompatCatalog, BreakingChangeListsConsumersTransitivelyWithOwners) {
    auto report = CheckCompatibility(*cat_, Load(Mesh("1.1.0", "", "[{name: order_id, type: BIGINT}]")), At(kToday));
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_EQ(report->products.size(), 1u);
    const auto& pc = report->products[0];
    EXPECT_EQ(pc.product, "orders.facts");
    EXPECT_FALSE(pc.major_bump);
    ASSERT_EQ(pc.changes.size(), 1u);
    EXPECT_EQ(pc.changes[0].rule, "column_removed");
    const auto& consumers = pc.changes[0].consumers;
    ASSERT_EQ(consumers.size(), 2u);  // finance reads the weekly port: not affected
    EXPECT_EQ(consumers[0].product, "orders.revenue");
    EXPECT_EQ(consumers[0].owner, "t_marketing");
    EXPECT_EQ(consumers[0].depth, 1);
    EXPECT_EQ(consumers[1].product, "orders.board");
    EXPECT_EQ(consumers[1].depth, 2);
    EXPECT_EQ(consumers[1].via, "orders.revenue");
    EXPECT_TRUE(report->Blocks());
    ASSERT_EQ(report->Errors().size(), 1u);
    EXPECT_EQ(report->Errors()[0],
              "orders.facts: 1 breaking change(s) need a major version: metadata.version 1.1.0 -> 2.0.0 or later");
}

TEST_F(CompatCatalog, MajorBumpAllowsTheBreakingChange) {
    auto report = CheckCompatibility(*cat_, Load(Mesh("2.0.0", "", "[{name: order_id, type: BIGINT}]")), At(kToday));
    ASSERT_TRUE(report.ok());
    ASSERT_EQ(report->products.size(), 1u);
    EXPECT_TRUE(report->products[0].major_bump);
    EXPECT_FALSE(report->Blocks());
    EXPECT_TRUE(report->Errors().empty());
}

TEST_F(CompatCatalog, ColumnUseComesFromTheLineageCallbackAndGrantHoldersFromTheSeam) {
    CompatOptions options = At(kToday);
    options.column_users = [](const std::string& product, const std::string& column) {
        EXPECT_EQ(product, "orders.facts");
        EXPECT_EQ(column, "amount");
        return Result<ColumnUsers>(ColumnUsers{{}, {"orders.board"}});
    };
    options.grant_holders = [](const std::string& port) {
        return Result<std::vector<std::string>>(std::vector<std::string>{"alice@" + port});
    };
    auto report = CheckCompatibility(*cat_, Load(Mesh("1.1.0", "", "[{name: order_id, type: BIGINT}]")), options);
    ASSERT_TRUE(report.ok());
    const auto& consumers = report->products.at(0).changes.at(0).consumers;
    ASSERT_EQ(consumers.size(), 2u);
    EXPECT_EQ(consumers[0].column_use, "does not use");
    EXPECT_EQ(consumers[1].column_use, "unknown");
    EXPECT_EQ(consumers[0].grant_holders, std::vector<std::string>{"alice@orders.facts.daily"});
    EXPECT_TRUE(consumers[1].grant_holders.empty());  // grants are on the port: direct readers only
}

TEST_F(CompatCatalog, FailingLineageMakesColumnUseUnknownInsteadOfFailing) {
    CompatOptions options = At(kToday);
    options.column_users = [](const std::string&, const std::string&) {
        return Result<ColumnUsers>(InvalidArgument("cannot parse"));
    };
    auto report = CheckCompatibility(*cat_, Load(Mesh("1.1.0", "", "[{name: order_id, type: BIGINT}]")), options);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    for (const auto& c : report->products.at(0).changes.at(0).consumers) EXPECT_EQ(c.column_use, "unknown");
}

TEST_F(CompatCatalog, UnchangedAndNewProductsAreNotReported) {
    auto report = CheckCompatibility(*cat_, Load(Mesh("1.0.0", "")), At(kToday));
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->products.empty());
    EXPECT_TRUE(report->notices.empty());
    EXPECT_FALSE(report->Blocks());
}

TEST_F(CompatCatalog, ReadersOfADeprecatedPortGetANotice) {
    auto report = CheckCompatibility(
            *cat_, Load(Mesh("1.0.0", ", deprecated: {sunset: \"2027-03-01\", replacement: orders.facts.weekly}")),
            At(kToday));
    ASSERT_TRUE(report.ok());
    ASSERT_EQ(report->notices.size(), 1u);
    EXPECT_EQ(report->notices[0].product, "orders.revenue");
    EXPECT_EQ(report->notices[0].upstream, "orders.facts.daily");
    EXPECT_EQ(report->notices[0].deprecation.sunset, "2027-03-01");
    EXPECT_FALSE(report->notices[0].sunset_passed);
    EXPECT_FALSE(report->Blocks());  // deprecating is info
}

TEST_F(CompatCatalog, RemovingADeprecatedPortBeforeSunsetBlocksEvenWithAMajorBump) {
    ASSERT_TRUE(Apply(Mesh("1.1.0", ", deprecated: {sunset: \"2027-03-01\"}")).ok());
    std::string without_daily = Mesh("2.0.0", "");
    auto start = without_daily.find("    - {name: daily");
    without_daily.erase(start, without_daily.find('\n', start) - start + 1);
    // revenue still reads daily: the reference check would refuse too, so compare directly
    auto batch = Load(without_daily);
    auto report = CheckCompatibility(*cat_, batch, At(kToday));
    ASSERT_TRUE(report.ok());
    ASSERT_EQ(report->products.size(), 1u);
    EXPECT_TRUE(report->products[0].HasRefused());
    EXPECT_TRUE(report->Blocks());
    EXPECT_EQ(report->Errors().at(0),
              "orders.facts: 1 change(s) refused: a deprecated port or column is removed before its sunset");
    auto after_sunset = CheckCompatibility(*cat_, batch, At("2027-03-01"));
    ASSERT_TRUE(after_sunset.ok());
    EXPECT_FALSE(after_sunset->Blocks());
}

}  // namespace
}  // namespace tessera::governance
