#pragma once

// RFC 9457 problem details: the one table from `StatusCode` to an HTTP status and a stable
// `type` URI (docs/api.md lists them). Every error the server returns goes through it, so a
// client can switch on `type` and never sees a bare 500 or a stack.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tessera::server::internal {

struct ProblemType {
    int http_status;
    std::string_view slug;   // the last part of the type URI: "not-found"
    std::string_view title;  // a short summary that does not change between occurrences
};

// The row of the table for `code` (kOk has none; it maps to internal-error).
const ProblemType& ProblemFor(StatusCode code);

// "urn:tessera:problem:<slug>".
std::string ProblemTypeUri(std::string_view slug);

// The problem document for `status` at `instance` (the request path). Messages of kInternal are
// replaced by a generic sentence: the details go to the log, not to the client.
nlohmann::ordered_json ProblemJson(const Status& status, const std::string& instance);

// `j` as JSON text ending in a newline (indented by `indent`; -1: one line). Never throws: bytes
// that are not UTF-8 (from a path, a parameter, a header, a stored value) become U+FFFD. Every
// JSON body and log line the server writes goes through it.
std::string JsonText(const nlohmann::ordered_json& j, int indent = 2);

// Problems the HTTP layer raises itself (no StatusCode): 404 unknown route, 405 method,
// 408 request timeout, 412 stale If-Match, 413 body too large, 415 media type, 429 too many
// requests (`rate-limited`).
nlohmann::ordered_json HttpProblem(int http_status, std::string_view slug, std::string_view title,
                                   const std::string& detail, const std::string& instance);

}  // namespace tessera::server::internal
