#pragma once

// The web catalog's files, bundled from web/ and embedded at build time
// (src/server/embed_web.cmake), and the handlers that serve them (web_assets.cc). Not for use
// outside src/server/.

#include <span>
#include <string_view>

namespace tessera::server::internal {

// One embedded file: its path from the bundle's root ("/index.html", "/assets/main-3FQ2.js").
struct WebFile {
    std::string_view path;
    std::string_view body;
};

// Every file of the bundle, sorted by path (generated).
std::span<const WebFile> WebFiles();

// The Content-Type for a path, by its extension ("application/octet-stream" when unknown).
std::string_view WebContentType(std::string_view path);

// The Content-Security-Policy sent with every page and asset: scripts and styles only from the
// server itself, no inline code, no framing.
std::string_view WebContentSecurityPolicy();

}  // namespace tessera::server::internal
