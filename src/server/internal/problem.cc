#include "server/internal/problem.h"

namespace tessera::server::internal {
namespace {

// One row per StatusCode, in the enum's order. The slugs are a contract: never rename one.
constexpr ProblemType kTable[] = {
        {500, "internal-error", "Internal error"},                // kOk: never a problem
        {400, "invalid-argument", "Invalid argument"},            // kInvalidArgument
        {404, "not-found", "Not found"},                          // kNotFound
        {409, "already-exists", "Name already taken"},            // kAlreadyExists
        {409, "failed-precondition", "Refused in the current state"},  // kFailedPrecondition
        {412, "stale-revision", "Stale revision"},                // kAborted
        {403, "permission-denied", "Permission denied"},          // kPermissionDenied
        {401, "unauthenticated", "Authentication required"},      // kUnauthenticated
        {413, "limit-exceeded", "Limit exceeded"},                // kResourceExhausted
        {504, "deadline-exceeded", "Deadline exceeded"},          // kDeadlineExceeded
        {503, "unavailable", "Service unavailable"},              // kUnavailable
        {500, "internal-error", "Internal error"},                // kInternal
};
static_assert(sizeof kTable / sizeof kTable[0] == static_cast<size_t>(StatusCode::kInternal) + 1,
              "one problem type per StatusCode");

}  // namespace

const ProblemType& ProblemFor(StatusCode code) { return kTable[static_cast<size_t>(code)]; }

std::string ProblemTypeUri(std::string_view slug) { return "urn:tessera:problem:" + std::string(slug); }

nlohmann::ordered_json ProblemJson(const Status& status, const std::string& instance) {
    const ProblemType& p = ProblemFor(status.code());
    std::string detail = status.code() == StatusCode::kInternal || status.ok()
                                 ? "the server failed to answer; the error is in its log"
                                 : status.message();
    auto j = HttpProblem(p.http_status, p.slug, p.title, detail, instance);
    if (!status.location().empty() && status.code() != StatusCode::kInternal) j["location"] = status.location();
    return j;
}

std::string JsonText(const nlohmann::ordered_json& j, int indent) {
    std::string text = j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    if (indent >= 0) text += "\n";
    return text;
}

nlohmann::ordered_json HttpProblem(int http_status, std::string_view slug, std::string_view title,
                                   const std::string& detail, const std::string& instance) {
    nlohmann::ordered_json j;
    j["type"] = ProblemTypeUri(slug);
    j["title"] = title;
    j["status"] = http_status;
    j["detail"] = detail;
    j["instance"] = instance;
    return j;
}

}  // namespace tessera::server::internal
