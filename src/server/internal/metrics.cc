#include "server/internal/metrics.h"

#include <cstdio>
#include <sstream>
#include <tuple>

namespace tessera::server::internal {

std::string EscapeLabel(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

void Metrics::ObserveRequest(const std::string& method, const std::string& route, int status, double seconds) {
    std::lock_guard<std::mutex> lock(mu_);
    ++requests_[{method, route, status}];
    Histogram& h = latency_[{method, route}];
    for (size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) {
            ++h.buckets[i];
            break;
        }
    }
    ++h.count;
    h.sum += seconds;
}

void Metrics::CountRun(const std::string& status) {
    std::lock_guard<std::mutex> lock(mu_);
    ++runs_[status];
}

void Metrics::CountQualityFailures(int64_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    quality_failures_ += static_cast<uint64_t>(n);
}

std::string Metrics::Render() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::ostringstream out;
    out << "# HELP tessera_http_requests_total HTTP requests answered, by route template and status.\n"
        << "# TYPE tessera_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
        const auto& [method, route, status] = key;
        out << "tessera_http_requests_total{method=\"" << method << "\",route=\"" << EscapeLabel(route)
            << "\",status=\"" << status << "\"} " << n << "\n";
    }
    out << "# HELP tessera_http_request_duration_seconds Time to answer a request, by route template.\n"
        << "# TYPE tessera_http_request_duration_seconds histogram\n";
    for (const auto& [key, h] : latency_) {
        std::string labels = "method=\"" + key.first + "\",route=\"" + EscapeLabel(key.second) + "\"";
        uint64_t cumulative = 0;
        for (size_t i = 0; i < kBuckets.size(); ++i) {
            cumulative += h.buckets[i];
            char le[32];
            std::snprintf(le, sizeof le, "%g", kBuckets[i]);
            out << "tessera_http_request_duration_seconds_bucket{" << labels << ",le=\"" << le << "\"} " << cumulative
                << "\n";
        }
        out << "tessera_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << h.count << "\n";
        out << "tessera_http_request_duration_seconds_sum{" << labels << "} " << h.sum << "\n";
        out << "tessera_http_request_duration_seconds_count{" << labels << "} " << h.count << "\n";
    }
    out << "# HELP tessera_runs_total Product runs finished by this server, by outcome.\n"
        << "# TYPE tessera_runs_total counter\n";
    for (const auto& [status, n] : runs_) out << "tessera_runs_total{status=\"" << status << "\"} " << n << "\n";
    out << "# HELP tessera_quality_check_failures_total Quality checks that failed in runs of this server.\n"
        << "# TYPE tessera_quality_check_failures_total counter\n"
        << "tessera_quality_check_failures_total " << quality_failures_ << "\n";
    return out.str();
}

}  // namespace tessera::server::internal
