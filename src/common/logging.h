#pragma once

#include <sstream>
#include <string_view>

namespace tessera::log {

// Levelled logging to stderr. Messages below the threshold cost one comparison. The CLI sets the
// threshold from --quiet / --log-level / TESSERA_LOG (debug|info|warn|error|off).
//
//   TESSERA_LOG(kInfo) << "applied revision " << rev;
enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };

void SetLevel(Level level);
Level GetLevel();
bool ParseLevel(std::string_view text, Level* level);
void Write(Level level, std::string_view message);

class Line {
public:
    explicit Line(Level level) : level_(level) {}
    ~Line() { Write(level_, out_.str()); }
    template <typename T>
    Line& operator<<(const T& v) {
        out_ << v;
        return *this;
    }

private:
    Level level_;
    std::ostringstream out_;
};

}  // namespace tessera::log

#define TESSERA_LOG(level)                                                  \
    if (::tessera::log::Level::level < ::tessera::log::GetLevel()) {        \
    } else                                                                  \
        ::tessera::log::Line(::tessera::log::Level::level)
