#pragma once

// What every route of /api/v1 reads and writes the same way (docs/api.md): whole-number and
// boolean query parameters, cursor pages over sorted lists, ETags, and timestamps. Shared by
// routes.cc and web_routes.cc; not for use outside src/server/.

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "server/internal/http_server.h"

namespace tessera::server::internal {

inline constexpr int64_t kDefaultPageSize = 100;
inline constexpr int64_t kMaxPageSize = 1000;

// Unix milliseconds now.
int64_t NowMs();

// "2026-11-26T13:55:44.123Z" (UTC); "" for 0.
std::string IsoTime(int64_t ms);

// Unix milliseconds of "YYYY-MM-DD" (the end of that day, UTC, as the CLI's `--until`) or of
// "YYYY-MM-DDTHH:MM:SS[.mmm]Z". kInvalidArgument naming `field` otherwise.
Result<int64_t> ParseIsoTime(const std::string& field, const std::string& text);

// The query parameter `name` as a whole number in [min, max]; `fallback` when absent.
// kInvalidArgument naming the parameter and the range otherwise.
Result<int64_t> IntParam(const Call& c, const std::string& name, int64_t fallback, int64_t min, int64_t max);

// The query parameter `name` as true/false/1/0; false when absent. kInvalidArgument otherwise.
Result<bool> BoolParam(const Call& c, const std::string& name);

// `"tag"`.
std::string ETagOf(const std::string& tag);

// Sets the ETag; answers 304 when If-None-Match has it already. Returns true when the body is
// still to be written.
bool SetETag(Call& c, const std::string& tag);

// Cursors are the last key of a page, hex-encoded. HexDecode: kInvalidArgument for a malformed
// cursor.
std::string HexEncode(const std::string& s);
Result<std::string> HexDecode(const std::string& s);

// `items` sorted by key: the page after the `cursor` parameter, `limit` long (1..1000, default
// 100), as {"items": […], "next_cursor": … | null}. kInvalidArgument for a bad limit or cursor.
Result<nlohmann::ordered_json> Page(const Call& c, const std::vector<std::pair<std::string, nlohmann::ordered_json>>& items);
// The same over `keys` (sorted) where only the items on the page are made, by `item(index)`: for
// long lists (a scorecard of every product) whose items cost something to write.
Result<nlohmann::ordered_json> Page(const Call& c, const std::vector<std::string>& keys,
                                    const std::function<nlohmann::ordered_json(size_t)>& item);

// A key that sorts descending numbers first: for newest-first pages keyed by id.
std::string DescendingKey(int64_t n);

}  // namespace tessera::server::internal
