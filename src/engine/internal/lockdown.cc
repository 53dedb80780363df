#include "engine/internal/lockdown.h"

#include "common/text.h"
#include "engine/internal/sql_text.h"

namespace tessera::engine::internal {

Status LockToFiles(Connection& con, const std::vector<std::string>& files) {
    std::vector<std::string> quoted;
    for (const auto& path : files) quoted.push_back(QuoteLiteral(path));
    TESSERA_RETURN_IF_ERROR(con.Execute("SET allowed_directories = []"));
    TESSERA_RETURN_IF_ERROR(con.Execute("SET allowed_paths = [" + text::Join(quoted, ", ") + "]"));
    TESSERA_RETURN_IF_ERROR(con.Execute("SET enable_external_access = false"));
    return con.Execute("SET lock_configuration = true");
}

}  // namespace tessera::engine::internal
