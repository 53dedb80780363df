#include "engine/freshness.h"

#include <algorithm>
#include <map>

namespace tessera::engine {

Result<std::vector<ProductState>> ProductStates(catalog::Catalog& catalog, std::time_t now) {
    TESSERA_ASSIGN_OR_RETURN(auto products, catalog.Products());
    TESSERA_ASSIGN_OR_RETURN(auto summaries, catalog.RunSummaries());  // one read for every product
    std::map<std::string, store::RunSummary> by_product;
    for (auto& s : summaries) by_product[s.product] = std::move(s);
    std::vector<ProductState> out;
    const int64_t now_ms = static_cast<int64_t>(now) * 1000;
    for (const auto& p : products) {
        ProductState s;
        s.product = p.FullName();
        for (const auto& o : p.outputs) {
            int64_t sla = o.sla.freshness_seconds * 1000;
            if (sla > 0 && (s.sla_ms == 0 || sla < s.sla_ms)) s.sla_ms = sla;
        }
        auto found = by_product.find(s.product);
        int64_t newest = 0;
        if (found != by_product.end()) {
            s.last_run_status = found->second.last_status;
            s.last_error = found->second.last_error;
            s.last_success_ms = found->second.last_success_ms;
            newest = found->second.newest_snapshot_ms;
        }
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
