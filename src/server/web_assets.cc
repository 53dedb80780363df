// The web catalog (docs/web.md): the embedded bundle served at `/`. Hashed files under /assets/
// are immutable; every other GET that is not an API or operations route answers index.html, so
// the browser's own routes (/products/orders/order_facts, /access, …) work as deep links.

#include "server/internal/web_assets.h"

#include <cstdint>
#include <cstdio>
#include <string>

#include "server/internal/http_server.h"

namespace tessera::server::internal {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// FNV-1a: stable across builds and processes, so replicas serving the same binary agree on ETags.
std::string ETagOf(std::string_view body) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char ch : body) {
        h ^= ch;
        h *= 1099511628211ull;
    }
    char buf[24];
    std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
    return buf;
}

const WebFile* Find(std::string_view path) {
    for (const auto& f : WebFiles()) {
        if (f.path == path)
            return &f;
    }
    return nullptr;
}

// Paths the catalog's pages never take: the API and the operations routes answer their own 404s.
bool IsServerPath(std::string_view path) {
    return path == "/api" || StartsWith(path, "/api/") || path == "/healthz" || path == "/readyz" ||
           path == "/metrics";
}

// A bundle file name carries its content hash ("main-3FQ2KX7A.js"); favicon.svg does not.
bool IsHashed(std::string_view path) {
    auto slash = path.rfind('/');
    std::string_view name = path.substr(slash + 1);
    return name.find('-') != std::string_view::npos;
}

void Serve(const WebFile& f, bool immutable, const httplib::Request& req, httplib::Response& res) {
    std::string etag = ETagOf(f.body);
    res.set_header("ETag", etag);
    res.set_header("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    res.set_header("Content-Security-Policy", std::string(WebContentSecurityPolicy()));
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("X-Frame-Options", "DENY");
    if (req.get_header_value("If-None-Match") == etag) {
        res.status = 304;
        return;
    }
    res.status = 200;
    res.set_content(std::string(f.body), std::string(WebContentType(f.path)));
}

}  // namespace

std::string_view WebContentType(std::string_view path) {
    if (EndsWith(path, ".html"))
        return "text/html; charset=utf-8";
    if (EndsWith(path, ".js"))
        return "text/javascript; charset=utf-8";
    if (EndsWith(path, ".css"))
        return "text/css; charset=utf-8";
    if (EndsWith(path, ".svg"))
        return "image/svg+xml";
    if (EndsWith(path, ".json"))
        return "application/json";
    return "application/octet-stream";
}

std::string_view WebContentSecurityPolicy() {
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "font-src 'self'; "
           "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
}

// Registered after the API routes, so those match first; not part of Routes() (the OpenAPI test
// compares those with docs/openapi.json, and pages are not API).
void HttpServer::RegisterWebAssets() {
    http_.Get(R"(/assets/(.+))", [](const httplib::Request& req, httplib::Response& res) {
        const WebFile* f = Find(req.path);
        if (!f) {
            res.status = 404;  // the error handler writes the problem document
            return;
        }
        Serve(*f, IsHashed(req.path), req, res);
    });
    http_.Get(R"(/.*)", [](const httplib::Request& req, httplib::Response& res) {
        const WebFile* index = Find("/index.html");
        if (IsServerPath(req.path) || !index) {
            res.status = 404;
            return;
        }
        Serve(*index, false, req, res);
    });
}

}  // namespace tessera::server::internal
