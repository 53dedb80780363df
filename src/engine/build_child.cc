#include "engine/build_child.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>
#include <thread>

#include "engine/internal/build.h"

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
