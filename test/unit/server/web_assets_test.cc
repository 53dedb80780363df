// The web catalog's files as the server serves them: deep links answer index.html, hashed assets
// are immutable with ETags, every answer carries the CSP, and API paths keep their problems.

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <random>
#include <regex>

#include "server/internal/web_assets.h"
#include "server/server.h"

namespace tessera::server {
namespace {

namespace fs = std::filesystem;

class WebAssetsTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device rd;
        home_ = fs::temp_directory_path() / ("tessera-web-assets-test-" + std::to_string(rd()));
        ServerOptions o;
        o.home = home_.string();
        o.port = 0;
        o.scheduler = false;
        auto srv = Server::Create(o);
        ASSERT_TRUE(srv.ok()) << srv.status().ToString();
        server_ = std::move(srv).value();
        ASSERT_TRUE(server_->Start().ok());
    }
    void TearDown() override {
        if (server_) server_->Stop();
        fs::remove_all(home_);
    }
    httplib::Client Client() { return httplib::Client("127.0.0.1", server_->port()); }

    fs::path home_;
    std::unique_ptr<Server> server_;
};

TEST_F(WebAssetsTest, DeepLinksAnswerIndexHtmlWithAStrictContentSecurityPolicy) {
    auto c = Client();
    for (const char* path : {"/", "/products/orders/order_facts", "/access", "/login/callback"}) {
        auto r = c.Get(path);
        ASSERT_TRUE(r) << path;
        EXPECT_EQ(r->status, 200) << path;
        EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8") << path;
        EXPECT_EQ(r->get_header_value("Cache-Control"), "no-cache") << path;
        EXPECT_NE(r->body.find("<div id=\"app\">"), std::string::npos) << path;
        std::string csp = r->get_header_value("Content-Security-Policy");
        EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
        EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
        EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
    }
}

TEST_F(WebAssetsTest, HashedAssetsAreImmutableWithTheirTypeAndAnETag) {
    auto c = Client();
    auto index = c.Get("/");
    ASSERT_TRUE(index);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(index->body, m, std::regex(R"(/assets/main-[A-Z0-9]+\.js)")));
    auto js = c.Get(m.str());
    ASSERT_TRUE(js);
    EXPECT_EQ(js->status, 200);
    EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(js->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
    std::string etag = js->get_header_value("ETag");
    ASSERT_FALSE(etag.empty());
    auto again = c.Get(m.str(), {{"If-None-Match", etag}});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304);
    EXPECT_TRUE(again->body.empty());
    ASSERT_TRUE(std::regex_search(index->body, m, std::regex(R"(/assets/main-[A-Z0-9]+\.css)")));
    auto css = c.Get(m.str());
    ASSERT_TRUE(css);
    EXPECT_EQ(css->get_header_value("Content-Type"), "text/css; charset=utf-8");
    auto icon = c.Get("/assets/favicon.svg");
    ASSERT_TRUE(icon);
    EXPECT_EQ(icon->get_header_value("Content-Type"), "image/svg+xml");
    EXPECT_EQ(icon->get_header_value("Cache-Control"), "no-cache");  // not hashed: revalidated
}

TEST_F(WebAssetsTest, ApiPathsAndMissingAssetsAreProblemsNotPages) {
    auto c = Client();
    for (const char* path : {"/api/v1/no-such-route", "/api", "/assets/main-NOPE.js"}) {
        auto r = c.Get(path);
        ASSERT_TRUE(r) << path;
        EXPECT_EQ(r->status, 404) << path;
        EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json") << path;
    }
    auto health = c.Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->body, "ok\n");
}

TEST(WebFiles, EmbedsIndexAndHashedBundleAndNamesTheirTypes) {
    bool index = false, js = false, css = false;
    for (const auto& f : internal::WebFiles()) {
        index |= f.path == "/index.html";
        js |= f.path.starts_with("/assets/main-") && f.path.ends_with(".js");
        css |= f.path.starts_with("/assets/main-") && f.path.ends_with(".css");
        EXPECT_FALSE(f.body.empty()) << f.path;
    }
    EXPECT_TRUE(index && js && css);
    EXPECT_EQ(internal::WebContentType("/a/b.svg"), "image/svg+xml");
    EXPECT_EQ(internal::WebContentType("/a/b.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace tessera::server
