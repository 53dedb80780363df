#include "common/logging.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

namespace tessera::log {
namespace {
std::atomic<Level> g_level{Level::kWarn};
std::mutex g_mu;
}  // namespace

void SetLevel(Level level) { g_level = level; }
Level GetLevel() { return g_level; }

bool ParseLevel(std::string_view text, Level* level) {
    if (text == "debug") *level = Level::kDebug;
    else if (text == "info") *level = Level::kInfo;
    else if (text == "warn") *level = Level::kWarn;
    else if (text == "error") *level = Level::kError;
    else if (text == "off") *level = Level::kOff;
    else return false;
    return true;
}

void Write(Level level, std::string_view message) {
    static constexpr const char* kNames[] = {"debug", "info", "warn", "error", "off"};
    std::lock_guard<std::mutex> lock(g_mu);
    std::fprintf(stderr, "tessera: %s: %.*s\n", kNames[static_cast<int>(level)],
                 static_cast<int>(message.size()), message.data());
}

}  // namespace tessera::log
