#include "engine/profile.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace tessera::engine {
namespace {

namespace fs = std::filesystem;

class Profile : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("tessera-profile-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string Write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name) << text;
        return (dir_ / name).string();
    }
    fs::path dir_;
};

nlohmann::json Ext(const model::Extensions& ext, const std::string& key) {
    for (const auto& e : ext) {
        if (e.key == key)
            return nlohmann::json::parse(e.json);
    }
    return nullptr;
}

TEST_F(Profile, InfersTypesCountsAndSuggestsChecksTheDataPasses) {
    Write("a.csv", "id,status,amount,note\n1,open,10.5,\n2,open,3,x\n3,closed,7.25,\n4,open,1,y\n");
    Write("b.csv", "id,status,amount,note\n5,closed,2,\n6,open,8,z\n");
    auto p = ProfileFiles((dir_ / "*.csv").string());
    ASSERT_TRUE(p.ok()) << p.status().message();
    EXPECT_EQ(p->files, 2);
    EXPECT_EQ(p->rows, 6);
    ASSERT_EQ(p->columns.size(), 4u);
    EXPECT_EQ(p->columns[0].type, "BIGINT");
    EXPECT_EQ(p->columns[2].type, "DOUBLE");
    EXPECT_EQ(p->columns[3].nulls, 3);
    EXPECT_EQ(p->columns[1].values, (std::vector<std::string>{"closed", "open"}));

    model::OutputPort port = ProposePort(*p, "things");
    nlohmann::json id = Ext(port.columns[0].extensions, "x-suggested");
    EXPECT_EQ(id["required"], true);
    EXPECT_EQ(id["unique"], true);
    EXPECT_EQ(id["min"], 1);
    EXPECT_EQ(id["max"], 6);
    nlohmann::json status = Ext(port.columns[1].extensions, "x-suggested");
    EXPECT_EQ(status["accepted_values"], nlohmann::json({"closed", "open"}));
    EXPECT_FALSE(status.contains("unique"));
    nlohmann::json note = Ext(port.columns[3].extensions, "x-suggested");
    EXPECT_TRUE(note.is_null() || !note.contains("required"));
    EXPECT_EQ(Ext(port.columns[3].extensions, "x-profile")["null_share"], 0.5);
    // Suggestions are not enforced until the owner confirms them.
    EXPECT_FALSE(port.columns[0].required);
    EXPECT_FALSE(port.columns[0].unique);
    EXPECT_TRUE(port.quality.empty());
}

TEST_F(Profile, ReportsMissingFilesAndUnknownFormats) {
    auto none = ProfileFiles((dir_ / "*.csv").string());
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
    auto unknown = ProfileFiles((dir_ / "data.xlsx").string());
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
    Write("broken.parquet", "not parquet");
    auto broken = ProfileFiles((dir_ / "broken.parquet").string());
    ASSERT_FALSE(broken.ok());
    EXPECT_EQ(broken.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tessera::engine
