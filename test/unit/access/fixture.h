#pragma once

// A catalog with one domain (`orders`, a product with a masked column) and a second domain
// (`users`), and an AccessControl over it whose clock the test moves.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "access/access.h"
#include "catalog/catalog.h"
#include "spec/descriptor.h"

namespace tessera::access {

inline const std::string kMesh = R"(apiVersion: tessera/v1
kind: Domain
metadata: {name: orders}
spec: {owner: orders_core}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: orders_core}
spec: {domain: orders}
---
apiVersion: tessera/v1
kind: Domain
metadata: {name: users}
spec: {owner: users_core}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: users_core}
spec: {domain: users}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: order_facts, owner: orders_core}
spec:
  inputs: [{name: raw, source: shop, path: data/*.csv}]
  outputs:
    - name: daily
      columns:
        - {name: order_id, type: BIGINT}
        - {name: amount, type: DOUBLE}
        - {name: email, type: VARCHAR, classification: pii, mask: hash}
)";

constexpr int64_t kT0 = 1'800'000'000'000;  // 2027-01-15, the tests' "now"

class AccessTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("tessera_access_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        {
            auto c = catalog::Catalog::Open(CatalogPath());
            ASSERT_TRUE(c.ok()) << c.status().ToString();
            auto loaded = spec::LoadText(kMesh, "mesh.yaml", ".");
            ASSERT_TRUE(loaded.diagnostics.empty()) << loaded.diagnostics[0].ToString();
            auto applied = (*c)->Apply(loaded.batch, {"setup", "mesh", std::nullopt});
            ASSERT_TRUE(applied.ok()) << applied.status().ToString();
        }
        Reopen({});
    }
    void TearDown() override {
        ac_.reset();
        std::filesystem::remove_all(dir_);
    }
    void Reopen(AccessConfig config) {
        config.clock = [this] { return now_ms_; };
        ac_.reset();
        auto ac = AccessControl::Open(CatalogPath(), std::move(config));
        ASSERT_TRUE(ac.ok()) << ac.status().ToString();
        ac_ = std::move(ac).value();
    }
    std::string CatalogPath() const { return (dir_ / "catalog.db").string(); }

    Principal Local(const std::string& user) {
        auto p = ac_->LocalPrincipal(user);
        EXPECT_TRUE(p.ok()) << p.status().ToString();
        return p.ok() ? *p : Principal{};
    }
    // admin "root", owner "olga" of orders, developer "dev" of orders, consumer "carl".
    void Secure() {
        ASSERT_TRUE(ac_->BootstrapAdmin("root").ok());
        Principal root = Local("root");
        ASSERT_TRUE(ac_->GrantRole(root, {Role::kOwner, "orders", "olga"}).ok());
        ASSERT_TRUE(ac_->GrantRole(root, {Role::kDeveloper, "orders", "dev"}).ok());
    }

    std::filesystem::path dir_;
    int64_t now_ms_ = kT0;
    std::unique_ptr<AccessControl> ac_;
};

}  // namespace tessera::access
