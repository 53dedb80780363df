#pragma once

// Runs a program as a child process bounded from the parent: its input is written to its stdin,
// its stdout and stderr are collected, and it is killed (with its process group) when it runs past
// a wall-clock limit. Resource limits are set on the child by the parent (prlimit) before it
// reads its input, so they hold before any work starts.
//
//   ChildLimits limits{.timeout_ms = 60000, .address_space_bytes = 8LL << 30, .cpu_seconds = 600};
//   TESSERA_ASSIGN_OR_RETURN(ChildOutcome o, RunChild("/proc/self/exe", {"__build"}, plan_json, limits));
//   if (o.timed_out) …; else if (o.signal) …; else if (o.exit_code == 0) parse(o.out);
//
// The child starts from `execve`: it inherits no thread, lock, file descriptor (other than its
// stdin, stdout and stderr) or memory of the parent, and an environment of `TZ` and `LANG` only.
// Safe to call from several threads at once (each call owns its child).

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace tessera::engine::internal {

struct ChildLimits {
    int64_t timeout_ms = 0;           // wall clock; 0: none
    int64_t address_space_bytes = 0;  // RLIMIT_AS; 0: none
    int64_t cpu_seconds = 0;          // RLIMIT_CPU; 0: none
    int64_t max_output_bytes = 256LL << 20;  // more stdout than this kills the child
};

struct ChildOutcome {
    int exit_code = -1;   // when it exited
    int signal = 0;       // when a signal ended it (also after a timeout: SIGKILL)
    bool timed_out = false;
    bool output_overflow = false;
    std::string out;      // its stdout
    std::string err;      // its stderr, the last 16 KB
    int64_t max_rss_bytes = 0;
};

// kUnavailable when the process cannot be started (the reason from the system).
Result<ChildOutcome> RunChild(const std::string& program, const std::vector<std::string>& args, const std::string& input,
                              const ChildLimits& limits);

}  // namespace tessera::engine::internal
