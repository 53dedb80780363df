// Where a descriptor's SQL files may be read from (spec::SqlFiles): issue 13, item 3.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "spec/descriptor.h"

namespace tessera::spec {
namespace {

namespace fs = std::filesystem;

class SqlFilesTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device rd;
        base_ = fs::temp_directory_path() / ("tessera-sqlfiles-" + std::to_string(rd()));
        fs::create_directories(base_ / "ws/domains/d/products");
        fs::create_directories(base_ / "ws/domains/d/sql");
        fs::create_directories(base_ / "outside");
        std::ofstream(base_ / "ws/domains/d/sql/x.sql") << "select 1";
        std::ofstream(base_ / "outside/secret.sql") << "select 'secret'";
        fs::create_symlink(base_ / "outside/secret.sql", base_ / "ws/domains/d/sql/link.sql");
        fs::create_directory_symlink(base_ / "outside", base_ / "ws/domains/d/sql/dir");
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(base_, ec);
    }
    SqlFiles Workspace() const {
        return SqlFiles::Workspace((base_ / "ws").string(), (base_ / "ws/domains/d/products").string());
    }
    fs::path base_;
};

TEST_F(SqlFilesTest, ReadsAFileRelativeToTheDescriptorInsideTheWorkspace) {
    auto text = Workspace().Read("../sql/x.sql");
    ASSERT_TRUE(text.ok()) << text.status().message();
    EXPECT_EQ(*text, "select 1");
}

TEST_F(SqlFilesTest, RefusesAnAbsolutePath) {
    auto text = Workspace().Read((base_ / "outside/secret.sql").string());
    ASSERT_FALSE(text.ok());
    EXPECT_EQ(text.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(text.status().message().find("found the absolute path"), std::string::npos);
}

TEST_F(SqlFilesTest, RefusesDotDotOutOfTheWorkspaceEvenWhenTheFileExists) {
    auto text = Workspace().Read("../../../../outside/secret.sql");
    ASSERT_FALSE(text.ok());
    EXPECT_NE(text.status().message().find("leads out of the workspace root"), std::string::npos);
    auto deep = Workspace().Read("../../../../../../../../../../../../etc/hostname");
    ASSERT_FALSE(deep.ok());
    EXPECT_EQ(deep.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SqlFilesTest, RefusesASymbolicLinkOutOfTheWorkspace) {
    for (const char* name : {"../sql/link.sql", "../sql/dir/secret.sql"}) {
        auto text = Workspace().Read(name);
        ASSERT_FALSE(text.ok()) << name;
        EXPECT_NE(text.status().message().find("symbolic link"), std::string::npos) << name;
    }
}

TEST_F(SqlFilesTest, AttachedFilesAreLookedUpByNameAndNeverOnDisk) {
    SqlFiles attached = SqlFiles::Attached({{"../sql/x.sql", "select 2"}});
    EXPECT_EQ(*attached.Read("../sql/x.sql"), "select 2");
    auto missing = attached.Read((base_ / "outside/secret.sql").string());
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
    EXPECT_FALSE(SqlFiles::None().Read("../sql/x.sql").ok());
}

TEST_F(SqlFilesTest, ALoadedDescriptorLocatesTheRefusalAtItsSqlField) {
    constexpr const char* kPolicy = R"yaml(apiVersion: tessera/v1
kind: Policy
metadata: {name: peek}
spec:
  state: warn
  sql: ../../../../outside/secret.sql
  message: "{x}"
)yaml";
    LoadReport r = LoadText(kPolicy, "p.yaml", Workspace());
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].at.line, 6);
    EXPECT_EQ(r.diagnostics[0].field, "spec.sql");
    EXPECT_TRUE(r.batch.policies.empty());
    LoadReport none = LoadText(kPolicy, "request", SqlFiles::None());
    ASSERT_EQ(none.diagnostics.size(), 1u);
    EXPECT_NE(none.diagnostics[0].message.find("cannot name a file"), std::string::npos);
}

}  // namespace
}  // namespace tessera::spec
