#include "engine/internal/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

namespace tessera::engine::internal {
namespace {

constexpr size_t kMaxErrBytes = 16 << 10;

// Closes a descriptor once, on destruction.
class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { Close(); }
    int get() const { return fd_; }
    void Close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

void SetLimit(pid_t pid, int resource, int64_t value) {
    if (value <= 0) return;
    struct rlimit limit {};
    limit.rlim_cur = static_cast<rlim_t>(value);
    limit.rlim_max = static_cast<rlim_t>(value);
    ::prlimit(pid, static_cast<__rlimit_resource>(resource), &limit, nullptr);
}

}  // namespace

Result<ChildOutcome> RunChild(const std::string& program, const std::vector<std::string>& args, const std::string& input,
                              const ChildLimits& limits) {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        return Unavailable(std::string("cannot start a build process: socketpair: ") + std::strerror(errno));
    }
    Fd parent_io(pair[0]), child_io(pair[1]);
    int errs[2];
    if (::pipe2(errs, O_CLOEXEC) != 0) {
        return Unavailable(std::string("cannot start a build process: pipe: ") + std::strerror(errno));
    }
    Fd err_read(errs[0]), err_write(errs[1]);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, child_io.get(), 0);
    posix_spawn_file_actions_adddup2(&actions, child_io.get(), 1);
    posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawn_file_actions_addchdir_np(&actions, "/");
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setpgroup(&attr, 0);  // its own group: a timeout kills whatever it started
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

    std::vector<std::string> argv_text{program};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_text;
    for (const char* name : {"TZ", "LANG", "LC_ALL"}) {
        if (const char* v = std::getenv(name)) env_text.push_back(std::string(name) + "=" + v);
    }
    std::vector<char*> envp;
    for (auto& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);

    pid_t pid = 0;
    int rc = ::posix_spawn(&pid, program.c_str(), &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) return Unavailable("cannot start a build process (" + program + "): " + std::strerror(rc));
    child_io.Close();
    err_write.Close();
    // Before it reads its input, so before it does any work.
    SetLimit(pid, RLIMIT_AS, limits.address_space_bytes);
    SetLimit(pid, RLIMIT_CPU, limits.cpu_seconds);
    SetLimit(pid, RLIMIT_CORE, 0);  // a crash leaves no core file holding the product's data

    ChildOutcome outcome;
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::milliseconds(limits.timeout_ms);
    size_t written = 0;
    bool out_open = true, err_open = true, in_open = true;
    if (input.empty()) {
        ::shutdown(parent_io.get(), SHUT_WR);
        in_open = false;
    }
    char buffer[1 << 16];
    while (out_open || err_open) {
        int wait_ms = -1;
        if (limits.timeout_ms > 0) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            if (left <= 0) {
                outcome.timed_out = true;
                break;
            }
            wait_ms = static_cast<int>(std::min<int64_t>(left, 1000));
        }
        struct pollfd fds[2] = {{parent_io.get(), 0, 0}, {err_read.get(), 0, 0}};
        if (out_open) fds[0].events |= POLLIN;
        if (in_open) fds[0].events |= POLLOUT;
        if (err_open) fds[1].events = POLLIN;
        if (!out_open && !in_open) fds[0].fd = -1;
        if (!err_open) fds[1].fd = -1;
        int n = ::poll(fds, 2, wait_ms);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        if (in_open && (fds[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w = ::send(parent_io.get(), input.data() + written, input.size() - written, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (w > 0) written += static_cast<size_t>(w);
            if (w < 0 && errno != EAGAIN && errno != EINTR) written = input.size();  // it went away: reap it below
            if (written == input.size()) {
                ::shutdown(parent_io.get(), SHUT_WR);
                in_open = false;
            }
        }
        if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t r = ::recv(parent_io.get(), buffer, sizeof buffer, MSG_DONTWAIT);
            if (r > 0) {
                outcome.out.append(buffer, static_cast<size_t>(r));
                if (static_cast<int64_t>(outcome.out.size()) > limits.max_output_bytes) {
                    outcome.output_overflow = true;
                    break;
                }
            } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                out_open = false;
                in_open = false;
            }
        }
        if (err_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t r = ::read(err_read.get(), buffer, sizeof buffer);
            if (r > 0) {
                outcome.err.append(buffer, static_cast<size_t>(r));
                if (outcome.err.size() > kMaxErrBytes) outcome.err.erase(0, outcome.err.size() - kMaxErrBytes);
            } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                err_open = false;
            }
        }
    }
    if (outcome.timed_out || outcome.output_overflow) {
        ::kill(-pid, SIGKILL);
        ::kill(pid, SIGKILL);
    }
    parent_io.Close();
    err_read.Close();
    int status = 0;
    struct rusage usage {};
    while (::wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) return Internal(std::string("cannot wait for the build process: ") + std::strerror(errno));
    }
    outcome.max_rss_bytes = static_cast<int64_t>(usage.ru_maxrss) * 1024;
    if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) outcome.signal = WTERMSIG(status);
    return outcome;
}

}  // namespace tessera::engine::internal
