#include "common/status.h"

namespace tessera {

std::string_view StatusCodeName(StatusCode code) {
    switch (code) {
        case StatusCode::kOk: return "ok";
        case StatusCode::kInvalidArgument: return "invalid_argument";
        case StatusCode::kNotFound: return "not_found";
        case StatusCode::kAlreadyExists: return "already_exists";
        case StatusCode::kFailedPrecondition: return "failed_precondition";
        case StatusCode::kAborted: return "aborted";
        case StatusCode::kPermissionDenied: return "permission_denied";
        case StatusCode::kUnauthenticated: return "unauthenticated";
        case StatusCode::kResourceExhausted: return "resource_exhausted";
        case StatusCode::kDeadlineExceeded: return "deadline_exceeded";
        case StatusCode::kUnavailable: return "unavailable";
        case StatusCode::kInternal: return "internal";
    }
    return "unknown";
}

std::string Status::ToString() const {
    if (ok()) return "ok";
    if (location_.empty()) return message_;
    return location_ + ": " + message_;
}

}  // namespace tessera
