#include "engine/freshness.h"

namespace tessera::engine {

Result<std::vector<ProductState>> ProductStates(catalog::Catalog& catalog, std::time_t now) {
    TESSERA_ASSIGN_OR_RETURN(auto products, catalog.Products());
    std::vector<ProductState> out;
    const int64_t now_ms = static_cast<int64_t>(now) * 1000;
    for (const auto& p : products) {
        ProductState s;
        s.product = p.FullName();
        for (const auto& o : p.outputs) {
            int64_t sla = o.sla.freshness_seconds * 1000;
            if (sla > 0 && (s.sla_ms == 0 || sla < s.sla_ms)) s.sla_ms = sla;
        }
        TESSERA_ASSIGN_OR_RETURN(auto runs, catalog.Runs(s.product, 100));
        for (const auto& r : runs) {
            if (r.status == "running") continue;
            if (s.last_run_status.empty()) {
                s.last_run_status = r.status;
                s.last_error = r.error;
            }
            if (r.status == "succeeded") {
                s.last_success_ms = r.finished_at_ms;
                break;
            }
        }
        TESSERA_ASSIGN_OR_RETURN(auto snaps, catalog.Snapshots(s.product));
        int64_t newest = 0;
        for (const auto& sn : snaps) newest = std::max(newest, sn.created_at_ms);
        if (newest) s.age_ms = std::max<int64_t>(0, now_ms - newest);
        if (s.last_run_status.empty() && !newest) s.state = "never run";
        else if (s.last_run_status != "succeeded" && !s.last_run_status.empty()) s.state = "failing";
        else if (s.sla_ms && s.age_ms > s.sla_ms) s.state = "stale";
        else s.state = "fresh";
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace tessera::engine
