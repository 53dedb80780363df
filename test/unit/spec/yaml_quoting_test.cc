#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "spec/descriptor.h"

namespace tessera::spec {
namespace {

// The YAML line JsonToYaml writes for {"k": text}.
std::string Written(const std::string& text) {
    std::string yaml = JsonToYaml(nlohmann::json{{"k", text}}.dump());
    while (!yaml.empty() && yaml.back() == '\n') yaml.pop_back();
    return yaml;
}

TEST(JsonToYaml, QuotesEveryStringAYaml11ReaderTakesForAnotherType) {
    for (const char* text : {// timestamps and dates (ODCS contractCreatedTs, team dateIn)
                             "2023-09-28T12:00:00Z", "2022-11-15T02:59:43+00:00", "2022-08-02",
                             "2001-12-14 21:59:43.10 -5", "2001-12-14t21:59:43.10-05:00",
                             // booleans of YAML 1.1
                             "yes", "no", "on", "off", "y", "n", "Y", "N", "On", "OFF", "true", "False",
                             // null
                             "null", "~", "Null", "NULL",
                             // numbers of 1.1 and 1.2
                             "1.0", "0o17", "0x1F", "017", "0b101", "1e3", "1E-3", "-1.5e+3", ".5", "1_000",
                             ".inf", "-.Inf", ".nan", "190:20:30", "1:20", "1:20.5",
                             // merge and value keys
                             "<<", "="}) {
        EXPECT_EQ(Written(text), std::string("k: \"") + text + "\"") << text;
    }
}

TEST(JsonToYaml, LeavesOtherStringsPlain) {
    for (const char* text : {"orders", "order facts", "v3.1.0", "2023-09-28 is a day", "yesterday", "none",
                             "12:00 noon", "x1F", "P1D", "seller_team"}) {
        EXPECT_EQ(Written(text), std::string("k: ") + text) << text;
    }
}

}  // namespace
}  // namespace tessera::spec
