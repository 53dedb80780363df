#include "spec/descriptor.h"

#include <gtest/gtest.h>

#include "spec/internal/duckdb_type.h"

namespace tessera::spec {
namespace {

constexpr const char* kFull = R"yaml(apiVersion: tessera/v1
kind: Domain
metadata: {name: orders, tags: [sales]}
spec: {title: Orders, owner: orders_core, x-cost-center: 42}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: orders_core}
spec:
  domain: orders
  contact: {email: orders@example.com}
  members: [{user: alice@example.com, role: owner}]
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: order_facts, version: "1.2.0", owner: orders_core, tags: [sales]}
spec:
  title: Order facts
  kind: aggregate
  status: deprecated
  inputs:
    - {name: raw, source: shop_db, format: parquet, path: data/*.parquet, x-note: {a: [1, 2]}}
    - {name: sessions, product: traffic.sessions.daily}
  transform: {query: "select 1", schedule: "0 * * * *", trigger: upstream}
  outputs:
    - name: daily
      format: csv
      columns:
        - {name: order_id, type: bigint, required: true, unique: true, primary_key: true, description: Id}
        - {name: email, type: text, classification: pii, mask: hash, tags: [contact], glossary: [customer]}
        - {name: status, type: VARCHAR, accepted_values: [placed, paid]}
        - {name: amount, type: "decimal(12, 2)", min: 0, max: 1e6, examples: ["9.99"]}
      quality:
        - {name: no_neg, sql: "select * from daily where amount < 0", max_rows: 2, dimension: accuracy}
        - {name: enough, type: row_count, min: 10}
        - {name: recent, column: ordered_at, max_age: 2d, severity: warning}
      sla: {freshness: 24h, retention: 90d, availability: "99.9%"}
)yaml";

std::vector<std::string> Errors(const std::string& yaml) {
    LoadReport r = LoadText(yaml, "p.yaml", ".");
    std::vector<std::string> out;
    for (const auto& d : r.diagnostics) out.push_back(d.ToString());
    return out;
}

std::string Product(const std::string& metadata_extra, const std::string& spec_body) {
    return "apiVersion: tessera/v1\nkind: DataProduct\nmetadata:\n  domain: orders\n  name: facts\n  owner: team\n" +
           metadata_extra + "spec:\n" + spec_body;
}

const std::string kOutputs =
        "  outputs:\n    - name: daily\n      columns:\n        - {name: id, type: BIGINT}\n";

TEST(LoadText, DecodesEveryFieldOfAFullMesh) {
    LoadReport r = LoadText(kFull, "mesh.yaml", ".");
    ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics[0].ToString();
    ASSERT_EQ(r.batch.domains.size(), 1u);
    ASSERT_EQ(r.batch.teams.size(), 1u);
    ASSERT_EQ(r.batch.products.size(), 1u);
    EXPECT_EQ(r.batch.domains[0].domain.extensions[0].key, "x-cost-center");
    EXPECT_EQ(r.batch.teams[0].team.members[0].role, "owner");
    const model::DataProduct& p = r.batch.products[0].product;
    EXPECT_EQ(p.FullName(), "orders.order_facts");
    EXPECT_EQ(p.kind, model::ProductKind::kAggregate);
    EXPECT_EQ(p.status, model::LifecycleStatus::kDeprecated);
    EXPECT_EQ(p.inputs[0].format, model::DataFormat::kParquet);
    EXPECT_EQ(p.inputs[0].extensions[0].json, R"({"a":[1,2]})");
    EXPECT_EQ(p.inputs[1].product, "traffic.sessions");
    EXPECT_EQ(p.inputs[1].port, "daily");
    EXPECT_EQ(p.transform.trigger, model::Trigger::kUpstream);
    const model::OutputPort& o = p.outputs[0];
    EXPECT_EQ(o.format, model::DataFormat::kCsv);
    EXPECT_EQ(o.columns[0].type, "BIGINT");
    EXPECT_EQ(o.columns[1].type, "VARCHAR");
    EXPECT_EQ(o.columns[1].mask, model::Mask::kHash);
    EXPECT_EQ(o.columns[3].type, "DECIMAL(12,2)");
    EXPECT_EQ(*o.columns[3].max, 1e6);
    EXPECT_EQ(o.quality[0].max_rows, 2);
    EXPECT_EQ(o.quality[1].type, model::CheckType::kRowCount);
    EXPECT_EQ(o.quality[2].type, model::CheckType::kFreshness);
    EXPECT_EQ(o.quality[2].max_age_seconds, 2 * 86400);
    EXPECT_EQ(o.sla.freshness_seconds, 86400);
    EXPECT_EQ(r.batch.products[0].input_at[1].line, 23);
}

TEST(EncodeJson, RoundTripsEveryEntityExactly) {
    LoadReport r = LoadText(kFull, "mesh.yaml", ".");
    ASSERT_TRUE(r.ok());
    std::vector<Entity> entities = {r.batch.domains[0].domain, r.batch.teams[0].team, r.batch.products[0].product};
    for (const Entity& e : entities) {
        std::string json = EncodeJson(e);
        auto back = DecodeJson(json);
        ASSERT_TRUE(back.ok()) << back.status().ToString();
        EXPECT_TRUE(*back == e) << json;
        EXPECT_EQ(EncodeJson(*back), json);
        // YAML output reads back to the same entity too.
        LoadReport again = LoadText(JsonToYaml(json), "again.yaml", ".");
        ASSERT_TRUE(again.ok()) << again.diagnostics[0].ToString() << "\n" << JsonToYaml(json);
    }
}

TEST(JsonToYaml, QuotesStringsYamlWouldReadAsOtherTypes) {
    std::string yaml = JsonToYaml(R"({"a":"1.2","b":"true","c":"plain, text","d":"x: y","e":"null"})");
    EXPECT_EQ(yaml, "a: \"1.2\"\nb: \"true\"\nc: plain, text\nd: \"x: y\"\ne: \"null\"\n");
}

TEST(LoadText, ReportsEveryErrorAtOnceWithPositions) {
    std::string yaml = Product("  version: 1.2\n  colour: red\n",
                               "  kind: agregate\n"
                               "  descripton: x\n"
                               "  outputs:\n"
                               "    - name: Daily\n"
                               "      columns:\n"
                               "        - {name: id, type: BIGINTT, required: yes}\n"
                               "        - {name: ID, type: BIGINT}\n"
                               "      sla: {freshness: one day}\n");
    std::vector<std::string> errors = Errors(yaml);
    std::vector<std::string> expected = {
            "p.yaml:7:12: error: metadata.version: expected a string, found number 1.2 (quote it: \"1.2\")",
            "p.yaml:8:3: error: metadata.colour: unknown field; expected one of domain, name, owner, tags, version",
            "p.yaml:10:9: error: spec.kind: expected one of source-aligned, aggregate, consumer-aligned, found \"agregate\"",
            "p.yaml:13:13: error: spec.outputs[0].name: expected a lower snake case name (e.g. \"daily\"), found \"Daily\"",
            "p.yaml:15:28: error: spec.outputs[0].columns[0].type: expected a DuckDB type (BIGINT, VARCHAR, DECIMAL(p,s), TIMESTAMP, …), found \"BIGINTT\": unknown type 'BIGINTT' (did you mean BIGINT?)",
            "p.yaml:15:47: error: spec.outputs[0].columns[0].required: expected true or false, found string \"yes\"",
            "p.yaml:16:18: error: spec.outputs[0].columns[1].name: duplicate column \"ID\" (first declared at spec.outputs[0].columns[0])",
            "p.yaml:17:24: error: spec.outputs[0].sla.freshness: expected a duration such as 90s, 15m, 24h, 7d or 2w, found \"one day\"",
    };
    expected.insert(expected.begin() + 3, "p.yaml:11:3: error: spec.descripton: unknown field (did you mean \"description\"?)");
    EXPECT_EQ(errors, expected);
}

TEST(LoadText, ReportsMissingRequiredFieldsAtTheEnclosingMap) {
    std::vector<std::string> errors = Errors("apiVersion: tessera/v1\nkind: DataProduct\nmetadata:\n  domain: orders\nspec:\n  title: x\n");
    std::vector<std::string> expected = {
            "p.yaml:4:3: error: metadata.name: expected a value, found nothing (the field is required)",
            "p.yaml:4:3: error: metadata.owner: expected a value, found nothing (the field is required)",
            "p.yaml:6:3: error: spec.outputs: expected a list with at least one item, found nothing (the field is required)",
    };
    EXPECT_EQ(errors, expected);
}

TEST(LoadText, RejectsUnknownKindsAndApiVersions) {
    EXPECT_EQ(Errors("apiVersion: tessera/v2\nkind: Dataproduct\nmetadata: {name: a}\n"),
              (std::vector<std::string>{
                      "p.yaml:1:13: error: apiVersion: expected \"tessera/v1\", found \"tessera/v2\"",
                      "p.yaml:2:7: error: kind: expected one of Domain, Team, DataProduct, Policy, found \"Dataproduct\" (did you mean \"DataProduct\"?)"}));
}

TEST(LoadText, ReportsYamlSyntaxErrorsWithTheirPosition) {
    auto errors = Errors("apiVersion: tessera/v1\nkind: Domain\nmetadata: {name: [orders}\n");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].rfind("p.yaml:3:", 0), 0u) << errors[0];
    EXPECT_NE(errors[0].find("expected valid YAML"), std::string::npos);
}

// Text that is not UTF-8 would reach every JSON writer (the catalog, the API) and abort them.
TEST(LoadText, RefusesTextThatIsNotUtf8AtTheFirstBadByte) {
    auto errors = Errors("apiVersion: tessera/v1\nkind: Domain\nmetadata: {name: caf\xe9}\n");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0], "p.yaml:3:21: error: expected UTF-8 text, found the byte 0xe9 (save the file as UTF-8)");
    EXPECT_EQ(Errors("kind: Domain\nmetadata: {name: \"\xed\xa0\x80\"}\n").size(), 1u) << "a UTF-16 surrogate";
    EXPECT_EQ(Errors("kind: Domain\nmetadata: {name: \"\xc0\xaf\"}\n").size(), 1u) << "an overlong form";
}

// A 632-byte alias bomb named 387 million values; it is refused where the limit is crossed.
TEST(LoadText, RefusesAnAliasBombAndDeepNestingAtTheNodeWhereTheLimitIsCrossed) {
    std::string bomb = "kind: Domain\nspec:\n  a: &a [x,x,x,x,x,x,x,x,x]\n";
    for (char c = 'b'; c <= 'i'; ++c) {
        std::string prev(1, static_cast<char>(c - 1));
        bomb += std::string("  ") + c + ": &" + c + " [";
        for (int i = 0; i < 9; ++i) bomb += (i ? ",*" : "*") + prev;
        bomb += "]\n";
    }
    auto errors = Errors(bomb);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].rfind("p.yaml:", 0), 0u) << errors[0];
    EXPECT_NE(errors[0].find("expected at most 100000 values in a text (aliases expanded), found more"), std::string::npos)
            << errors[0];
    std::string deep = "kind: Domain\nspec: " + std::string(100, '[') + std::string(100, ']') + "\n";
    errors = Errors(deep);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("p.yaml:2:"), std::string::npos) << errors[0];
    EXPECT_NE(errors[0].find("expected at most 64 levels of nesting, found more"), std::string::npos) << errors[0];
}

TEST(LoadText, ChecksInputsAndTransform) {
    std::string yaml = Product("", "  inputs:\n"
                                   "    - {name: a, product: traffic.sessions, source: web, path: x}\n"
                                   "    - {name: b}\n"
                                   "    - {name: c, product: Traffic}\n"
                                   "    - {name: a, source: web}\n"
                                   "  transform: {sql: missing.sql, query: select 1, schedule: \"0 25 * * *\"}\n" +
                                           kOutputs);
    std::vector<std::string> expected = {
            "p.yaml:9:26: error: spec.inputs[0]: an input reads either a product or a source, found both product and source/path",
            "p.yaml:10:7: error: spec.inputs[1]: expected product: domain.product[.port] or source + path, found neither",
            "p.yaml:11:26: error: spec.inputs[2].product: expected domain.product or domain.product.port in lower snake case, found \"Traffic\"",
            "p.yaml:12:7: error: spec.inputs[3].path: expected a path (glob) for the source's files, found nothing",
            "p.yaml:12:14: error: spec.inputs[3].name: duplicate input \"a\" (first declared at spec.inputs[0])",
            "p.yaml:13:20: error: spec.transform.sql: expected a readable SQL file, found no file at missing.sql",
            "p.yaml:13:60: error: spec.transform.schedule: expected a cron expression such as \"0 * * * *\", found \"0 25 * * *\": hour field: '25' is outside 0-23",
    };
    EXPECT_EQ(Errors(yaml), expected);
}

TEST(LoadText, RequiresATransformUnlessThereIsExactlyOneInput) {
    EXPECT_TRUE(Errors(Product("", "  inputs: [{name: a, source: web, path: x.csv}]\n" + kOutputs)).empty());
    EXPECT_EQ(Errors(Product("", kOutputs)),
              (std::vector<std::string>{"p.yaml:8:3: error: spec.transform: expected sql (a file) or query, found nothing "
                                        "(only a product with exactly one input may leave out its transform)"}));
    EXPECT_EQ(Errors(Product("", "  transform: {sql: nowhere.sql}\n" + kOutputs)),
              (std::vector<std::string>{"p.yaml:8:20: error: spec.transform.sql: expected a readable SQL file, found no file at nowhere.sql"}));
}

TEST(LoadText, ChecksQualityChecks) {
    std::string yaml = Product("", "  transform: {query: select 1}\n"
                                   "  outputs:\n    - name: daily\n      columns: [{name: id, type: BIGINT}]\n"
                                   "      quality:\n"
                                   "        - {name: a, type: row_count}\n"
                                   "        - {name: b, type: freshness, column: at}\n"
                                   "        - {name: c, max_rows: -1, sql: x, severity: fatal}\n");
    std::vector<std::string> expected = {
            "p.yaml:13:11: error: spec.outputs[0].quality[0]: a row_count check needs min, max or both",
            "p.yaml:14:11: error: spec.outputs[0].quality[1].max_age: expected a value, found nothing (the field is required)",
            "p.yaml:15:31: error: spec.outputs[0].quality[2].max_rows: expected an integer >= 0, found -1",
            "p.yaml:15:53: error: spec.outputs[0].quality[2].severity: expected one of error, warning, found \"fatal\"",
    };
    EXPECT_EQ(Errors(yaml), expected);
}

TEST(LoadText, ReadsIntegersAsYaml12AndRejectsTraps) {
    std::string yaml = Product("", "  transform: {query: select 1}\n"
                                   "  outputs:\n    - name: daily\n"
                                   "      columns:\n"
                                   "        - {name: id, type: BIGINT, mask: null}\n"
                                   "      quality:\n"
                                   "        - {name: a, sql: x, max_rows: 010}\n"
                                   "        - {name: b, type: row_count, min: 0o17, max: 0x1F}\n"
                                   "      sla: {freshness: 99999999999999999999s}\n");
    LoadReport r = LoadText(yaml, "p.yaml", ".");
    std::vector<std::string> errors;
    for (const auto& d : r.diagnostics) errors.push_back(d.ToString());
    EXPECT_EQ(errors, (std::vector<std::string>{
            "p.yaml:12:42: error: spec.outputs[0].columns[0].mask: expected one of none, hash, redact, null, found a "
            "YAML null (write mask: \"null\" to replace values by NULL; a bare null means nothing)",
            "p.yaml:16:24: error: spec.outputs[0].sla.freshness: expected a duration such as 90s, 15m, 24h, 7d or 2w, "
            "found \"99999999999999999999s\""}));
    std::string fixed = yaml;
    fixed.replace(fixed.find("mask: null"), 10, "mask: \"null\"");
    fixed.replace(fixed.find("99999999999999999999s"), 21, "90s");
    r = LoadText(fixed, "p.yaml", ".");
    ASSERT_TRUE(r.ok()) << r.diagnostics[0].ToString();
    const auto& port = r.batch.products[0].product.outputs[0];
    EXPECT_EQ(port.columns[0].mask, model::Mask::kNull);
    EXPECT_EQ(port.quality[0].max_rows, 10);
    EXPECT_EQ(*port.quality[1].min, 15);
    EXPECT_EQ(*port.quality[1].max, 31);
}

TEST(LoadText, RejectsAnInputNamedLikeAnOutputPort) {
    EXPECT_EQ(Errors(Product("", "  inputs: [{name: daily, source: web, path: x.csv}]\n" + kOutputs)),
              (std::vector<std::string>{"p.yaml:8:19: error: spec.inputs[0].name: expected a name other than the output "
                                        "port's \"daily\": the transform sees the port as a table of that name"}));
}

TEST(LoadText, TakesAnInputWithAnEmptyProductForNeither) {
    EXPECT_EQ(Errors(Product("", "  inputs: [{name: a, product: \"\"}]\n" + kOutputs)),
              (std::vector<std::string>{"p.yaml:8:12: error: spec.inputs[0]: expected product: domain.product[.port] "
                                        "or source + path, found neither"}));
}

TEST(LoadPaths, ReportsAPathThatDoesNotExist) {
    LoadReport r = LoadPaths({"/nonexistent/tessera"});
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].ToString(),
              "/nonexistent/tessera: error: expected a descriptor file or folder, found nothing at this path");
}

Batch Load(const std::string& yaml) {
    LoadReport r = LoadText(yaml, "m.yaml", ".");
    EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics[0].ToString();
    return r.batch;
}

std::string Prod(const std::string& name, const std::string& inputs, const std::string& ports = "[{name: out, columns: [{name: id, type: BIGINT}]}]") {
    return "---\napiVersion: tessera/v1\nkind: DataProduct\nmetadata: {domain: d, name: " + name +
           ", owner: t}\nspec:\n  inputs: " + inputs + "\n  transform: {query: select 1}\n  outputs: " + ports + "\n";
}

const std::string kDomainAndTeam =
        "apiVersion: tessera/v1\nkind: Domain\nmetadata: {name: d}\n---\napiVersion: tessera/v1\nkind: Team\nmetadata: {name: t}\n";

std::vector<std::string> RefErrors(const Batch& b, const KnownMesh& known = {}) {
    std::vector<std::string> out;
    for (const auto& d : CheckReferences(b, known)) out.push_back(d.ToString());
    return out;
}

TEST(CheckReferences, AcceptsReferencesWithinTheBatchOrTheCatalog) {
    Batch b = Load(kDomainAndTeam + Prod("a", "[]") + Prod("b", "[{name: a, product: d.a}, {name: c, product: x.c.p2}]"));
    KnownMesh known;
    known.product_ports["x.c"] = {"p1", "p2"};
    EXPECT_TRUE(RefErrors(b, known).empty());
}

TEST(CheckReferences, ReportsMissingAndDuplicateNames) {
    Batch b = Load(kDomainAndTeam + kDomainAndTeam.substr(0, 0) +
                   "---\napiVersion: tessera/v1\nkind: Domain\nmetadata: {name: d}\nspec: {owner: nobody, parent: top}\n" +
                   "---\napiVersion: tessera/v1\nkind: DataProduct\nmetadata: {domain: e, name: a, owner: u}\n"
                   "spec:\n  inputs: [{name: i, product: d.zz}]\n  outputs: [{name: o, columns: [{name: id, type: INT}]}]\n");
    std::vector<std::string> expected = {
            "m.yaml:11:18: error: metadata.name: duplicate Domain \"d\" (also declared at m.yaml:3:18)",
            "m.yaml:12:15: error: spec.owner: expected an existing Team, found \"nobody\" which is neither in the catalog nor in this apply set",
            "m.yaml:12:31: error: spec.parent: expected an existing Domain, found \"top\" which is neither in the catalog nor in this apply set",
            "m.yaml:16:20: error: metadata.domain: expected an existing Domain, found \"e\" which is neither in the catalog nor in this apply set",
            "m.yaml:16:39: error: metadata.owner: expected an existing Team, found \"u\" which is neither in the catalog nor in this apply set",
            "m.yaml:18:31: error: spec.inputs[0].product: expected an existing DataProduct, found \"d.zz\" which is neither in the catalog nor in this apply set",
    };
    EXPECT_EQ(RefErrors(b), expected);
}

TEST(CheckReferences, ReportsMissingOrAmbiguousPorts) {
    Batch b = Load(kDomainAndTeam +
                   Prod("a", "[]", "[{name: p1, columns: [{name: id, type: INT}]}, {name: p2, columns: [{name: id, type: INT}]}]") +
                   Prod("b", "[{name: x, product: d.a}, {name: y, product: d.a.p3}]"));
    std::vector<std::string> expected = {
            "m.yaml:21:31: error: spec.inputs[0].product: expected a port, as d.a has several (p1, p2): write d.a.p1",
            "m.yaml:21:56: error: spec.inputs[1].product: expected an output port of d.a (p1, p2), found \"p3\"",
    };
    EXPECT_EQ(RefErrors(b), expected);
}

TEST(CheckReferences, ReportsACycleOnceEvenThroughTheCatalog) {
    Batch b = Load(kDomainAndTeam + Prod("a", "[{name: b, product: d.b}]") + Prod("b", "[{name: c, product: d.c}]"));
    KnownMesh known;
    known.product_ports["d.c"] = {"out"};
    known.product_inputs["d.c"] = {"d.a"};
    EXPECT_EQ(RefErrors(b, known),
              (std::vector<std::string>{"m.yaml:13:31: error: spec.inputs[0].product: expected inputs without cycles, "
                                        "found the cycle d.a -> d.b -> d.c -> d.a"}));
    // The batch's version of d.c replaces the catalog's, which breaks the cycle.
    Batch fixed = Load(kDomainAndTeam + Prod("a", "[{name: b, product: d.b}]") + Prod("b", "[{name: c, product: d.c}]") + Prod("c", "[]"));
    EXPECT_TRUE(RefErrors(fixed, known).empty());
}

TEST(NormalizeDuckDbType, PrintsTypesAsDuckDbDescribesThem) {
    std::vector<std::pair<std::string, std::string>> cases = {
            {"int", "INTEGER"}, {"text", "VARCHAR"}, {"varchar(20)", "VARCHAR"}, {"numeric", "DECIMAL(18,3)"},
            {"decimal(10)", "DECIMAL(10,0)"}, {"timestamptz", "TIMESTAMP WITH TIME ZONE"},
            {"timestamp with time zone", "TIMESTAMP WITH TIME ZONE"}, {"varchar[]", "VARCHAR[]"},
            {"int[3]", "INTEGER[3]"}, {"list(bigint)", "BIGINT[]"},
            {"struct(a int, b varchar[])", "STRUCT(a INTEGER, b VARCHAR[])"}, {"map(varchar, double)", "MAP(VARCHAR, DOUBLE)"},
    };
    for (const auto& [in, want] : cases) {
        std::string out, error;
        ASSERT_TRUE(internal::NormalizeDuckDbType(in, &out, &error)) << in << ": " << error;
        EXPECT_EQ(out, want) << in;
    }
    for (const char* bad : {"", "decimal(40,2)", "decimal(5,6)", "struct()", "map(int)", "int[", "VARCHAR VARCHAR"}) {
        std::string out, error;
        EXPECT_FALSE(internal::NormalizeDuckDbType(bad, &out, &error)) << bad;
        EXPECT_FALSE(error.empty()) << bad;
    }
}

}  // namespace
}  // namespace tessera::spec
