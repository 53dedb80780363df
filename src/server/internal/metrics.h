#pragma once

// The server's Prometheus metrics: requests by route and status, a latency histogram per route,
// runs by status and quality check failures. Catalog sizes are gauges computed when scraped (the
// caller appends them). Thread-safe: every method may be called from any request thread.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace tessera::server::internal {

class Metrics {
public:
    // One finished request: `route` is the route's template ("/api/v1/domains/{domain}").
    void ObserveRequest(const std::string& method, const std::string& route, int status, double seconds);
    void CountRun(const std::string& status);
    void CountQualityFailures(int64_t n);

    // Prometheus text exposition format 0.0.4 of everything counted so far.
    std::string Render() const;

    // Upper bounds of the latency buckets, in seconds.
    static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,   0.1,   0.25,   0.5,   1,    5};

private:
    struct Histogram {
        std::array<uint64_t, kBuckets.size()> buckets{};  // not cumulative; summed when rendered
        uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mu_;
    std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;  // method, route, status
    std::map<std::pair<std::string, std::string>, Histogram> latency_;        // method, route
    std::map<std::string, uint64_t> runs_;
    uint64_t quality_failures_ = 0;
};

// `value` with `\`, `"` and newlines escaped for a label.
std::string EscapeLabel(const std::string& value);

}  // namespace tessera::server::internal
