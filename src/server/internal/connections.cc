#include "server/internal/connections.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "server/internal/problem.h"

namespace tessera::server::internal {
namespace {

using Clock = std::chrono::steady_clock;

// One thread per task, up to `max_threads` at once (beyond: queued). Threads are started when
// every thread is busy and then kept for later tasks. A connection holds its thread while it
// lives, so the limit on connections is what bounds the threads.
class ConnectionThreads : public httplib::TaskQueue {
public:
    explicit ConnectionThreads(size_t max_threads) : max_threads_(std::max<size_t>(1, max_threads)) {}
    ~ConnectionThreads() override { shutdown(); }

    void enqueue(std::function<void()> fn) override {
        std::lock_guard<std::mutex> lock(mu_);
        tasks_.push_back(std::move(fn));
        if (tasks_.size() > idle_ && threads_.size() < max_threads_) threads_.emplace_back([this] { Work(); });
        cv_.notify_one();
    }

    void shutdown() override {
        std::vector<std::thread> threads;
        {
            std::lock_guard<std::mutex> lock(mu_);
            stopping_ = true;
            threads.swap(threads_);
        }
        cv_.notify_all();
        for (auto& t : threads) t.join();
    }

private:
    void Work() {
        std::unique_lock<std::mutex> lock(mu_);
        for (;;) {
            ++idle_;
            cv_.wait(lock, [this] { return !tasks_.empty() || stopping_; });
            --idle_;
            if (tasks_.empty()) break;  // stopping, and nothing left to do
            auto fn = std::move(tasks_.front());
            tasks_.pop_front();
            lock.unlock();
            fn();
            lock.lock();
        }
    }

    const size_t max_threads_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> tasks_;  // guarded by mu_
    std::vector<std::thread> threads_;         // guarded by mu_
    size_t idle_ = 0;                          // guarded by mu_: threads waiting for a task
    bool stopping_ = false;                    // guarded by mu_
};

// A socket read through a buffer, with the deadlines and the body budget of the request being
// read. The phases: waiting for a request (no deadline: keep-alive decides), headers (header
// deadline), body (body deadline and budget), handling (no reads expected).
class ConnectionStream : public httplib::Stream {
public:
    ConnectionStream(socket_t sock, const ConnectionLimits& limits) : sock_(sock), limits_(limits) {}

    enum class Phase { kIdle, kHeaders, kBody, kHandling };

    void BeginRequest() {
        phase_ = Phase::kHeaders;
        started_ = Clock::now();
        deadline_ = started_ + std::chrono::seconds(limits_.header_timeout_s);
        failure_ = BoundedServer::ReadFailure::kNone;
        wrote_ = false;
        close_after_ = false;
    }
    void HeadersRead(bool has_body) {
        phase_ = Phase::kBody;
        has_body_ = has_body;
        body_read_ = 0;
        deadline_ = Clock::now() + std::chrono::seconds(limits_.body_timeout_s);
    }
    void BodyRead() { phase_ = Phase::kHandling; }
    void CloseAfterResponse() { close_after_ = true; }
    bool close_after() const { return close_after_; }
    bool wrote() const { return wrote_; }
    // A read of the request failed: what follows on the connection cannot be trusted.
    bool broken() const { return broken_; }
    Clock::time_point started() const { return started_; }
    BoundedServer::ReadFailure failure() const { return failure_; }

    // Waits up to the keep-alive timeout for the next request; false when none comes, the peer
    // closed, or the server stops (`svr_sock` invalid).
    bool WaitForRequest(const std::atomic<socket_t>& svr_sock) {
        phase_ = Phase::kIdle;
        if (pos_ < len_) return true;
        auto until = Clock::now() + std::chrono::seconds(limits_.keep_alive_timeout_s);
        while (svr_sock != INVALID_SOCKET) {
            pollfd p{sock_, POLLIN, 0};
            int r = ::poll(&p, 1, 100);
            if (r < 0 && errno != EINTR) return false;
            if (r > 0) return (p.revents & POLLIN) != 0;
            if (Clock::now() >= until) return false;
        }
        return false;
    }

    bool is_readable() const override {
        if (pos_ < len_) return true;
        pollfd p{sock_, POLLIN, 0};
        return ::poll(&p, 1, WaitMs(limits_.read_timeout_s)) > 0;
    }

    bool is_writable() const override {
        pollfd p{sock_, POLLOUT, 0};
        return ::poll(&p, 1, limits_.write_timeout_s * 1000) > 0 && !(p.revents & (POLLERR | POLLHUP | POLLNVAL));
    }

    ssize_t read(char* ptr, size_t size) override {
        if (phase_ == Phase::kBody) {
            if (!has_body_) return 0;  // no framing: no body
            // The budget: a little over the limit, for the framing of chunks.
            int64_t budget = limits_.max_body_bytes + 65536;
            if (body_read_ >= budget) {
                failure_ = BoundedServer::ReadFailure::kTooLarge;
                broken_ = true;
                return -1;
            }
            size = std::min(size, static_cast<size_t>(budget - body_read_));
        }
        if (pos_ >= len_) {
            for (;;) {
                int wait = WaitMs(limits_.read_timeout_s);
                if (wait == 0) {
                    failure_ = BoundedServer::ReadFailure::kDeadline;
                    broken_ = true;
                    return -1;
                }
                pollfd p{sock_, POLLIN, 0};
                int r = ::poll(&p, 1, wait);
                if (r < 0 && errno == EINTR) continue;
                if (r == 0 && HasDeadline() && wait < limits_.read_timeout_s * 1000) continue;  // at the deadline
                if (r <= 0) {
                    broken_ = true;  // idle past read_timeout_s, or an error
                    return -1;
                }
                break;
            }
            ssize_t n;
            do {
                n = ::recv(sock_, buf_, sizeof buf_, 0);
            } while (n < 0 && errno == EINTR);
            if (n <= 0) {
                broken_ = true;
                return n;
            }
            pos_ = 0;
            len_ = static_cast<size_t>(n);
        }
        size_t n = std::min(size, len_ - pos_);
        std::memcpy(ptr, buf_ + pos_, n);
        pos_ += n;
        if (phase_ == Phase::kBody) body_read_ += static_cast<int64_t>(n);
        return static_cast<ssize_t>(n);
    }

    ssize_t write(const char* ptr, size_t size) override {
        if (!is_writable()) return -1;
        ssize_t n;
        do {
            n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
        } while (n < 0 && errno == EINTR);
        if (n > 0) wrote_ = true;
        return n;
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override { Address(true, ip, port); }
    void get_local_ip_and_port(std::string& ip, int& port) const override { Address(false, ip, port); }
    socket_t socket() const override { return sock_; }

private:
    bool HasDeadline() const { return phase_ == Phase::kHeaders || phase_ == Phase::kBody; }
    bool Deadlined() const { return HasDeadline() && Clock::now() >= deadline_; }

    // How long one wait for bytes may last: the idle timeout, cut at the phase's deadline
    // (0: the deadline has passed).
    int WaitMs(int timeout_s) const {
        int64_t ms = static_cast<int64_t>(timeout_s) * 1000;
        if (HasDeadline()) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
            if (left <= 0) return 0;
            ms = std::min<int64_t>(ms, left);
        }
        return static_cast<int>(std::max<int64_t>(ms, 1));
    }

    void Address(bool remote, std::string& ip, int& port) const {
        sockaddr_storage addr{};
        socklen_t len = sizeof addr;
        int r = remote ? ::getpeername(sock_, reinterpret_cast<sockaddr*>(&addr), &len)
                       : ::getsockname(sock_, reinterpret_cast<sockaddr*>(&addr), &len);
        ip.clear();
        port = -1;
        if (r != 0) return;
        char host[INET6_ADDRSTRLEN] = {};
        if (addr.ss_family == AF_INET) {
            auto* a = reinterpret_cast<sockaddr_in*>(&addr);
            ::inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
            port = ntohs(a->sin_port);
        } else if (addr.ss_family == AF_INET6) {
            auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
            ::inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
            port = ntohs(a->sin6_port);
        }
        ip = host;
    }

    socket_t sock_;
    const ConnectionLimits& limits_;
    Phase phase_ = Phase::kIdle;
    Clock::time_point deadline_{};
    Clock::time_point started_ = Clock::now();
    bool broken_ = false;
    bool has_body_ = true;
    int64_t body_read_ = 0;
    BoundedServer::ReadFailure failure_ = BoundedServer::ReadFailure::kNone;
    bool wrote_ = false;
    bool close_after_ = false;
    char buf_[4096];
    size_t pos_ = 0, len_ = 0;
};

thread_local ConnectionStream* t_connection = nullptr;

// A whole response written straight to the socket, for refusals before any request is read and
// for a request line that did not arrive in time.
void WriteProblem(socket_t sock, int status, std::string_view slug, std::string_view title, const std::string& detail,
                  int retry_after_s) {
    std::string body = JsonText(HttpProblem(status, slug, title, detail, ""));
    std::string reason = status == 408 ? "Request Timeout" : status == 429 ? "Too Many Requests" : "Service Unavailable";
    std::string head = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                       "\r\nContent-Type: application/problem+json\r\nConnection: close\r\nContent-Length: " +
                       std::to_string(body.size()) + "\r\n";
    if (retry_after_s > 0) head += "Retry-After: " + std::to_string(retry_after_s) + "\r\n";
    std::string all = head + "\r\n" + body;
    pollfd p{sock, POLLOUT, 0};
    if (::poll(&p, 1, 1000) > 0) (void)::send(sock, all.data(), all.size(), MSG_NOSIGNAL);
}

// Closes after a refusal: the write side first, then what the client still sends is read away
// for a moment, so that the kernel does not reset the connection before the answer is read.
void CloseGently(socket_t sock) {
    ::shutdown(sock, SHUT_WR);
    char drain[4096];
    auto until = Clock::now() + std::chrono::milliseconds(500);
    while (Clock::now() < until) {
        pollfd p{sock, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        if (::recv(sock, drain, sizeof drain, 0) <= 0) break;
    }
    ::close(sock);
}

std::string PeerOf(socket_t sock) {
    std::string ip;
    int port = 0;
    ConnectionStream(sock, ConnectionLimits{}).get_remote_ip_and_port(ip, port);
    return ip;
}

}  // namespace

BoundedServer::BoundedServer(ConnectionLimits limits) : limits_(limits) {
    // Threads: one per admitted connection, and a few more for refusing the ones past a limit.
    size_t threads = limits_.max_connections > 0 ? static_cast<size_t>(limits_.max_connections) + 16 : 4096;
    new_task_queue = [threads] { return new ConnectionThreads(threads); };
    set_payload_max_length(static_cast<size_t>(limits_.max_body_bytes));
    set_read_timeout(limits_.read_timeout_s, 0);
    set_write_timeout(limits_.write_timeout_s, 0);
    set_keep_alive_timeout(limits_.keep_alive_timeout_s);
    set_keep_alive_max_count(limits_.keep_alive_max_count);
}

void BoundedServer::HeadersRead(bool has_body) {
    if (t_connection) t_connection->HeadersRead(has_body);
}
void BoundedServer::BodyRead() {
    if (t_connection) t_connection->BodyRead();
}
void BoundedServer::CloseAfterResponse() {
    if (t_connection) t_connection->CloseAfterResponse();
}
BoundedServer::ReadFailure BoundedServer::LastReadFailure() {
    return t_connection ? t_connection->failure() : ReadFailure::kNone;
}
std::chrono::steady_clock::time_point BoundedServer::RequestStarted() {
    return t_connection ? t_connection->started() : Clock::now();
}

int BoundedServer::open_connections() const {
    std::lock_guard<std::mutex> lock(mu_);
    return open_;
}

int BoundedServer::Admit(const std::string& client) {
    std::lock_guard<std::mutex> lock(mu_);
    if (limits_.max_connections > 0 && open_ >= limits_.max_connections) return 503;
    int& mine = per_client_[client];
    if (limits_.max_connections_per_client > 0 && mine >= limits_.max_connections_per_client) {
        if (mine == 0) per_client_.erase(client);
        return 429;
    }
    ++mine;
    ++open_;
    return 0;
}

void BoundedServer::Release(const std::string& client) {
    std::lock_guard<std::mutex> lock(mu_);
    --open_;
    auto it = per_client_.find(client);
    if (it != per_client_.end() && --it->second <= 0) per_client_.erase(it);
}

bool BoundedServer::process_and_close_socket(socket_t sock) {
    std::string client = PeerOf(sock);
    if (int refused = Admit(client)) {
        if (refused == 429) {
            WriteProblem(sock, 429, "rate-limited", "Too many requests",
                         "this client has " + std::to_string(limits_.max_connections_per_client) +
                                 " connections open already, the most the server accepts from one address; reuse "
                                 "or close one",
                         1);
        } else {
            WriteProblem(sock, 503, "unavailable", "Service unavailable",
                         "the server has " + std::to_string(limits_.max_connections) +
                                 " connections open, the most it accepts; retry shortly",
                         1);
        }
        CloseGently(sock);
        return false;
    }
    ConnectionStream conn(sock, limits_);
    t_connection = &conn;
    bool ret = false;
    size_t left = limits_.keep_alive_max_count;
    while (left > 0 && conn.WaitForRequest(svr_sock_)) {
        conn.BeginRequest();
        bool connection_closed = false;
        ret = process_request(conn, left == 1, connection_closed, nullptr);
        if (!ret && conn.failure() == ReadFailure::kDeadline && !conn.wrote()) {
            // The request line itself was late: httplib gives up without an answer; say why.
            WriteProblem(sock, 408, "request-timeout", "Request timeout",
                         "the request line and headers did not arrive within " +
                                 std::to_string(limits_.header_timeout_s) + " s",
                         0);
        }
        if (!ret || connection_closed || conn.close_after() || conn.broken()) break;
        --left;
    }
    t_connection = nullptr;
    Release(client);
    if (conn.close_after() || conn.broken()) {
        CloseGently(sock);  // an answer to a request whose body was left unread
    } else {
        ::shutdown(sock, SHUT_RDWR);
        ::close(sock);
    }
    return ret;
}

}  // namespace tessera::server::internal
