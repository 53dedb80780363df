#include "server/internal/catalog_pool.h"

namespace tessera::server::internal {

Result<CatalogPool::Lease> CatalogPool::Acquire() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (!idle_.empty()) {
            auto cat = std::move(idle_.back());
            idle_.pop_back();
            return Lease(this, std::move(cat));
        }
    }
    TESSERA_ASSIGN_OR_RETURN(auto cat, catalog::Catalog::Open(path_));
    return Lease(this, std::move(cat));
}

void CatalogPool::Return(std::unique_ptr<catalog::Catalog> cat) {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(std::move(cat));
}

}  // namespace tessera::server::internal
