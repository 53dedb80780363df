#include "server/server.h"

#include <yaml-cpp/yaml.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <regex>

#include "common/logging.h"
#include "common/text.h"
#include "engine/runner.h"
#include "server/internal/http_server.h"
#include "server/internal/problem.h"

namespace tessera::server {
namespace internal {
namespace {

// What the access log and the metrics need of the request being answered on this thread.
thread_local std::chrono::steady_clock::time_point t_start;
thread_local std::string t_route;
thread_local std::string t_user;

double SecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string NowIso() {
    auto now = std::chrono::system_clock::now();
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
    return buf;
}

// "/api/v1/domains/{domain}" -> "/api/v1/domains/([^/]+)"
std::string PatternOf(const std::string& path) {
    static const std::regex param(R"(\{[a-z_]+\})");
    std::string escaped = std::regex_replace(path, std::regex(R"([.])"), "\\.");
    return std::regex_replace(escaped, param, "([^/]+)");
}

}  // namespace

void ReplyJson(httplib::Response& res, const nlohmann::ordered_json& j, int status) {
    res.status = status;
    res.set_content(JsonText(j), "application/json");
}

void ReplyProblem(httplib::Response& res, const Status& s, const std::string& instance) {
    auto j = ProblemJson(s, instance);
    res.status = j["status"].get<int>();
    if (s.code() == StatusCode::kUnauthenticated) res.set_header("WWW-Authenticate", "Bearer realm=\"tessera\"");
    if (s.code() == StatusCode::kUnavailable) res.set_header("Retry-After", "1");
    res.set_content(JsonText(j), "application/problem+json");
}

namespace {

// The caller authenticated before the body was read (PreRoute), for Dispatch.
thread_local std::optional<access::Principal> t_caller;

void ReplyHttpProblem(httplib::Response& res, int status, std::string_view slug, std::string_view title,
                      const std::string& detail, const std::string& instance) {
    res.status = status;
    res.set_content(JsonText(HttpProblem(status, slug, title, detail, instance)), "application/problem+json");
}

// The first path parameter or query parameter that is not UTF-8, as a refusal.
Status CheckUtf8(const httplib::Request& req, const std::vector<std::string>& params) {
    for (const auto& p : params) {
        if (text::FirstInvalidUtf8(p) != std::string_view::npos) {
            return InvalidArgument("path: a segment is not valid UTF-8 (percent-encode UTF-8 text only)");
        }
    }
    for (const auto& [key, value] : req.params) {
        if (text::FirstInvalidUtf8(key) != std::string_view::npos ||
            text::FirstInvalidUtf8(value) != std::string_view::npos) {
            return InvalidArgument("query: the parameter " +
                                   (text::FirstInvalidUtf8(key) == std::string_view::npos ? key : std::string("name")) +
                                   " is not valid UTF-8 (percent-encode UTF-8 text only)");
        }
    }
    return Status::Ok();
}

ConnectionLimits LimitsOf(const ServerOptions& o) {
    ConnectionLimits l;
    l.header_timeout_s = std::max(1, o.header_timeout_s);
    l.body_timeout_s = std::max(1, o.body_timeout_s);
    l.read_timeout_s = std::max(1, o.read_timeout_s);
    l.write_timeout_s = std::max(1, o.write_timeout_s);
    l.keep_alive_timeout_s = 5;
    // A connection keeps its thread while alive; without this, clients reconnect every 5 requests.
    l.keep_alive_max_count = 10000;
    l.max_body_bytes = o.max_body_bytes;
    l.max_connections = o.max_connections;
    l.max_connections_per_client = o.max_connections_per_client;
    return l;
}

}  // namespace

HttpServer::HttpServer(ServerOptions options, std::unique_ptr<access::AccessControl> access)
    : options_(std::move(options)),
      access_(std::move(access)),
      pool_(options_.home + "/catalog.db"),
      http_(LimitsOf(options_)),
      request_slots_(std::max(1, options_.threads)) {
    // Small answers would otherwise wait for Nagle's timer.
    http_.set_tcp_nodelay(true);
    http_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        t_start = BoundedServer::RequestStarted();
        t_route = "unmatched";
        t_user.clear();
        t_caller.reset();
        return PreRoute(req, res);
    });
    // Errors the HTTP layer raises itself (unknown route, body too large or late, bad request
    // line) get a problem document too; responses that already carry one are left alone.
    http_.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty() || res.content_length_ > 0) return httplib::Server::HandlerResponse::Unhandled;
        nlohmann::ordered_json j;
        auto failure = BoundedServer::LastReadFailure();
        if (t_route.empty() || res.status == 400 || failure != BoundedServer::ReadFailure::kNone) {
            t_start = BoundedServer::RequestStarted();  // pre-routing may not have run
            t_route = "unmatched";
        }
        if (failure == BoundedServer::ReadFailure::kDeadline) res.status = 408;
        if (failure == BoundedServer::ReadFailure::kTooLarge) res.status = 413;
        switch (res.status) {
            case 404: j = HttpProblem(404, "route-not-found", "No such route", "no route answers " + req.method + " " + req.path + " (see /api/v1/openapi.json)", req.path); break;
            case 408: j = HttpProblem(408, "request-timeout", "Request timeout", "the request did not arrive in time (header_timeout_s, body_timeout_s); the connection is closed", req.path); break;
            case 413: j = HttpProblem(413, "limit-exceeded", "Limit exceeded", "the request body is larger than the server accepts (max_body_bytes)", req.path); break;
            case 414: j = HttpProblem(414, "limit-exceeded", "Limit exceeded", "the request line is too long", req.path); break;
            default: j = HttpProblem(res.status, "bad-request", "Bad request", "the request could not be read as HTTP", req.path); break;
        }
        if (failure != BoundedServer::ReadFailure::kNone) res.set_header("Connection", "close");
        res.set_content(JsonText(j), "application/problem+json");
        return httplib::Server::HandlerResponse::Handled;
    }));
    // Exceptions outside a handler (Dispatch catches its own) still end as a problem; writing it
    // cannot throw again (JsonText).
    http_.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
            std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        TESSERA_LOG(kError) << "request " << req.method << " " << JsonText(req.path, -1) << " failed: " << what;
        ReplyProblem(res, Internal(what), req.path);
    });
    // The access log: one JSON line per request (through the logging module, level info).
    http_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        double seconds = SecondsSince(t_start);
        metrics_.ObserveRequest(req.method, t_route, res.status, seconds);
        if (log::GetLevel() > log::Level::kInfo) return;
        nlohmann::ordered_json line;
        line["time"] = NowIso();
        line["method"] = req.method;
        line["path"] = req.path;
        line["route"] = t_route;
        line["status"] = res.status;
        line["ms"] = std::round(seconds * 100000) / 100;
        line["user"] = t_user;
        line["remote"] = req.remote_addr;
        line["bytes_in"] = req.body.size();
        line["bytes_out"] = res.body.size();
        TESSERA_LOG(kInfo) << "access " << JsonText(line, -1);
    });
    RegisterRoutes();
    RegisterWebAssets();
}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Route(const std::string& method, const std::string& path, Auth auth, Handler handler) {
    routes_.push_back({method, path});
    auto fn = [this, method, path, auth, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
        Dispatch(method, path, auth, handler, req, res);
    };
    std::string pattern = PatternOf(path);
    if (method == "GET") http_.Get(pattern, fn);
    else if (method == "POST") http_.Post(pattern, fn);
    else if (method == "PUT") http_.Put(pattern, fn);
    else if (method == "DELETE") http_.Delete(pattern, fn);
}

httplib::Server::HandlerResponse HttpServer::PreRoute(const httplib::Request& req, httplib::Response& res) {
    using HR = httplib::Server::HandlerResponse;
    bool chunked = req.has_header("Transfer-Encoding");
    std::string length_text = req.get_header_value("Content-Length");
    int64_t length = 0;
    bool bad_length = false;
    if (!length_text.empty()) {
        char* end = nullptr;
        errno = 0;
        long long n = std::strtoll(length_text.c_str(), &end, 10);
        bad_length = *end != '\0' || n < 0 || errno == ERANGE || length_text.find_first_not_of("0123456789") != std::string::npos;
        length = bad_length ? 0 : static_cast<int64_t>(n);
    }
    BoundedServer::HeadersRead(chunked || length > 0);
    // What is refused here leaves the body unread: the connection closes after the answer.
    auto refuse = [&](int status, std::string_view slug, std::string_view title, const std::string& detail) {
        ReplyHttpProblem(res, status, slug, title, detail, req.path);
        res.set_header("Connection", "close");
        BoundedServer::CloseAfterResponse();
        return HR::Handled;
    };
    std::string encoding = req.get_header_value("Content-Encoding");
    if (!encoding.empty() && encoding != "identity") {
        return refuse(415, "unsupported-media-type", "Unsupported media type",
                      "Content-Encoding: the server reads request bodies as sent (identity), found \"" + encoding + "\"");
    }
    if (bad_length || (chunked && !length_text.empty())) {
        return refuse(400, "bad-request", "Bad request", "Content-Length: expected one whole number of bytes");
    }
    if (length > options_.max_body_bytes) {
        return refuse(413, "limit-exceeded", "Limit exceeded",
                      "the request body has " + std::to_string(length) + " bytes; the server accepts at most " +
                              std::to_string(options_.max_body_bytes) + " (max_body_bytes)");
    }
    if (chunked || length > 0) {
        // Who sends a body is known before it is read.
        auto who = AuthenticateOrReply(req, res);
        if (!who) {
            res.set_header("Connection", "close");
            BoundedServer::CloseAfterResponse();
            return HR::Handled;
        }
        t_caller = std::move(who);
    }
    return HR::Unhandled;
}

void HttpServer::Dispatch(const std::string& method, const std::string& path, Auth auth, const Handler& handler,
                          const httplib::Request& req, httplib::Response& res) {
    (void)method;
    BoundedServer::BodyRead();
    t_route = path;
    Call call{req, res, {}, {}, path};
    for (size_t i = 1; i < req.matches.size(); ++i) call.params.push_back(httplib::detail::decode_url(req.matches[i].str(), false));
    if (Status utf8 = CheckUtf8(req, call.params); !utf8.ok()) {
        ReplyProblem(res, utf8, req.path);
        return;
    }
    if (auth == Auth::kCaller) {
        std::optional<access::Principal> who = t_caller ? std::move(t_caller) : AuthenticateOrReply(req, res);
        t_caller.reset();
        if (!who) return;
        call.who = std::move(*who);
        t_user = call.who.user;
    }
    // Health checks and the other public routes answer at once; the rest wait for a slot.
    struct Slot {
        std::counting_semaphore<>* slots;
        ~Slot() {
            if (slots) slots->release();
        }
    } slot{nullptr};
    if (auth == Auth::kCaller) {
        request_slots_.acquire();
        slot.slots = &request_slots_;
    }
    // The one place where a handler's exception becomes a problem: no input ends the process.
    Status s;
    try {
        s = handler(call);
    } catch (const std::exception& e) {
        s = Internal(std::string("uncaught exception: ") + e.what());
    } catch (...) {
        s = Internal("uncaught exception of an unknown type");
    }
    if (!s.ok()) {
        if (s.code() == StatusCode::kInternal) {
            TESSERA_LOG(kError) << req.method << " " << JsonText(req.path, -1) << ": " << s.ToString();
        }
        ReplyProblem(res, s, req.path);
    }
}

std::optional<access::Principal> HttpServer::AuthenticateOrReply(const httplib::Request& req, httplib::Response& res) {
    std::string header = req.get_header_value("Authorization");
    auto now = std::chrono::steady_clock::now();
    if (!header.empty()) {
        std::lock_guard<std::mutex> lock(auth_mu_);
        auto it = auth_cache_.find(header);
        if (it != auth_cache_.end() && it->second.until > now) return it->second.who;
    }
    if (int64_t wait = access_->LoginRetryAfter(req.remote_addr); wait > 0) {
        ReplyHttpProblem(res, 429, "rate-limited", "Too many requests",
                         "too many failed logins from " + req.remote_addr + "; retry in " + std::to_string(wait) + " s",
                         req.path);
        res.set_header("Retry-After", std::to_string(wait));
        return std::nullopt;
    }
    auto who = access_->Authenticate(header, req.remote_addr);
    if (!who.ok()) {
        ReplyProblem(res, who.status(), req.path);
        return std::nullopt;
    }
    if (!header.empty()) {
        std::lock_guard<std::mutex> lock(auth_mu_);
        if (auth_cache_.size() > 10000) auth_cache_.clear();  // bounded: callers are few, tokens fewer
        auth_cache_[header] = {*who, now + std::chrono::seconds(1)};
    }
    return std::move(who).value();
}

bool HttpServer::CachedRead(const std::string& path, int64_t revision, CachedBody* out) {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = read_cache_.find(path);
    if (it == read_cache_.end() || it->second.revision != revision) return false;
    *out = it->second;
    return true;
}

void HttpServer::CacheRead(const std::string& path, CachedBody body) {
    std::lock_guard<std::mutex> lock(cache_mu_);
    if (read_cache_.size() > 10000) read_cache_.clear();
    read_cache_[path] = std::move(body);
}

Status HttpServer::Start() {
    std::error_code ec;
    std::filesystem::create_directories(options_.home, ec);
    {
        auto probe = pool_.Acquire();  // creates and migrates the catalog before the first request
        if (!probe.ok()) return probe.status();
    }
    if (options_.port == 0) {
        port_ = http_.bind_to_any_port(options_.host);
        if (port_ <= 0) return Unavailable("cannot listen on " + options_.host + ": no free port");
    } else {
        if (!http_.bind_to_port(options_.host, options_.port)) {
            return Unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                               ": the address is in use or not local (choose another with --listen)");
        }
        port_ = options_.port;
    }
    listener_ = std::thread([this] { http_.listen_after_bind(); });
    // A stop before the listener runs would be lost (it would then listen forever): wait for it.
    for (int i = 0; i < 5000 && !http_.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (options_.scheduler) {
        std::packaged_task<void()> task([this] { SchedulerLoop(); });
        scheduler_done_ = task.get_future();
        scheduler_ = std::thread(std::move(task));
    }
    TESSERA_LOG(kInfo) << "serving " << options_.home << " on http://" << options_.host << ":" << port_;
    return Status::Ok();
}

void HttpServer::Wait() {
    while (!stopping_) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::lock_guard<std::mutex> lock(stop_mu_);  // until Stop has finished
}

bool HttpServer::Stop() {
    std::lock_guard<std::mutex> lock(stop_mu_);
    if (stopped_) return stop_result_;
    stopping_ = true;
    // Stop accepting; the thread pool finishes the requests it has before listen returns.
    http_.stop();
    if (listener_.joinable()) listener_.join();
    {
        std::lock_guard<std::mutex> s(sched_mu_);
        sched_nudged_ = true;
    }
    sched_cv_.notify_all();
    if (scheduler_.joinable()) {
        if (scheduler_done_.wait_for(std::chrono::seconds(options_.shutdown_grace_s)) == std::future_status::ready) {
            scheduler_.join();
        } else {
            TESSERA_LOG(kWarn) << "a build still runs after " << options_.shutdown_grace_s
                               << " s: abandoning it (the next run records it as failed; the previous snapshot stays current)";
            scheduler_.detach();
            stop_result_ = false;
        }
    }
    stopped_ = true;
    TESSERA_LOG(kInfo) << "stopped serving " << options_.home;
    return stop_result_;
}

void HttpServer::NudgeScheduler() {
    {
        std::lock_guard<std::mutex> s(sched_mu_);
        sched_nudged_ = true;
    }
    sched_cv_.notify_all();
}

engine::EngineOptions HttpServer::BuildOptions() const {
    engine::EngineOptions o;
    o.data_dir = options_.home + "/data";
    o.home = options_.home;
    o.threads = options_.build_threads;
    o.memory_limit = options_.build_memory_limit;
    o.timeout_s = options_.build_timeout_s;
    o.source_root = options_.build_source_root.empty() ? options_.home + "/sources" : options_.build_source_root;
    return o;
}

void HttpServer::SchedulerLoop() {
    auto cat = catalog::Catalog::Open(pool_.path());
    if (!cat.ok()) {
        TESSERA_LOG(kError) << "scheduler: " << cat.status().ToString();
        return;
    }
    engine::Runner runner(**cat, BuildOptions());
    while (!stopping_) {
        auto due = runner.Due(std::time(nullptr));
        if (!due.ok()) {
            TESSERA_LOG(kWarn) << "scheduler: " << due.status().ToString();
        } else if (!due->empty()) {
            engine::RunRequest request;
            request.due = true;
            request.author = "scheduler";
            auto outcomes = runner.Run(request);
            if (!outcomes.ok()) {
                TESSERA_LOG(kWarn) << "scheduler: " << outcomes.status().ToString();
            } else {
                for (const auto& o : *outcomes) {
                    metrics_.CountRun(o.status);
                    int64_t failed = 0;
                    for (const auto& c : o.checks) failed += c.status == "failed" || c.status == "error";
                    metrics_.CountQualityFailures(failed);
                    TESSERA_LOG(kInfo) << "scheduler: " << o.product << " " << o.status
                                       << (o.error.empty() ? "" : ": " + o.error);
                }
            }
            continue;  // what just published may make upstream-triggered products due
        }
        std::unique_lock<std::mutex> lock(sched_mu_);
        sched_cv_.wait_for(lock, std::chrono::seconds(std::max(1, options_.scheduler_interval_s)),
                           [this] { return sched_nudged_ || stopping_.load(); });
        sched_nudged_ = false;
    }
}

}  // namespace internal

bool IsLoopbackHost(const std::string& host) {
    std::string h = host.size() >= 2 && host.front() == '[' && host.back() == ']' ? host.substr(1, host.size() - 2) : host;
    if (h.empty()) return false;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(h.c_str(), nullptr, &hints, &found) != 0 || !found) return false;
    bool loopback = true;
    for (addrinfo* a = found; a; a = a->ai_next) {
        if (a->ai_family == AF_INET) {
            uint32_t ip = ntohl(reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr.s_addr);
            loopback = loopback && (ip >> 24) == 127;
        } else if (a->ai_family == AF_INET6) {
            const in6_addr& ip = reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr;
            bool mapped_loopback = IN6_IS_ADDR_V4MAPPED(&ip) && ip.s6_addr[12] == 127;
            loopback = loopback && (IN6_IS_ADDR_LOOPBACK(&ip) || mapped_loopback);
        } else {
            loopback = false;
        }
    }
    ::freeaddrinfo(found);
    return loopback;
}

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& options) {
    std::error_code ec;
    std::filesystem::create_directories(options.home, ec);
    if (ec) return Unavailable("cannot create the Tessera home " + options.home + ": " + ec.message());
    access::AccessConfig config;
    config.allow_anonymous_read = options.allow_anonymous_read;
    config.oidc.issuer = options.oidc_issuer;
    config.oidc.audience = options.oidc_audience;
    config.oidc.jwks_file = options.oidc_jwks_file;
    config.oidc.user_claim = options.oidc_user_claim;
    config.oidc.groups_claim = options.oidc_groups_claim;
    config.oidc.leeway_seconds = options.oidc_leeway_seconds;
    config.max_failed_logins = options.max_failed_logins;
    TESSERA_ASSIGN_OR_RETURN(auto ac, access::AccessControl::Open(options.home + "/catalog.db", config));
    TESSERA_ASSIGN_OR_RETURN(bool secured, ac->Secured());
    if (!secured) {
        std::string why = "access control of " + options.home +
                          " is open (no admin bound): every caller with a token may do everything";
        if (!IsLoopbackHost(options.host) && !options.allow_open) {
            return FailedPrecondition(why + "; " + options.host +
                                      " is not (or does not resolve only to) a loopback address: bind the first admin "
                                      "with `tessera role grant USER admin` before serving on it, or pass --allow-open "
                                      "(allow_open: true)");
        }
        TESSERA_LOG(kWarn) << why << "; bind the first admin with `tessera role grant USER admin`";
    }
    return std::unique_ptr<Server>(new internal::HttpServer(options, std::move(ac)));
}

Status ParseListen(const std::string& listen, ServerOptions* options) {
    std::string host = options->host, port = listen;
    auto colon = listen.rfind(':');
    if (colon != std::string::npos) {
        host = listen.substr(0, colon);
        port = listen.substr(colon + 1);
        if (host.empty()) host = "127.0.0.1";
    }
    char* end = nullptr;
    long p = std::strtol(port.c_str(), &end, 10);
    if (port.empty() || *end != '\0' || p < 0 || p > 65535) {
        return InvalidArgument("--listen: expected HOST:PORT such as 127.0.0.1:8080, found \"" + listen + "\"");
    }
    options->host = host;
    options->port = static_cast<int>(p);
    return Status::Ok();
}

Status LoadConfigFile(const std::string& path, ServerOptions* options) {
    if (!std::filesystem::exists(path)) return NotFound("no server config file at " + path);
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::Exception& e) {
        return InvalidArgument(path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                               ": error: expected valid YAML, found a syntax error: " + e.msg);
    }
    if (!root.IsMap()) return InvalidArgument(path + ":1:1: error: expected a mapping of settings");
    auto at = [&](const YAML::Node& n, const std::string& field, const std::string& what) {
        return InvalidArgument(path + ":" + std::to_string(n.Mark().line + 1) + ":" + std::to_string(n.Mark().column + 1) +
                               ": error: " + field + ": " + what);
    };
    auto as_int = [&](const YAML::Node& n, const std::string& field, int64_t* out) -> Status {
        try {
            *out = n.as<int64_t>();
            if (*out < 0) return at(n, field, "expected a number >= 0, found " + n.as<std::string>());
            return Status::Ok();
        } catch (const YAML::Exception&) {
            return at(n, field, "expected a number, found \"" + (n.IsScalar() ? n.as<std::string>() : "a " + std::string(n.IsMap() ? "mapping" : "list")) + "\"");
        }
    };
    auto as_bool = [&](const YAML::Node& n, const std::string& field, bool* out) -> Status {
        try {
            *out = n.as<bool>();
            return Status::Ok();
        } catch (const YAML::Exception&) {
            return at(n, field, "expected true or false");
        }
    };
    auto as_string = [&](const YAML::Node& n, const std::string& field, std::string* out) -> Status {
        if (!n.IsScalar()) return at(n, field, "expected a string");
        *out = n.as<std::string>();
        return Status::Ok();
    };
    for (const auto& kv : root) {
        std::string key = kv.first.as<std::string>();
        const YAML::Node& v = kv.second;
        int64_t n = 0;
        if (key == "listen") {
            std::string s;
            TESSERA_RETURN_IF_ERROR(as_string(v, key, &s));
            Status st = ParseListen(s, options);
            if (!st.ok()) return at(v, key, "expected HOST:PORT such as 127.0.0.1:8080, found \"" + s + "\"");
        } else if (key == "catalog") {
            TESSERA_RETURN_IF_ERROR(as_string(v, key, &options->home));
        } else if (key == "threads") {
            TESSERA_RETURN_IF_ERROR(as_int(v, key, &n));
            options->threads = static_cast<int>(n);
        } else if (key == "max_body_bytes") {
            TESSERA_RETURN_IF_ERROR(as_int(v, key, &options->max_body_bytes));
        } else if (key == "read_timeout_s") {
            TESSERA_RETURN_IF_ERROR(as_int(v, key, &n));
            options->read_timeout_s = static_cast<int>(n);
        } else if (key == "write_timeout_s") {
            TESSERA_RETURN_IF_ERROR(as_int(v, key, &n));
            options->write_timeout_s = static_cast<int>(n);
        } else if (key == "header_timeout_s" || key == "body_timeout_s" || key == "max_connections" ||
                   key == "max_connections_per_client") {
            TESSERA_RETURN_IF_ERROR(as_int(v, key, &n));
            if (n > 1000000) return at(v, key, "expected a number up to 1000000, found " + std::to_string(n));
            int* dest = key == "header_timeout_s" ? &options->header_timeout_s
                        : key == "body_timeout_s" ? &options->body_timeout_s
                        : key == "max_connections" ? &options->max_connections
                                                   : &options->max_connections_per_client;
            *dest = static_cast<int>(n);
        } else if (key == "max_failed_logins") {
            TESSERA_RETURN_IF_ERROR(as_int(v, key, &options->max_failed_logins));
        } else if (key == "query_timeout_ms") {
            TESSERA_RETURN_IF_ERROR(as_int(v, key, &options->query_timeout_ms));
        } else if (key == "query_max_rows") {
            TESSERA_RETURN_IF_ERROR(as_int(v, key, &options->query_max_rows));
        } else if (key == "query_threads") {
            TESSERA_RETURN_IF_ERROR(as_int(v, key, &n));
            options->query_threads = static_cast<int>(n);
        } else if (key == "query_memory_limit") {
            TESSERA_RETURN_IF_ERROR(as_string(v, key, &options->query_memory_limit));
        } else if (key == "query_max_result_bytes") {
            TESSERA_RETURN_IF_ERROR(as_int(v, key, &options->query_max_result_bytes));
        } else if (key == "allow_anonymous_read") {
            TESSERA_RETURN_IF_ERROR(as_bool(v, key, &options->allow_anonymous_read));
        } else if (key == "allow_open") {
            TESSERA_RETURN_IF_ERROR(as_bool(v, key, &options->allow_open));
        } else if (key == "scheduler") {
            TESSERA_RETURN_IF_ERROR(as_bool(v, key, &options->scheduler));
        } else if (key == "scheduler_interval_s") {
            TESSERA_RETURN_IF_ERROR(as_int(v, key, &n));
            options->scheduler_interval_s = static_cast<int>(n);
        } else if (key == "shutdown_grace_s") {
            TESSERA_RETURN_IF_ERROR(as_int(v, key, &n));
            options->shutdown_grace_s = static_cast<int>(n);
        } else if (key == "build_threads") {
            TESSERA_RETURN_IF_ERROR(as_int(v, key, &n));
            options->build_threads = static_cast<int>(n);
        } else if (key == "build_memory_limit") {
            TESSERA_RETURN_IF_ERROR(as_string(v, key, &options->build_memory_limit));
        } else if (key == "build_timeout_s") {
            TESSERA_RETURN_IF_ERROR(as_int(v, key, &options->build_timeout_s));
        } else if (key == "build_source_root") {
            TESSERA_RETURN_IF_ERROR(as_string(v, key, &options->build_source_root));
        } else if (key == "oidc") {
            static constexpr const char* kOidcFields =
                    "issuer, audience, jwks_file, authorization_endpoint, client_id, user_claim, groups_claim or "
                    "leeway_seconds";
            if (!v.IsMap()) return at(v, key, std::string("expected a mapping with ") + kOidcFields);
            for (const auto& o : v) {
                std::string k = o.first.as<std::string>();
                if (k == "leeway_seconds") {
                    TESSERA_RETURN_IF_ERROR(as_int(o.second, "oidc." + k, &options->oidc_leeway_seconds));
                    if (options->oidc_leeway_seconds > 300) {
                        return at(o.second, "oidc." + k,
                                  "expected 0 to 300 seconds, found " + std::to_string(options->oidc_leeway_seconds));
                    }
                    continue;
                }
                std::string* dest = k == "issuer" ? &options->oidc_issuer
                                    : k == "audience" ? &options->oidc_audience
                                    : k == "jwks_file" ? &options->oidc_jwks_file
                                    : k == "authorization_endpoint" ? &options->oidc_authorization_endpoint
                                    : k == "client_id" ? &options->oidc_client_id
                                    : k == "user_claim" ? &options->oidc_user_claim
                                    : k == "groups_claim" ? &options->oidc_groups_claim
                                                          : nullptr;
                if (!dest) return at(o.first, "oidc." + k, std::string("unknown field; expected ") + kOidcFields);
                TESSERA_RETURN_IF_ERROR(as_string(o.second, "oidc." + k, dest));
                if ((k == "user_claim" || k == "groups_claim") && dest->empty()) {
                    return at(o.second, "oidc." + k, "expected the name of a claim, found an empty string");
                }
            }
        } else {
            return at(kv.first, key,
                      "unknown field; expected listen, catalog, threads, max_body_bytes, read_timeout_s, "
                      "write_timeout_s, header_timeout_s, body_timeout_s, max_connections, max_connections_per_client, "
                      "max_failed_logins, query_timeout_ms, query_max_rows, query_threads, query_memory_limit, "
                      "query_max_result_bytes, allow_anonymous_read, allow_open, oidc, scheduler, "
                      "scheduler_interval_s, shutdown_grace_s, build_threads, build_memory_limit, build_timeout_s or "
                      "build_source_root");
        }
    }
    return Status::Ok();
}

}  // namespace tessera::server
