#include "engine/build_child.h"

#include <fcntl.h>
#include <linux/landlock.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>
#include <filesystem>
#include <set>
#include <thread>

#include "engine/internal/build.h"

#ifndef LANDLOCK_ACCESS_FS_TRUNCATE  // Landlock ABI 3 (Linux 6.2); older headers lack it
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

namespace tessera::engine {
namespace {

constexpr size_t kMaxPlanBytes = 64 << 20;

// Test-only fault injection (the plan's `fault`, set from $TESSERA_TEST_BUILD_FAULT by the parent):
// what a crashing or runaway build does, without depending on a DuckDB bug.
void InjectFault(const std::string& fault) {
    if (fault == "segv") ::raise(SIGSEGV);
    if (fault == "abort") std::abort();
    if (fault == "hang") {
        for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    if (fault == "garbage") {
        std::cout << "not a result" << std::flush;
        std::_Exit(0);
    }
}

// Lets this process create, change or remove files only under `folders` (Landlock, kernel 5.13+;
// it binds root too). DuckDB's `allowed_paths` cannot tell reading from writing, so without this a
// transform could `COPY … TO` one of its own input files: an upstream snapshot. Returns false when
// the kernel has no Landlock; the build then copies its inputs before it locks DuckDB down.
bool ConfineWrites(const std::set<std::string>& folders) {
    long abi = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 1) return false;
    struct landlock_ruleset_attr attr {};
    attr.handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
                             LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |
                             LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
                             LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;
    if (abi >= 2) attr.handled_access_fs |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3) attr.handled_access_fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
    int ruleset = static_cast<int>(::syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0));
    if (ruleset < 0) return false;
    bool ok = true;
    for (const auto& folder : folders) {
        struct landlock_path_beneath_attr rule {};
        rule.allowed_access = attr.handled_access_fs;
        rule.parent_fd = ::open(folder.c_str(), O_PATH | O_CLOEXEC);
        if (rule.parent_fd < 0) {
            ok = false;
            break;
        }
        ok = ::syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) == 0;
        ::close(rule.parent_fd);
        if (!ok) break;
    }
    ok = ok && ::syscall(SYS_landlock_restrict_self, ruleset, 0) == 0;
    ::close(ruleset);
    return ok;
}

}  // namespace

int BuildChildMain() {
    // Dies with its parent; cannot gain privileges; cannot be attached to or dump core.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    ::prctl(PR_SET_DUMPABLE, 0);
    if (::getppid() == 1) return 2;  // the parent died before the line above
    std::string text;
    char buffer[1 << 16];
    ssize_t n = 0;
    while ((n = ::read(0, buffer, sizeof buffer)) > 0) {
        text.append(buffer, static_cast<size_t>(n));
        if (text.size() > kMaxPlanBytes) {
            std::cerr << "tessera build: the plan is larger than " << kMaxPlanBytes << " bytes\n";
            return 2;
        }
    }
    auto plan = internal::PlanFromJson(text);
    if (!plan.ok()) {
        std::cerr << "tessera build: " << plan.status().message() << "\n";
        return 2;
    }
    InjectFault(plan->fault);
    std::set<std::string> writable = {plan->spill_dir};
    for (const auto& o : plan->outputs) writable.insert(std::filesystem::path(o.file).parent_path().string());
    if (!ConfineWrites(writable)) plan->copy_inputs = true;
    std::string out = internal::ResultToJson(internal::ExecuteBuild(*plan));
    size_t written = 0;
    while (written < out.size()) {
        ssize_t w = ::write(1, out.data() + written, out.size() - written);
        if (w <= 0) return 3;
        written += static_cast<size_t>(w);
    }
    return 0;
}

}  // namespace tessera::engine
