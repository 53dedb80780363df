#pragma once

// Catalogs for request threads. A `catalog::Catalog` is used from one thread at a time, so each
// request leases one from the pool and gives it back when done; the pool opens a new one when
// all are leased (SQLite in WAL mode lets them read concurrently; writers are serialised by the
// database). Thread-safe.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/result.h"

namespace tessera::server::internal {

class CatalogPool {
public:
    explicit CatalogPool(std::string path) : path_(std::move(path)) {}

    // A catalog for the caller's exclusive use until the lease is destroyed.
    class Lease {
    public:
        Lease(CatalogPool* pool, std::unique_ptr<catalog::Catalog> cat) : pool_(pool), cat_(std::move(cat)) {}
        Lease(Lease&& o) noexcept = default;
        Lease& operator=(Lease&&) = delete;
        ~Lease() {
            if (cat_) pool_->Return(std::move(cat_));
        }
        catalog::Catalog& operator*() const { return *cat_; }
        catalog::Catalog* operator->() const { return cat_.get(); }

    private:
        CatalogPool* pool_;
        std::unique_ptr<catalog::Catalog> cat_;
    };

    // kUnavailable when the catalog cannot be opened.
    Result<Lease> Acquire();
    const std::string& path() const { return path_; }

private:
    void Return(std::unique_ptr<catalog::Catalog> cat);

    std::string path_;
    std::mutex mu_;
    std::vector<std::unique_ptr<catalog::Catalog>> idle_;  // guarded by mu_
};

}  // namespace tessera::server::internal
