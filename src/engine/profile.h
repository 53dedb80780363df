#pragma once

// Profiles of data files, for onboarding a product from data it already has: the schema DuckDB
// infers (the same auto-detection a run uses to read source inputs), and per column its null
// share, distinct count, minimum and maximum; from them, quality checks to suggest to the owner.
//
//   TESSERA_ASSIGN_OR_RETURN(engine::DataProfile p, engine::ProfileFiles("data/orders/*.csv"));
//   model::OutputPort port = engine::ProposePort(p, "orders");
//   // port.columns carry the inferred types; suggestions sit in `x-suggested` extensions.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "model/mesh.h"

namespace tessera::engine {

struct ColumnProfile {
    std::string name;
    std::string type;  // as DuckDB infers it: BIGINT, VARCHAR, TIMESTAMP, DOUBLE…
    int64_t nulls = 0;
    int64_t distinct = 0;
    std::optional<std::string> min;  // as text; absent when every value is NULL
    std::optional<std::string> max;
    std::vector<std::string>
            values;  // every distinct value, when there are few (text columns only)
    double null_share(int64_t rows) const {
        return rows > 0 ? static_cast<double>(nulls) / rows : 0.0;
    }
};

struct DataProfile {
    std::string glob;
    model::DataFormat format = model::DataFormat::kCsv;
    int64_t files = 0;
    int64_t rows = 0;
    std::vector<ColumnProfile> columns;
};

// The format a path's extension names (.csv/.tsv, .parquet, .json/.jsonl/.ndjson), or nullopt.
std::optional<model::DataFormat> FormatOfPath(const std::string& path);

// Reads every file matching `glob` in an in-memory DuckDB and profiles it. kNotFound when no
// file matches; kInvalidArgument when the files cannot be read as `format` (DuckDB's message).
Result<DataProfile> ProfileFiles(const std::string& glob,
                                 std::optional<model::DataFormat> format = std::nullopt);

// An output port with the profile's columns and types. Nothing is enforced: the suggested
// checks (required where no value is NULL, unique where every value differs, accepted values for
// low-cardinality text, a range for numbers, a row count) and the profile itself go into
// `x-suggested` and `x-profile` extensions for the owner to confirm by moving them into fields.
model::OutputPort ProposePort(const DataProfile& profile, const std::string& port_name);

}  // namespace tessera::engine
