#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace tessera {

// The closed set of reasons an operation can fail. Pick the most specific one; the CLI maps each
// to one exit code and the server to one problem type (see docs/cli.md), so a code is a contract.
enum class StatusCode {
    kOk = 0,
    // The caller's input is malformed or breaks a rule that holds whatever the state: a descriptor
    // with a wrong type, an unknown field, a bad name. Retrying the same input never helps.
    kInvalidArgument,
    // A named thing (product, revision, file) does not exist.
    kNotFound,
    // Creating something whose name is taken.
    kAlreadyExists,
    // The input is fine but the current state refuses it: deleting a product others depend on.
    // Fix the state first (or use --force), then retry.
    kFailedPrecondition,
    // A concurrent change won: `--expect-revision` no longer matches, a lock is held. Re-read, retry.
    kAborted,
    // The caller is known but not allowed.
    kPermissionDenied,
    // The caller is not known (missing or invalid credentials).
    kUnauthenticated,
    // A limit was hit: rows, bytes, disk.
    kResourceExhausted,
    // A deadline passed before the work finished.
    kDeadlineExceeded,
    // A dependency is down or busy (database locked, server unreachable); retrying may help.
    kUnavailable,
    // A bug or a broken invariant in Tessera itself, or an I/O failure it cannot explain.
    kInternal,
};

std::string_view StatusCodeName(StatusCode code);

// The outcome of an operation: OK, or a code with a message for people and an optional location
// (`file:line:col`, a JSON pointer, a SQL position). Cheap to return on the OK path.
//
//   Status s = catalog.Apply(batch);
//   if (!s.ok()) std::cerr << s.ToString() << "\n";
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(StatusCode code, std::string message, std::string location = {})
        : code_(code), message_(std::move(message)), location_(std::move(location)) {}

    static Status Ok() { return {}; }

    bool ok() const { return code_ == StatusCode::kOk; }
    StatusCode code() const { return code_; }
    const std::string& message() const { return message_; }
    const std::string& location() const { return location_; }

    // "location: message" or just the message when there is no location.
    std::string ToString() const;

private:
    StatusCode code_ = StatusCode::kOk;
    std::string message_;
    std::string location_;
};

inline Status InvalidArgument(std::string m, std::string loc = {}) {
    return {StatusCode::kInvalidArgument, std::move(m), std::move(loc)};
}
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
}
inline Status Aborted(std::string m) { return {StatusCode::kAborted, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

}  // namespace tessera

#define TESSERA_RETURN_IF_ERROR(expr)            \
    do {                                         \
        ::tessera::Status _tessera_st = (expr);  \
        if (!_tessera_st.ok()) return _tessera_st; \
    } while (0)
