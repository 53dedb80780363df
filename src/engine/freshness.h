#pragma once

// Freshness SLOs: for every product, its last successful run, the age of its current snapshots
// against the SLA, and one state.
//
//   TESSERA_ASSIGN_OR_RETURN(auto states, engine::ProductStates(catalog, std::time(nullptr)));

#include <ctime>
#include <string>
#include <vector>

#include "catalog/catalog.h"

namespace tessera::engine {

struct ProductState {
    std::string product;
    // fresh: published within its SLA (or it has none); stale: the newest snapshot is older than
    // the SLA's freshness; failing: the last run did not publish; never run.
    std::string state;
    int64_t last_success_ms = 0;   // 0: never
    int64_t age_ms = 0;            // of the newest snapshot
    int64_t sla_ms = 0;            // the strictest freshness among its ports; 0: none declared
    std::string last_run_status;   // "" when never run
    std::string last_error;
};

Result<std::vector<ProductState>> ProductStates(catalog::Catalog& catalog, std::time_t now);

}  // namespace tessera::engine
