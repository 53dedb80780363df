// The HTTP server, tested through real HTTP on 127.0.0.1 (a free port), over a catalog holding the
// e-commerce demo mesh. Tokens and roles come from the access module, as in production.

#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <atomic>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "access/access.h"
#include "access/internal/crypto.h"
#include "catalog/catalog.h"
#include "server/server.h"
#include "spec/descriptor.h"

namespace tessera::server {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr char kProductYaml[] = R"(apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: scratch, version: 1.0.0, owner: order_management}
spec:
  title: Scratch
  description: A product the tests write, one row per order it reads.
  kind: aggregate
  inputs: [{name: lines, product: orders.order_lines}]
  transform: {query: "select order_id from lines"}
  outputs:
    - name: main
      columns:
        - {name: order_id, type: BIGINT, description: The order.}
)";

std::string ProductYaml(const std::string& name, const std::string& title) {
    std::string y = kProductYaml;
    y.replace(y.find("name: scratch"), 13, "name: " + name);
    y.replace(y.find("title: Scratch"), 14, "title: " + title);
    return y;
}

// Home, tokens and a running server, once for the whole suite (the demo mesh takes a moment).
class ServerTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        std::random_device rd;
        home_ = new fs::path(fs::temp_directory_path() / ("tessera-server-test-" + std::to_string(rd())));
        fs::create_directories(*home_);
        std::string db = (*home_ / "catalog.db").string();
        {
            auto cat = catalog::Catalog::Open(db);
            ASSERT_TRUE(cat.ok()) << cat.status().ToString();
            auto loaded = spec::LoadPaths({std::string(TESSERA_SOURCE_DIR) + "/examples/ecommerce"});
            ASSERT_TRUE(loaded.ok());
            catalog::ApplyOptions options;
            options.author = "setup";
            auto applied = (*cat)->Apply(loaded.batch, options);
            ASSERT_TRUE(applied.ok()) << applied.status().ToString();
        }
        {
            auto ac = access::AccessControl::Open(db, {});
            ASSERT_TRUE(ac.ok()) << ac.status().ToString();
            ASSERT_TRUE((*ac)->BootstrapAdmin("root").ok());
            auto root = (*ac)->LocalPrincipal("root");
            ASSERT_TRUE(root.ok());
            tokens_ = new std::map<std::string, std::string>();
            auto token = [&](const std::string& user, int64_t expires) {
                auto t = (*ac)->CreateToken(*root, user, expires, "test");
                EXPECT_TRUE(t.ok()) << t.status().ToString();
                (*tokens_)[user] = t->secret;
            };
            for (const char* u : {"root", "gov", "ann", "dev", "carl"}) token(u, 0);
            ASSERT_TRUE((*ac)->GrantRole(*root, {access::Role::kGovernance, "", "gov", "root", 0}).ok());
            ASSERT_TRUE((*ac)->GrantRole(*root, {access::Role::kOwner, "orders", "ann", "root", 0}).ok());
            ASSERT_TRUE((*ac)->GrantRole(*root, {access::Role::kDeveloper, "orders", "dev", "root", 0}).ok());
            // An expired token: created valid, then the clock passes it (1 ms of life).
            auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch()).count();
            token("late", now + 1);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        ServerOptions o;
        o.home = home_->string();
        o.port = 0;
        o.threads = 8;
        o.max_body_bytes = 64 * 1024;
        o.scheduler = false;
        auto srv = Server::Create(o);
        ASSERT_TRUE(srv.ok()) << srv.status().ToString();
        server_ = srv->release();
        ASSERT_TRUE(server_->Start().ok());
    }
    static void TearDownTestSuite() {
        if (server_) server_->Stop();
        delete server_;
        server_ = nullptr;
        std::error_code ec;
        fs::remove_all(*home_, ec);
        delete home_;
        delete tokens_;
    }

    static httplib::Headers As(const std::string& user) {
        if (user.empty()) return {};
        return {{"Authorization", "Bearer " + tokens_->at(user)}};
    }
    static httplib::Client Client() {
        httplib::Client c("127.0.0.1", server_->port());
        c.set_read_timeout(60, 0);
        return c;
    }
    // The body as JSON (a problem document for errors): fails the test when it is not JSON.
    static Json Body(const httplib::Result& r) {
        EXPECT_TRUE(r) << "no response";
        if (!r) return {};
        auto j = Json::parse(r->body, nullptr, false);
        EXPECT_FALSE(j.is_discarded()) << r->body;
        return j;
    }
    static void ExpectProblem(const httplib::Result& r, int status, const std::string& type) {
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, status) << r->body;
        EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
        Json j = Body(r);
        EXPECT_EQ(j.value("type", ""), "urn:tessera:problem:" + type) << r->body;
        EXPECT_EQ(j.value("status", 0), status);
        EXPECT_FALSE(j.value("detail", "").empty());
    }
    static int64_t Revision() {
        auto c = Client();
        auto r = c.Get("/readyz");
        return Body(r)["revision"].get<int64_t>();
    }

    static fs::path* home_;
    static std::map<std::string, std::string>* tokens_;
    static Server* server_;
};
fs::path* ServerTest::home_ = nullptr;
std::map<std::string, std::string>* ServerTest::tokens_ = nullptr;
Server* ServerTest::server_ = nullptr;

TEST_F(ServerTest, HealthReadinessAndMetricsAnswerWithoutAToken) {
    auto c = Client();
    auto h = c.Get("/healthz");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->status, 200);
    EXPECT_EQ(h->body, "ok\n");
    EXPECT_EQ(c.Get("/readyz")->status, 200);
    c.Get("/api/v1/domains", As("carl"));
    // The access log and the metrics are written once the response is sent: wait for them.
    httplib::Result m = c.Get("/metrics");
    for (int i = 0; i < 100 && m && m->body.find("route=\"/api/v1/domains\"") == std::string::npos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        m = c.Get("/metrics");
    }
    ASSERT_TRUE(m);
    EXPECT_NE(m->body.find("tessera_http_requests_total{method=\"GET\",route=\"/api/v1/domains\",status=\"200\"}"),
              std::string::npos);
    EXPECT_NE(m->body.find("tessera_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/domains\",le=\"+Inf\"}"),
              std::string::npos);
    EXPECT_NE(m->body.find("tessera_catalog_entities{kind=\"product\"} 12"), std::string::npos) << m->body;
    EXPECT_NE(m->body.find("tessera_runs_total"), std::string::npos);
    EXPECT_NE(m->body.find("tessera_quality_check_failures_total"), std::string::npos);
}

TEST_F(ServerTest, ProductReadsCarryAnETagAndAnswer304WhenUnchanged) {
    auto c = Client();
    auto r = c.Get("/api/v1/domains/orders/products/order_facts", As("carl"));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    Json j = Body(r);
    EXPECT_EQ(j["metadata"]["name"], "order_facts");
    EXPECT_EQ(r->get_header_value("ETag"), "\"" + std::to_string(j["status"]["revision"].get<int64_t>()) + "\"");
    auto headers = As("carl");
    headers.emplace("If-None-Match", r->get_header_value("ETag"));
    auto again = c.Get("/api/v1/domains/orders/products/order_facts", headers);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304);

    auto port = c.Get("/api/v1/domains/orders/products/order_facts/ports/lines", As("carl"));
    ASSERT_TRUE(port);
    EXPECT_EQ(port->status, 200) << port->body;
    EXPECT_EQ(Body(port)["urn"], "urn:tessera:orders:order_facts:lines");
}

TEST_F(ServerTest, ListsArePagedWithCursorsThatVisitEveryItemOnce) {
    auto c = Client();
    std::vector<std::string> seen;
    std::string cursor;
    int pages = 0;
    do {
        auto r = c.Get("/api/v1/products?limit=5" + (cursor.empty() ? "" : "&cursor=" + cursor), As("carl"));
        ASSERT_TRUE(r);
        ASSERT_EQ(r->status, 200) << r->body;
        Json j = Body(r);
        for (const auto& p : j["items"]) seen.push_back(p["metadata"]["domain"].get<std::string>() + "." + p["metadata"]["name"].get<std::string>());
        cursor = j["next_cursor"].is_null() ? "" : j["next_cursor"].get<std::string>();
        ++pages;
    } while (!cursor.empty() && pages < 10);
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(seen.size(), 12u);
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 12u);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    ExpectProblem(c.Get("/api/v1/products?cursor=zz", As("carl")), 400, "invalid-argument");
    ExpectProblem(c.Get("/api/v1/products?limit=0", As("carl")), 400, "invalid-argument");
}

TEST_F(ServerTest, UnknownNamesAndRoutesAreProblemsNotBare404s) {
    auto c = Client();
    auto r = c.Get("/api/v1/domains/orders/products/order_factz", As("carl"));
    ExpectProblem(r, 404, "not-found");
    EXPECT_NE(Body(r)["detail"].get<std::string>().find("did you mean \"orders.order_facts\""), std::string::npos);
    ExpectProblem(c.Get("/api/v1/nothing-here", As("carl")), 404, "route-not-found");
    ExpectProblem(c.Get("/api/v1/domains/orders/products/order_facts/ports/nope", As("carl")), 404, "not-found");
}

TEST_F(ServerTest, MissingBadAndExpiredTokensAre401AndChangeNothing) {
    auto c = Client();
    int64_t before = Revision();
    auto none = c.Get("/api/v1/domains");
    ExpectProblem(none, 401, "unauthenticated");
    EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Bearer realm=\"tessera\"");
    ExpectProblem(c.Get("/api/v1/domains", {{"Authorization", "Bearer tsr_0123456789abcdef_wrongwrongwrongwrongwrongwrongwrongwrongwro"}}),
                  401, "unauthenticated");
    ExpectProblem(c.Get("/api/v1/domains", {{"Authorization", "Basic YWxpY2U6c2VjcmV0"}}), 401, "unauthenticated");
    auto late = c.Get("/api/v1/domains", As("late"));
    ExpectProblem(late, 401, "unauthenticated");
    EXPECT_NE(Body(late)["detail"].get<std::string>().find("expired"), std::string::npos);
    // `alg: none` with no signature: refused before any key is looked at (OIDC is not even on).
    std::string none_jwt = access::internal::Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." +
                           access::internal::Base64UrlEncode(R"({"sub":"root","aud":"tessera"})") + ".";
    ExpectProblem(c.Post("/api/v1/apply", {{"Authorization", "Bearer " + none_jwt}}, ProductYaml("sneaky", "Sneaky"),
                         "application/yaml"),
                  401, "unauthenticated");
    EXPECT_EQ(Revision(), before);
}

TEST_F(ServerTest, MalformedAndOversizedBodiesAreProblemsAndChangeNothing) {
    auto c = Client();
    int64_t before = Revision();
    auto yaml = c.Post("/api/v1/apply", As("root"), "kind: [unclosed", "application/yaml");
    ExpectProblem(yaml, 400, "invalid-descriptor");
    EXPECT_EQ(Body(yaml)["diagnostics"][0]["file"], "request");
    EXPECT_GT(Body(yaml)["diagnostics"][0]["line"].get<int>(), 0);
    ExpectProblem(c.Post("/api/v1/apply", As("root"), "{\"apiVersion\": ", "application/json"), 400, "invalid-descriptor");
    auto wrong = c.Post("/api/v1/apply", As("root"), "apiVersion: tessera/v1\nkind: DataProduct\nmetadata: {domain: orders}\n",
                        "application/yaml");
    ExpectProblem(wrong, 400, "invalid-descriptor");
    EXPECT_NE(Body(wrong)["diagnostics"].dump().find("request:"), std::string::npos);
    ExpectProblem(c.Post("/api/v1/apply", As("root"), "x", "text/plain"), 400, "invalid-argument");
    ExpectProblem(c.Post("/api/v1/query", As("root"), "{not json", "application/json"), 400, "invalid-argument");
    std::string big(200 * 1024, 'x');
    auto huge = c.Post("/api/v1/apply", As("root"), big, "application/yaml");
    ExpectProblem(huge, 413, "limit-exceeded");
    EXPECT_EQ(Revision(), before);
}

TEST_F(ServerTest, ApplyDryRunPlansAndWritesNothingThenApplyWrites) {
    auto c = Client();
    int64_t before = Revision();
    auto plan = c.Post("/api/v1/apply?dry_run=true", As("ann"), ProductYaml("dry", "Dry"), "application/yaml");
    ASSERT_TRUE(plan);
    ASSERT_EQ(plan->status, 200) << plan->body;
    EXPECT_EQ(Body(plan)["summary"]["create"], 1);
    EXPECT_EQ(Revision(), before);
    ExpectProblem(c.Get("/api/v1/domains/orders/products/dry", As("ann")), 404, "not-found");

    auto applied = c.Post("/api/v1/apply?message=two+products", As("ann"),
                          ProductYaml("multi_a", "A") + "---\n" + ProductYaml("multi_b", "B"), "application/yaml");
    ASSERT_TRUE(applied);
    ASSERT_EQ(applied->status, 200) << applied->body;
    Json j = Body(applied);
    EXPECT_EQ(j["summary"]["create"], 2);
    EXPECT_TRUE(j["changed"].get<bool>());
    EXPECT_EQ(c.Get("/api/v1/domains/orders/products/multi_b", As("carl"))->status, 200);
}

// Governance through the API as in `tessera apply`: a breaking change without a major version and
// an enforced policy's error are refused with a problem listing why, and nothing is written.
TEST_F(ServerTest, ApplyRefusesABreakingChangeWithoutAMajorVersionAndChangesNothing) {
    auto c = Client();
    std::string v1 = ProductYaml("compat_probe", "Compat probe");
    auto created = c.Post("/api/v1/apply", As("ann"), v1, "application/yaml");
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 200) << created->body;
    EXPECT_FALSE(Body(created)["compatibility"]["blocked"].get<bool>());
    int64_t before = Revision();

    std::string narrowed = v1;
    narrowed.replace(narrowed.find("type: BIGINT"), 12, "type: INTEGER");
    auto plan = c.Post("/api/v1/apply?dry_run=true", As("ann"), narrowed, "application/yaml");
    ASSERT_TRUE(plan);
    ASSERT_EQ(plan->status, 200) << plan->body;
    Json p = Body(plan);
    EXPECT_TRUE(p["blocked"].get<bool>());
    EXPECT_TRUE(p["compatibility"]["blocked"].get<bool>());
    EXPECT_EQ(p["compatibility"]["products"][0]["changes"][0]["level"], "breaking") << plan->body;

    auto refused = c.Post("/api/v1/apply", As("ann"), narrowed, "application/yaml");
    ExpectProblem(refused, 409, "failed-precondition");
    Json j = Body(refused);
    EXPECT_EQ(j["detail"],
              "orders.compat_probe: 1 breaking change(s) need a major version: metadata.version 1.0.0 -> 2.0.0 "
              "or later; nothing was changed")
            << refused->body;
    EXPECT_TRUE(j["compatibility"]["blocked"].get<bool>());
    EXPECT_EQ(j["errors"].size(), 1u);
    EXPECT_EQ(Revision(), before);
    auto stored = Body(c.Get("/api/v1/domains/orders/products/compat_probe", As("ann")));
    EXPECT_EQ(stored["spec"]["outputs"][0]["columns"][0]["type"], "BIGINT");

    // With a major version the same change goes through.
    std::string major = narrowed;
    major.replace(major.find("version: 1.0.0"), 14, "version: 2.0.0");
    auto applied = c.Post("/api/v1/apply", As("ann"), major, "application/yaml");
    ASSERT_TRUE(applied);
    ASSERT_EQ(applied->status, 200) << applied->body;
    EXPECT_TRUE(Body(applied)["changed"].get<bool>());
}

TEST_F(ServerTest, ApplyRefusesAnEnforcedPolicyErrorAndChangesNothing) {
    auto c = Client();
    int64_t before = Revision();
    std::string sloppy = ProductYaml("policy_probe", "Policy probe");
    sloppy.replace(sloppy.find("description: A product"), 22, "description: Too short");
    sloppy.erase(sloppy.find(", one row per order it reads"), 28);
    auto plan = c.Post("/api/v1/apply?dry_run=true", As("ann"), sloppy, "application/yaml");
    ASSERT_TRUE(plan);
    ASSERT_EQ(plan->status, 200) << plan->body;
    EXPECT_TRUE(Body(plan)["blocked"].get<bool>());
    EXPECT_GT(Body(plan)["policies"]["summary"]["blocking"].get<int>(), 0) << plan->body;

    auto refused = c.Post("/api/v1/apply", As("ann"), sloppy, "application/yaml");
    ExpectProblem(refused, 409, "failed-precondition");
    Json j = Body(refused);
    EXPECT_EQ(j["detail"],
              "1 violation(s) of enforced policies: fix them, or ask for a waiver (tessera waiver add); nothing was "
              "changed")
            << refused->body;
    bool found = false;
    for (const auto& policy : j["policies"]["policies"]) {
        for (const auto& v : policy["violations"]) {
            if (policy["name"] == "products_described" && v["product"] == "orders.policy_probe") {
                found = v["blocking"].get<bool>();
            }
        }
    }
    EXPECT_TRUE(found) << refused->body;
    EXPECT_EQ(Revision(), before);
    ExpectProblem(c.Get("/api/v1/domains/orders/products/policy_probe", As("ann")), 404, "not-found");
}

// The single-product routes are governed as /api/v1/apply is: a breaking PUT without a major
// version and a POST that breaks an enforced policy are 409 and write nothing; a dry run shows why.
TEST_F(ServerTest, ProductPostAndPutAreReviewedByGovernance) {
    auto c = Client();
    const std::string path = "/api/v1/domains/orders/products/put_probe";
    std::string v1 = ProductYaml("put_probe", "Put probe");
    auto created = c.Put(path, As("dev"), v1, "application/yaml");
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 200) << created->body;
    int64_t before = Revision();

    std::string narrowed = v1;
    narrowed.replace(narrowed.find("type: BIGINT"), 12, "type: INTEGER");
    auto plan = c.Put(path + "?dry_run=true", As("dev"), narrowed, "application/yaml");
    ASSERT_TRUE(plan);
    ASSERT_EQ(plan->status, 200) << plan->body;
    EXPECT_TRUE(Body(plan)["blocked"].get<bool>()) << plan->body;
    auto refused = c.Put(path, As("dev"), narrowed, "application/yaml");
    ExpectProblem(refused, 409, "failed-precondition");
    EXPECT_TRUE(Body(refused)["compatibility"]["blocked"].get<bool>()) << refused->body;
    EXPECT_EQ(Revision(), before);

    std::string sloppy = ProductYaml("post_probe", "Post probe");
    sloppy.replace(sloppy.find("description: A product"), 22, "description: Too short");
    sloppy.erase(sloppy.find(", one row per order it reads"), 28);
    auto posted = c.Post("/api/v1/domains/orders/products", As("dev"), sloppy, "application/yaml");
    ExpectProblem(posted, 409, "failed-precondition");
    EXPECT_GT(Body(posted)["policies"]["summary"]["blocking"].get<int>(), 0) << posted->body;
    EXPECT_EQ(Revision(), before);
    ExpectProblem(c.Get("/api/v1/domains/orders/products/post_probe", As("ann")), 404, "not-found");
}

TEST_F(ServerTest, WritesWithAStaleIfMatchAre412AndTakenNamesAre409) {
    auto c = Client();
    auto created = c.Post("/api/v1/domains/orders/products", As("dev"), ProductYaml("etag_case", "First"), "application/yaml");
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 201) << created->body;
    std::string etag = created->get_header_value("ETag");
    ExpectProblem(c.Post("/api/v1/domains/orders/products", As("dev"), ProductYaml("etag_case", "Again"), "application/yaml"),
                  409, "already-exists");

    auto headers = As("dev");
    headers.emplace("If-Match", etag);
    auto second = c.Put("/api/v1/domains/orders/products/etag_case", headers, ProductYaml("etag_case", "Second"), "application/yaml");
    ASSERT_TRUE(second);
    ASSERT_EQ(second->status, 200) << second->body;
    EXPECT_NE(second->get_header_value("ETag"), etag);
    // The same If-Match again is stale now: nothing is written.
    auto stale = c.Put("/api/v1/domains/orders/products/etag_case", headers, ProductYaml("etag_case", "Third"), "application/yaml");
    ExpectProblem(stale, 412, "stale-revision");
    EXPECT_EQ(Body(c.Get("/api/v1/domains/orders/products/etag_case", As("dev")))["spec"]["title"], "Second");
    // A path that disagrees with the descriptor.
    ExpectProblem(c.Put("/api/v1/domains/orders/products/other", As("dev"), ProductYaml("etag_case", "X"), "application/yaml"),
                  400, "invalid-argument");
    // Apply with a stale catalog revision.
    auto apply_headers = As("dev");
    apply_headers.emplace("If-Match", "\"1\"");
    ExpectProblem(c.Post("/api/v1/apply", apply_headers, ProductYaml("etag_case", "Fourth"), "application/yaml"), 412,
                  "stale-revision");
    ExpectProblem(c.Delete("/api/v1/domains/orders/products/order_lines", As("ann")), 409, "failed-precondition");
}

// RFC 9110, section 13.1.1: `If-Match: *` matches any current representation (it was a 400).
TEST_F(ServerTest, IfMatchStarMatchesAnyCurrentRevisionAndNoMissingOne) {
    auto c = Client();
    auto star = As("dev");
    star.emplace("If-Match", "*");
    ExpectProblem(c.Put("/api/v1/domains/orders/products/star_case", star, ProductYaml("star_case", "None"), "application/yaml"),
                  412, "stale-revision");
    auto created = c.Post("/api/v1/domains/orders/products", As("dev"), ProductYaml("star_case", "First"), "application/yaml");
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 201) << created->body;
    auto put = c.Put("/api/v1/domains/orders/products/star_case", star, ProductYaml("star_case", "Second"), "application/yaml");
    ASSERT_TRUE(put);
    EXPECT_EQ(put->status, 200) << put->body;
    auto applied = c.Post("/api/v1/apply", star, ProductYaml("star_case", "Third"), "application/yaml");
    ASSERT_TRUE(applied);
    EXPECT_EQ(applied->status, 200) << applied->body;
    EXPECT_EQ(Body(c.Get("/api/v1/domains/orders/products/star_case", As("dev")))["spec"]["title"], "Third");
}

// A handler that throws, or any bytes in a request, end as a problem: the process stays up.
TEST_F(ServerTest, InvalidUtf8AnywhereIsAProblemAndTheServerStaysUp) {
    auto c = Client();
    ExpectProblem(c.Get("/api/v1/nothing/%ff"), 404, "route-not-found");
    ExpectProblem(c.Get("/api/v1/domains?limit=%ff", As("carl")), 400, "invalid-argument");
    ExpectProblem(c.Get("/api/v1/domains/%ff", As("carl")), 400, "invalid-argument");
    auto bad_if_match = As("dev");
    bad_if_match.emplace("If-Match", "\xff\xfe");
    ExpectProblem(c.Post("/api/v1/apply", bad_if_match, ProductYaml("utf8_case", "X"), "application/yaml"), 400,
                  "invalid-argument");
    auto r = c.Post("/api/v1/apply?dry_run=true", As("dev"), "kind: Domain\nmetadata: {name: caf\xe9}\n", "application/yaml");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << r->body;
    EXPECT_NE(r->body.find("request:2:21: error: expected UTF-8 text, found the byte 0xe9"), std::string::npos) << r->body;
    EXPECT_EQ(c.Get("/healthz")->status, 200);
}

TEST(ServerConfig, LoopbackIsDecidedByTheAddressesANameResolvesTo) {
    EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
    EXPECT_TRUE(IsLoopbackHost("127.1.2.3"));
    EXPECT_TRUE(IsLoopbackHost("localhost"));
    EXPECT_TRUE(IsLoopbackHost("::1"));
    EXPECT_TRUE(IsLoopbackHost("[::1]"));
    EXPECT_FALSE(IsLoopbackHost("0.0.0.0"));
    EXPECT_FALSE(IsLoopbackHost("10.1.2.3"));
    EXPECT_FALSE(IsLoopbackHost("::"));
    EXPECT_FALSE(IsLoopbackHost("127.attacker.invalid"));
    EXPECT_FALSE(IsLoopbackHost(""));
}

TEST_F(ServerTest, QueriesNeedAnIdentityAndStreamJsonLinesOrCsv) {
    auto c = Client();
    // No snapshots exist in this catalog: the product is not readable yet, which is a problem too.
    auto r = c.Post("/api/v1/query", As("root"), R"j({"sql": "select 42 as answer, 'a,b' as s", "format": "csv"})j",
                    "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->body, "answer,s\n42,\"a,b\"\n");
    auto lines = c.Post("/api/v1/query", As("root"), R"j({"sql": "select * from read_csv('/etc/passwd')", "format": "jsonl"})j",
                        "application/json");
    ASSERT_TRUE(lines);
    EXPECT_EQ(lines->status, 400) << lines->body;  // file access is refused by the sandbox
    auto ok = c.Post("/api/v1/query", As("root"), R"j({"sql": "select 1 as i union all select 2", "format": "jsonl"})j",
                     "application/json");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->body, "{\"i\":1}\n{\"i\":2}\n");
    ExpectProblem(c.Post("/api/v1/query", {}, R"j({"sql": "select 1"})j", "application/json"), 401, "unauthenticated");
    ExpectProblem(c.Post("/api/v1/query", As("root"), R"j({"sql": "drop table x"})j", "application/json"), 400,
                  "invalid-argument");
    ExpectProblem(c.Post("/api/v1/query", As("root"), R"j({"sql": "select 1", "format": "xml"})j", "application/json"), 400,
                  "invalid-argument");
}

TEST_F(ServerTest, SearchAndLineageAnswerLikeTheCli) {
    auto c = Client();
    auto s = c.Get("/api/v1/search?q=ordr&limit=3", As("carl"));
    ASSERT_TRUE(s);
    ASSERT_EQ(s->status, 200) << s->body;
    Json j = Body(s);
    EXPECT_EQ(j["corrected"], "order");
    EXPECT_LE(j["hits"].size(), 3u);
    EXPECT_TRUE(j["facets"].contains("domain"));
    ExpectProblem(c.Get("/api/v1/search?q=", As("carl")), 400, "invalid-argument");
    auto l = c.Get("/api/v1/lineage?target=marketing.customer_360&direction=upstream", As("carl"));
    ASSERT_TRUE(l);
    ASSERT_EQ(l->status, 200) << l->body;
    EXPECT_EQ(Body(l)["root"], "marketing.customer_360");
    ExpectProblem(c.Get("/api/v1/lineage?target=nope.nothing", As("carl")), 404, "not-found");
    ExpectProblem(c.Get("/api/v1/lineage?target=orders.order_facts&direction=sideways", As("carl")), 400, "invalid-argument");
    auto impact = c.Get("/api/v1/impact?target=orders.order_lines", As("carl"));
    ASSERT_TRUE(impact);
    EXPECT_EQ(impact->status, 200) << impact->body;
}

// Every role x every route x own/other domain: allowed, or 401/403, as access::Allowed says.
TEST_F(ServerTest, AuthorizationMatrixMatchesTheRoleTable) {
    auto c = Client();
    struct Cell {
        std::string method, path, body;
        bool write;  // needs write access to `domain`
        std::string domain;
    };
    auto product_body = [](const std::string& domain) {
        std::string y = ProductYaml("matrix_probe", "Probe");
        if (domain != "orders") y.replace(y.find("domain: orders"), 14, "domain: " + domain);
        y.replace(y.find("owner: order_management"), 23, "owner: " + std::string(domain == "orders" ? "order_management" : "growth_marketing"));
        return y;
    };
    std::vector<std::string> users = {"", "carl", "dev", "ann", "gov", "root"};
    for (const std::string domain : {"orders", "marketing"}) {
        std::string product = domain == "orders" ? "order_facts" : "customer_360";
        std::string base = "/api/v1/domains/" + domain + "/products/" + product;
        std::vector<Cell> cells = {
                {"GET", "/api/v1/domains", "", false, domain},
                {"GET", "/api/v1/domains/" + domain, "", false, domain},
                {"GET", "/api/v1/teams", "", false, domain},
                {"GET", "/api/v1/products", "", false, domain},
                {"GET", "/api/v1/domains/" + domain + "/products", "", false, domain},
                {"GET", base, "", false, domain},
                {"GET", base + "/ports", "", false, domain},
                {"GET", base + "/snapshots", "", false, domain},
                {"GET", base + "/runs", "", false, domain},
                {"GET", base + "/quality", "", false, domain},
                {"GET", "/api/v1/status", "", false, domain},
                {"GET", "/api/v1/search?q=order", "", false, domain},
                {"GET", "/api/v1/lineage?target=" + domain + "." + product, "", false, domain},
                {"GET", "/api/v1/impact?target=" + domain + "." + product, "", false, domain},
                {"GET", "/api/v1/me", "", false, domain},
                {"GET", "/api/v1/access-requests?domain=" + domain, "", false, domain},
                {"GET", "/api/v1/grants?product=" + domain + "." + product, "", false, domain},
                {"GET", base + "/history", "", false, domain},
                {"GET", base + "/issues?state=all", "", false, domain},
                {"GET", base + "/governance", "", false, domain},
                {"GET", "/api/v1/scorecards?scope=product&domain=" + domain, "", false, domain},
                {"GET", "/api/v1/map?domain=" + domain, "", false, domain},
                {"POST", "/api/v1/apply?dry_run=true", product_body(domain), true, domain},
                {"POST", "/api/v1/domains/" + domain + "/products?dry_run=true", product_body(domain), true, domain},
                {"PUT", "/api/v1/domains/" + domain + "/products/matrix_probe?dry_run=true", product_body(domain), true, domain},
        };
        for (const auto& user : users) {
            for (const auto& cell : cells) {
                httplib::Result r = cell.method == "GET"    ? c.Get(cell.path, As(user))
                                    : cell.method == "PUT" ? c.Put(cell.path, As(user), cell.body, "application/yaml")
                                                           : c.Post(cell.path, As(user), cell.body, "application/yaml");
                ASSERT_TRUE(r);
                std::string where = (user.empty() ? "anonymous" : user) + " " + cell.method + " " + cell.path;
                bool domain_team = (user == "ann" || user == "dev") && domain == "orders";
                int want = user.empty() ? 401 : (!cell.write || domain_team || user == "root") ? 200 : 403;
                int got = r->status == 201 ? 200 : r->status;
                EXPECT_EQ(got, want) << where << ": " << r->body;
                if (got >= 400) {
                    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json") << where;
                }
            }
        }
    }
    // Querying needs an identity; the audit log needs governance.
    ExpectProblem(c.Get("/api/v1/audit", As("carl")), 403, "permission-denied");
    EXPECT_EQ(c.Get("/api/v1/audit", As("gov"))->status, 200);
    ExpectProblem(c.Get("/api/v1/audit"), 401, "unauthenticated");
}

TEST_F(ServerTest, AuthConfigIsPublicAndMeTellsWhatTheCallerMayDo) {
    auto c = Client();
    auto config = c.Get("/api/v1/auth/config");
    ASSERT_TRUE(config);
    ASSERT_EQ(config->status, 200) << config->body;
    EXPECT_EQ(Body(config), Json::parse(R"({"anonymous_read": false, "open_mode": false, "oidc": null})"));
    ExpectProblem(c.Get("/api/v1/me"), 401, "unauthenticated");
    Json ann = Body(c.Get("/api/v1/me", As("ann")));
    EXPECT_EQ(ann["user"], "ann");
    EXPECT_EQ(ann["method"], "token");
    EXPECT_EQ(ann["can"]["approve_domains"], Json::parse(R"(["orders"])"));
    EXPECT_EQ(ann["can"]["write_domains"], Json::parse(R"(["orders"])"));
    EXPECT_FALSE(ann["can"]["read_audit"]);
    EXPECT_TRUE(ann["can"]["query"]);
    Json root = Body(c.Get("/api/v1/me", As("root")));
    EXPECT_EQ(root["can"]["approve_domains"], Json::parse(R"(["*"])"));
    Json carl = Body(c.Get("/api/v1/me", As("carl")));
    EXPECT_EQ(carl["can"]["approve_domains"], Json::array());
    EXPECT_TRUE(carl["can"]["request_access"]);
    EXPECT_TRUE(Body(c.Get("/api/v1/me", As("gov")))["can"]["read_audit"]);
}

// Request -> list -> approve or deny -> grant, with every refusal the owners and consumers can meet.
TEST_F(ServerTest, AccessRequestsAreDecidedByTheDomainTeamAndSeenByWhoMayDecideThem) {
    auto c = Client();
    auto post = [&](const std::string& path, const std::string& user, const std::string& body) {
        return c.Post(path, As(user), body, "application/json");
    };
    // Asking: a reason, a known product and column, one pending request per product.
    auto made = post("/api/v1/access-requests", "carl", R"({"product": "orders.order_facts", "reason": "weekly report"})");
    ASSERT_TRUE(made);
    ASSERT_EQ(made->status, 201) << made->body;
    Json request = Body(made);
    EXPECT_EQ(request["state"], "pending");
    EXPECT_EQ(request["user"], "carl");
    EXPECT_TRUE(request["grant_id"].is_null());
    std::string id = std::to_string(request["id"].get<int64_t>());
    ExpectProblem(post("/api/v1/access-requests", "carl", R"({"product": "orders.order_facts", "reason": "again"})"), 409,
                  "already-exists");
    ExpectProblem(post("/api/v1/access-requests", "carl", R"({"product": "orders.order_facts"})"), 400, "invalid-argument");
    ExpectProblem(post("/api/v1/access-requests", "carl", R"({"product": "orders.nothing", "reason": "x"})"), 404, "not-found");
    ExpectProblem(post("/api/v1/access-requests", "carl", R"({"product": "users.customers", "reason": "x", "columns": ["emial"]})"),
                  404, "not-found");
    ExpectProblem(post("/api/v1/access-requests", "carl", R"({"product": "users.customers", "reason": "x", "until": "2020-01-01"})"),
                  400, "invalid-argument");
    ExpectProblem(post("/api/v1/access-requests", "carl", R"({"product": "users.customers", "reason": "x", "until": "soon"})"),
                  400, "invalid-argument");
    ExpectProblem(post("/api/v1/access-requests", "carl", "not json"), 400, "invalid-argument");
    ExpectProblem(c.Post("/api/v1/access-requests", R"({"product": "orders.order_facts", "reason": "x"})", "application/json"),
                  401, "unauthenticated");

    // Listing: consumers see their own; the orders team sees the requests of orders; others' lists are refused.
    auto ids_of = [&](const std::string& user, const std::string& query) {
        std::set<int64_t> ids;
        Json page = Body(c.Get("/api/v1/access-requests" + query, As(user)));
        for (const auto& r : page["items"]) ids.insert(r["id"].get<int64_t>());
        return ids;
    };
    EXPECT_TRUE(ids_of("carl", "").count(std::stoll(id)));
    EXPECT_TRUE(ids_of("ann", "?state=pending").count(std::stoll(id)));
    EXPECT_TRUE(ids_of("dev", "?user=carl&domain=orders").count(std::stoll(id)));
    EXPECT_FALSE(ids_of("gov", "").count(std::stoll(id)));
    EXPECT_FALSE(ids_of("ann", "?state=approved").count(std::stoll(id)));
    ExpectProblem(c.Get("/api/v1/access-requests?user=ann", As("carl")), 403, "permission-denied");
    ExpectProblem(c.Get("/api/v1/access-requests?state=maybe", As("carl")), 400, "invalid-argument");
    ExpectProblem(c.Get("/api/v1/access-requests"), 401, "unauthenticated");

    // Deciding: the domain's team or an admin, once, and a denial says why.
    ExpectProblem(post("/api/v1/access-requests/" + id + "/approve", "carl", ""), 403, "permission-denied");
    ExpectProblem(post("/api/v1/access-requests/" + id + "/approve", "gov", "{}"), 403, "permission-denied");
    ExpectProblem(post("/api/v1/access-requests/" + id + "/deny", "ann", "{}"), 400, "invalid-argument");
    ExpectProblem(post("/api/v1/access-requests/abc/approve", "ann", ""), 400, "invalid-argument");
    ExpectProblem(post("/api/v1/access-requests/999999/approve", "ann", ""), 404, "not-found");
    auto approved = post("/api/v1/access-requests/" + id + "/approve", "ann", R"({"reason": "fine"})");
    ASSERT_TRUE(approved);
    ASSERT_EQ(approved->status, 200) << approved->body;
    Json decided = Body(approved);
    EXPECT_EQ(decided["state"], "approved");
    EXPECT_EQ(decided["decided_by"], "ann");
    EXPECT_EQ(decided["decision_reason"], "fine");
    ASSERT_TRUE(decided["grant_id"].is_number_integer());
    ExpectProblem(post("/api/v1/access-requests/" + id + "/approve", "ann", ""), 409, "failed-precondition");
    auto other = Body(post("/api/v1/access-requests", "carl", R"({"product": "marketing.customer_360", "reason": "x"})"));
    std::string other_id = std::to_string(other["id"].get<int64_t>());
    ExpectProblem(post("/api/v1/access-requests/" + other_id + "/deny", "ann", R"({"reason": "not mine"})"), 403,
                  "permission-denied");
    auto denied = post("/api/v1/access-requests/" + other_id + "/deny", "root", R"({"reason": "ask for fewer columns"})");
    ASSERT_TRUE(denied);
    ASSERT_EQ(denied->status, 200) << denied->body;
    EXPECT_EQ(Body(denied)["state"], "denied");
    EXPECT_TRUE(Body(denied)["grant_id"].is_null());

    // Grants: the holder's, and those of the domains the caller decides.
    Json mine = Body(c.Get("/api/v1/grants", As("carl")));
    ASSERT_EQ(mine["items"].size(), 1u) << mine.dump();
    EXPECT_EQ(mine["items"][0]["id"], decided["grant_id"]);
    EXPECT_EQ(mine["items"][0]["product"], "orders.order_facts");
    EXPECT_TRUE(mine["items"][0]["active"]);
    EXPECT_EQ(Body(c.Get("/api/v1/grants?user=carl", As("ann")))["items"].size(), 1u);
    EXPECT_EQ(Body(c.Get("/api/v1/grants?user=carl&product=users.customers", As("ann")))["items"].size(), 0u);
    EXPECT_EQ(Body(c.Get("/api/v1/grants", As("gov")))["items"].size(), 0u);
    ExpectProblem(c.Get("/api/v1/grants?user=ann", As("carl")), 403, "permission-denied");
    ExpectProblem(c.Get("/api/v1/grants?all=maybe", As("carl")), 400, "invalid-argument");

    // Revoking: the holder or the domain's team, once.
    std::string grant = std::to_string(decided["grant_id"].get<int64_t>());
    ExpectProblem(post("/api/v1/grants/" + grant + "/revoke", "gov", ""), 403, "permission-denied");
    ExpectProblem(post("/api/v1/grants/x1/revoke", "ann", ""), 400, "invalid-argument");
    ExpectProblem(post("/api/v1/grants/999999/revoke", "ann", ""), 404, "not-found");
    ExpectProblem(c.Post("/api/v1/grants/" + grant + "/revoke", "", "application/json"), 401, "unauthenticated");
    auto revoked = post("/api/v1/grants/" + grant + "/revoke", "ann", R"({"reason": "report done"})");
    ASSERT_TRUE(revoked);
    ASSERT_EQ(revoked->status, 200) << revoked->body;
    EXPECT_FALSE(Body(revoked)["active"]);
    EXPECT_EQ(Body(revoked)["revoked_by"], "ann");
    ExpectProblem(post("/api/v1/grants/" + grant + "/revoke", "carl", ""), 409, "failed-precondition");
    EXPECT_EQ(Body(c.Get("/api/v1/grants", As("carl")))["items"].size(), 0u);
    EXPECT_EQ(Body(c.Get("/api/v1/grants?all=true", As("carl")))["items"].size(), 1u);
}

// The sample reads through the query sandbox: an identity, a grant, a published snapshot.
TEST_F(ServerTest, ASampleNeedsAnIdentityAGrantAndASnapshot) {
    auto c = Client();
    std::string base = "/api/v1/domains/marketing/products/customer_360";
    ExpectProblem(c.Get(base + "/sample"), 401, "unauthenticated");
    ExpectProblem(c.Get(base + "/sample", As("carl")), 403, "permission-denied");
    ExpectProblem(c.Get(base + "/sample", As("dev")), 403, "permission-denied");  // another domain's developer
    ExpectProblem(c.Get(base + "/sample", As("root")), 409, "failed-precondition");  // nothing published here
    ExpectProblem(c.Get(base + "/sample?port=nope", As("root")), 404, "not-found");
    ExpectProblem(c.Get(base + "/sample?limit=0", As("root")), 400, "invalid-argument");
    ExpectProblem(c.Get("/api/v1/domains/marketing/products/nothing/sample", As("root")), 404, "not-found");
    // Refusals are audited like queries.
    Json audit = Body(c.Get("/api/v1/audit?action=query&user=carl", As("gov")));
    ASSERT_FALSE(audit["items"].empty()) << audit.dump();
    EXPECT_EQ(audit["items"][0]["outcome"], "denied");
}

// A product page's reads: the changelog (with ETags), issues, policy results; the mesh's scores and map.
TEST_F(ServerTest, ProductPageAndMeshReadsAnswerFromTheirModules) {
    auto c = Client();
    std::string base = "/api/v1/domains/orders/products/order_facts";
    auto history = c.Get(base + "/history", As("carl"));
    ASSERT_TRUE(history);
    ASSERT_EQ(history->status, 200) << history->body;
    Json h = Body(history);
    ASSERT_FALSE(h["items"].empty());
    EXPECT_EQ(h["items"].back()["change"], "create");
    EXPECT_EQ(h["items"].back()["author"], "setup");
    auto again = c.Get(base + "/history", {{"Authorization", "Bearer " + tokens_->at("carl")},
                                           {"If-None-Match", history->get_header_value("ETag")}});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304);
    EXPECT_EQ(Body(c.Get(base + "/issues", As("carl")))["items"], Json::array());
    ExpectProblem(c.Get(base + "/issues?state=closed", As("carl")), 400, "invalid-argument");
    Json g = Body(c.Get(base + "/governance", As("carl")));
    EXPECT_EQ(g["product"], "orders.order_facts");
    EXPECT_TRUE(g["score"]["score"].is_number());
    EXPECT_FALSE(g["policies"].empty());
    ExpectProblem(c.Get("/api/v1/domains/orders/products/nothing/governance", As("carl")), 404, "not-found");
    Json mesh = Body(c.Get("/api/v1/scorecards?scope=mesh&history=3", As("carl")));
    ASSERT_EQ(mesh["items"].size(), 1u);
    EXPECT_EQ(mesh["history"], Json::array());  // no check was recorded in this catalog
    Json domain = Body(c.Get("/api/v1/scorecards?name=orders", As("carl")));
    ASSERT_EQ(domain["items"].size(), 1u);
    EXPECT_EQ(domain["items"][0]["scope"], "domain");
    ExpectProblem(c.Get("/api/v1/scorecards?scope=team", As("carl")), 400, "invalid-argument");
    ExpectProblem(c.Get("/api/v1/scorecards?scope=product&name=orders.nothing", As("carl")), 404, "not-found");
    ExpectProblem(c.Get("/api/v1/scorecards?scope=domain&history=2", As("carl")), 400, "invalid-argument");
    Json map = Body(c.Get("/api/v1/map", As("carl")));
    EXPECT_EQ(map["domains"].size(), 5u);
    EXPECT_FALSE(map["edges"].empty());
    EXPECT_FALSE(map.contains("products"));
    Json orders = Body(c.Get("/api/v1/map?domain=orders&limit=2", As("carl")));
    EXPECT_EQ(orders["products"].size(), 2u);
    EXPECT_TRUE(orders["next_cursor"].is_string());
    ExpectProblem(c.Get("/api/v1/map?domain=nowhere", As("carl")), 404, "not-found");
    ExpectProblem(c.Get("/api/v1/map?domain=orders&cursor=zz", As("carl")), 400, "invalid-argument");
}

// The mesh's check is kept: after a write, the next reads still answer the previous check at once
// while a new one runs in the background, then the new one.
TEST_F(ServerTest, GovernanceAnswersTheNewestCheckAndRefreshesItAfterAWrite) {
    auto c = Client();
    ASSERT_EQ(c.Get("/api/v1/scorecards?scope=mesh", As("carl"))->status, 200);  // a check exists
    auto put = c.Put("/api/v1/domains/orders/products/gov_probe", As("dev"), ProductYaml("gov_probe", "Probe"),
                     "application/yaml");
    ASSERT_TRUE(put);
    ASSERT_EQ(put->status, 200) << put->body;
    Json g;
    for (int i = 0; i < 600; ++i) {  // up to a minute on a loaded machine
        g = Body(c.Get("/api/v1/domains/orders/products/gov_probe/governance", As("carl")));
        if (!g["score"].is_null()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_FALSE(g["score"].is_null()) << g.dump();
    EXPECT_EQ(g["score"]["name"], "orders.gov_probe");
    EXPECT_FALSE(g["policies"].empty());
}

// Writers and readers at once: every acknowledged write is read back, no 5xx, stale writes 412.
void Hammer(int clients, int ops, int port, const std::string& token) {
    std::atomic<int> five_xx{0}, stale{0}, written{0}, unexpected{0};
    std::vector<std::thread> threads;
    std::mutex mu;
    std::map<std::string, std::string> last_title;  // product -> the title of its last acknowledged write
    for (int t = 0; t < clients; ++t) {
        threads.emplace_back([&, t] {
            httplib::Client c("127.0.0.1", port);
            c.set_read_timeout(120, 0);
            httplib::Headers auth = {{"Authorization", "Bearer " + token}};
            std::string name = "load_" + std::to_string(t);
            std::string etag;
            for (int i = 0; i < ops; ++i) {
                httplib::Result r{nullptr, httplib::Error::Unknown};
                int kind = i % 4;
                if (i == 0) {
                    std::string title = "T" + std::to_string(t) + "v" + std::to_string(i);
                    r = c.Put("/api/v1/domains/orders/products/" + name, auth, ProductYaml(name, title), "application/yaml");
                    if (r && r->status == 200) {
                        etag = r->get_header_value("ETag");
                        std::lock_guard<std::mutex> lock(mu);
                        last_title[name] = title;
                        ++written;
                    }
                } else if (kind == 1) {  // a write with the current ETag: must succeed
                    std::string title = "T" + std::to_string(t) + "v" + std::to_string(i);
                    auto h = auth;
                    h.emplace("If-Match", etag);
                    r = c.Put("/api/v1/domains/orders/products/" + name, h, ProductYaml(name, title), "application/yaml");
                    if (r && r->status == 200) {
                        etag = r->get_header_value("ETag");
                        std::lock_guard<std::mutex> lock(mu);
                        last_title[name] = title;
                        ++written;
                    } else if (r) {
                        ++unexpected;
                    }
                } else if (kind == 2) {  // a write with a stale ETag: must be 412
                    auto h = auth;
                    h.emplace("If-Match", "\"1\"");
                    r = c.Put("/api/v1/domains/orders/products/" + name, h, ProductYaml(name, "stale"), "application/yaml");
                    if (r && r->status == 412) ++stale;
                    else if (r) ++unexpected;
                } else {
                    r = c.Get(i % 8 == 3 ? "/api/v1/products?limit=50" : "/api/v1/domains/orders/products/" + name, auth);
                    if (r && r->status != 200) ++unexpected;
                }
                if (!r || r->status >= 500) {
                    ++five_xx;
                    std::lock_guard<std::mutex> lock(mu);
                    ADD_FAILURE() << (r ? "HTTP " + std::to_string(r->status) + ": " + r->body
                                        : "no response: " + httplib::to_string(r.error()));
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(five_xx, 0);
    EXPECT_EQ(unexpected, 0);
    EXPECT_GT(stale, 0);
    // Zero lost writes: the last acknowledged title of every product is what the server holds.
    httplib::Client c("127.0.0.1", port);
    httplib::Headers auth = {{"Authorization", "Bearer " + token}};
    for (const auto& [name, title] : last_title) {
        auto r = c.Get("/api/v1/domains/orders/products/" + name, auth);
        ASSERT_TRUE(r);
        EXPECT_EQ(Json::parse(r->body)["spec"]["title"], title) << name;
    }
    EXPECT_EQ(static_cast<int>(last_title.size()), clients);
}

TEST_F(ServerTest, ConcurrentClientsLoseNoWriteAndGetNo5xx) {
    Hammer(8, 48, server_->port(), tokens_->at("dev"));  // as many clients as the server has workers
}

TEST_F(ServerTest, SlowConcurrency16ClientsX500) {
    if (!std::getenv("TESSERA_SLOW")) GTEST_SKIP() << "set TESSERA_SLOW=1 (ctest -L slow runs it)";
    Hammer(16, 500, server_->port(), tokens_->at("dev"));
}

TEST(ServerConfig, ReadsAFileAndNamesTheLineOfABadField) {
    auto dir = fs::temp_directory_path() / "tessera-server-config-test";
    fs::create_directories(dir);
    std::ofstream(dir / "good.yaml") << "listen: 127.0.0.1:9999\nthreads: 4\nallow_anonymous_read: true\n"
                                         "oidc: {issuer: https://id.example.com, audience: tessera}\n";
    ServerOptions o;
    ASSERT_TRUE(LoadConfigFile((dir / "good.yaml").string(), &o).ok());
    EXPECT_EQ(o.port, 9999);
    EXPECT_EQ(o.threads, 4);
    EXPECT_TRUE(o.allow_anonymous_read);
    EXPECT_EQ(o.oidc_audience, "tessera");
    std::ofstream(dir / "bad.yaml") << "threads: 4\nthreds: 5\n";
    Status s = LoadConfigFile((dir / "bad.yaml").string(), &o);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(s.message().substr(0, s.message().find(" unknown")), (dir / "bad.yaml").string() + ":2:1: error: threds:");
    std::ofstream(dir / "type.yaml") << "threads: many\n";
    s = LoadConfigFile((dir / "type.yaml").string(), &o);
    EXPECT_NE(s.message().find(":1:10: error: threads: expected a number, found \"many\""), std::string::npos) << s.message();
    std::ofstream(dir / "web.yaml") << "oidc: {issuer: https://id.example.com, authorization_endpoint: "
                                        "https://id.example.com/authorize, client_id: tessera-web}\n";
    ASSERT_TRUE(LoadConfigFile((dir / "web.yaml").string(), &o).ok());
    EXPECT_EQ(o.oidc_authorization_endpoint, "https://id.example.com/authorize");
    EXPECT_EQ(o.oidc_client_id, "tessera-web");
    std::ofstream(dir / "oidc.yaml") << "oidc: {issuer: x, client: y}\n";
    s = LoadConfigFile((dir / "oidc.yaml").string(), &o);
    EXPECT_NE(s.message().find(":1:19: error: oidc.client: unknown field"), std::string::npos) << s.message();
    EXPECT_EQ(LoadConfigFile((dir / "none.yaml").string(), &o).code(), StatusCode::kNotFound);
    EXPECT_EQ(ParseListen("localhost:http", &o).code(), StatusCode::kInvalidArgument);
    fs::remove_all(dir);
}

// With OIDC and an authorization endpoint configured, the browser learns how to log in.
TEST(ServerOidc, AuthConfigOffersTheBrowserLoginWithTheAudienceAsClientId) {
    auto dir = fs::temp_directory_path() / ("tessera-oidc-config-test-" + std::to_string(std::random_device()()));
    fs::create_directories(dir);
    // The P-256 public key of RFC 7515, appendix A.3.
    std::ofstream(dir / "jwks.json") << R"({"keys": [{"kty": "EC", "crv": "P-256", "kid": "k1", "use": "sig",
        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]})";
    ServerOptions o;
    o.home = dir.string();
    o.port = 0;
    o.scheduler = false;
    o.allow_anonymous_read = true;
    o.oidc_issuer = "https://id.example.com";
    o.oidc_audience = "tessera";
    o.oidc_jwks_file = (dir / "jwks.json").string();
    o.oidc_authorization_endpoint = "https://id.example.com/authorize";
    auto srv = Server::Create(o);
    ASSERT_TRUE(srv.ok()) << srv.status().ToString();
    ASSERT_TRUE((*srv)->Start().ok());
    httplib::Client c("127.0.0.1", (*srv)->port());
    auto r = c.Get("/api/v1/auth/config");
    ASSERT_TRUE(r);
    EXPECT_EQ(Json::parse(r->body), Json::parse(R"({"anonymous_read": true, "open_mode": true, "oidc": {
        "issuer": "https://id.example.com", "authorization_endpoint": "https://id.example.com/authorize",
        "client_id": "tessera", "scope": "openid"}})"));
    // Anonymous callers are who they are: no rights beyond reading.
    Json me = Json::parse(c.Get("/api/v1/me")->body);
    EXPECT_TRUE(me["anonymous"]);
    EXPECT_EQ(me["can"]["approve_domains"], Json::array());
    EXPECT_FALSE(me["can"]["query"]);
    (*srv)->Stop();
    fs::remove_all(dir);
}

std::string SignEs256(EVP_PKEY* key, const std::string& input) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key);
    size_t len = 0;
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    std::string der(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(der.data()), &len,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    der.resize(len);
    EVP_MD_CTX_free(ctx);
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(es);
    return raw;
}

// docs/access.md documents user_claim, groups_claim and leeway_seconds; the config parser refused
// them. Read from a config file, they decide who a signed JWT names and how late it may be.
TEST(ServerOidc, ConfiguredUserAndGroupsClaimsAndLeewayAreHonoured) {
    using access::internal::Base64UrlEncode;
    auto dir = fs::temp_directory_path() / ("tessera-oidc-claims-test-" + std::to_string(std::random_device()()));
    fs::create_directories(dir);
    EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    ASSERT_NE(key, nullptr);
    unsigned char point[65];
    size_t len = 0;
    EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len);
    std::string pub(reinterpret_cast<char*>(point), len);
    Json jwks = {{"keys", {{{"kty", "EC"}, {"kid", "k1"}, {"crv", "P-256"}, {"x", Base64UrlEncode(pub.substr(1, 32))},
                            {"y", Base64UrlEncode(pub.substr(33, 32))}}}}};
    std::ofstream(dir / "jwks.json") << jwks.dump();
    std::ofstream(dir / "server.yaml") << "oidc:\n  issuer: https://id.example.com\n  audience: tessera\n  jwks_file: "
                                       << (dir / "jwks.json").string()
                                       << "\n  user_claim: email\n  groups_claim: roles\n  leeway_seconds: 0\n";
    ServerOptions o;
    Status loaded = LoadConfigFile((dir / "server.yaml").string(), &o);
    ASSERT_TRUE(loaded.ok()) << loaded.ToString();
    EXPECT_EQ(o.oidc_user_claim, "email");
    EXPECT_EQ(o.oidc_groups_claim, "roles");
    EXPECT_EQ(o.oidc_leeway_seconds, 0);
    std::ofstream(dir / "bad.yaml") << "oidc: {leeway_seconds: 301}\n";
    ServerOptions refused;
    EXPECT_NE(LoadConfigFile((dir / "bad.yaml").string(), &refused).message().find("oidc.leeway_seconds: expected 0 to 300"),
              std::string::npos);
    o.home = dir.string();
    o.port = 0;
    o.scheduler = false;
    auto srv = Server::Create(o);
    ASSERT_TRUE(srv.ok()) << srv.status().ToString();
    ASSERT_TRUE((*srv)->Start().ok());
    int64_t now = std::time(nullptr);
    auto jwt = [&](const Json& claims) {
        std::string input = Base64UrlEncode(Json({{"alg", "ES256"}, {"kid", "k1"}}).dump()) + "." + Base64UrlEncode(claims.dump());
        return "Bearer " + input + "." + Base64UrlEncode(SignEs256(key, input));
    };
    Json claims = {{"iss", "https://id.example.com"}, {"aud", "tessera"}, {"sub", "opaque-id-123"},
                   {"email", "ann@example.com"}, {"roles", {"analysts"}}, {"iat", now - 5}, {"exp", now + 300}};
    httplib::Client c("127.0.0.1", (*srv)->port());
    auto me = c.Get("/api/v1/me", {{"Authorization", jwt(claims)}});
    ASSERT_TRUE(me);
    ASSERT_EQ(me->status, 200) << me->body;
    Json body = Json::parse(me->body);
    EXPECT_EQ(body["user"], "ann@example.com") << me->body;
    EXPECT_NE(me->body.find("analysts"), std::string::npos) << me->body;
    // No leeway: a token that expired a few seconds ago is refused (the default allows 60 s).
    claims["exp"] = now - 5;
    auto late = c.Get("/api/v1/me", {{"Authorization", jwt(claims)}});
    ASSERT_TRUE(late);
    EXPECT_EQ(late->status, 401) << late->body;
    (*srv)->Stop();
    EVP_PKEY_free(key);
    fs::remove_all(dir);
}

TEST(OpenApi, DocumentsEveryRegisteredRouteAndNothingElse) {
    auto dir = fs::temp_directory_path() / "tessera-openapi-test";
    ServerOptions o;
    o.home = dir.string();
    o.port = 0;
    o.scheduler = false;
    auto srv = Server::Create(o);
    ASSERT_TRUE(srv.ok()) << srv.status().ToString();
    Json doc = Json::parse(OpenApiDocument());
    EXPECT_EQ(doc["openapi"], "3.1.0");
    std::set<std::string> documented, registered;
    for (const auto& [path, item] : doc["paths"].items()) {
        for (const auto& [method, op] : item.items()) {
            if (method == "parameters") continue;
            std::string m = method;
            std::transform(m.begin(), m.end(), m.begin(), ::toupper);
            documented.insert(m + " " + path);
        }
    }
    for (const auto& r : (*srv)->Routes()) registered.insert(r.method + " " + r.path);
    for (const auto& r : registered) EXPECT_TRUE(documented.count(r)) << "not in docs/openapi.json: " << r;
    for (const auto& d : documented) EXPECT_TRUE(registered.count(d)) << "documented but not served: " << d;
    fs::remove_all(dir);
}

}  // namespace
}  // namespace tessera::server
