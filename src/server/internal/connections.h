#pragma once

// The connections of the HTTP server, bounded (docs/security.md, "Requests and connections").
// cpp-httplib reads a request with a timeout per recv() only and runs every connection on one
// thread of a fixed pool, so a few clients that each send a byte every few seconds hold the
// whole pool (and /healthz) forever; a body without Content-Length, or chunked, is read without
// a size limit. `BoundedServer` keeps httplib's parser and routing and replaces its connection
// loop (`process_and_close_socket`, the extension point httplib declares virtual) with one that
//   - gives a request's line and headers one total deadline and its body another (408);
//   - reads at most `max_body_bytes` of a body whatever its framing (413), and treats a request
//     without Content-Length or chunked framing as having no body (RFC 9112, section 6.3);
//   - refuses connections past `max_connections` in all (503) or `max_connections_per_client` from
//     one address (429), before reading anything;
//   - runs each connection on its own thread (up to the limit), so a slow client delays no
//     other. The work of requests is bounded by the caller (HttpServer's request slots).
//
//   BoundedServer http(limits);
//   http.set_pre_routing_handler([](auto& req, auto& res) {
//       BoundedServer::HeadersRead(/*has_body=*/…);   // the body deadline starts
//       …
//   });
//
// Thread-safe. The static functions act on the connection of the calling thread (a request's
// handlers run on it) and do nothing on other threads.

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace tessera::server::internal {

struct ConnectionLimits {
    int header_timeout_s = 10;   // request line and headers, in total
    int body_timeout_s = 60;     // the body, in total
    int read_timeout_s = 30;     // any one wait for bytes
    int write_timeout_s = 30;    // any one wait to send
    int keep_alive_timeout_s = 5;
    size_t keep_alive_max_count = 10000;
    int64_t max_body_bytes = 8 << 20;
    int max_connections = 512;            // 0: no limit
    int max_connections_per_client = 64;  // 0: no limit
};

class BoundedServer : public httplib::Server {
public:
    explicit BoundedServer(ConnectionLimits limits);

    // Why the last read of the current request failed.
    enum class ReadFailure { kNone, kDeadline, kTooLarge };

    // The request line and headers of the current request are read: its body deadline starts.
    // `has_body`: false when the request has neither Content-Length nor chunked framing (then
    // reading its body gives nothing).
    static void HeadersRead(bool has_body);
    // The body is read: no read deadline while the handler runs.
    static void BodyRead();
    // Close the connection after the current response (its body was left unread).
    static void CloseAfterResponse();
    static ReadFailure LastReadFailure();
    // When the first byte of the current request was awaited (for the access log).
    static std::chrono::steady_clock::time_point RequestStarted();

    // Connections open now (for metrics and tests).
    int open_connections() const;

private:
    bool process_and_close_socket(socket_t sock) override;
    // 0 when admitted (and counted), else the HTTP status to refuse with (429 or 503).
    int Admit(const std::string& client);
    void Release(const std::string& client);

    ConnectionLimits limits_;
    mutable std::mutex mu_;
    int open_ = 0;                              // guarded by mu_
    std::map<std::string, int> per_client_;     // guarded by mu_
};

}  // namespace tessera::server::internal
