#include "engine/sql_parser.h"

#include "engine/internal/duckdb.h"
#include "engine/internal/sql_text.h"

namespace tessera::engine {

Result<std::string> ParseTree(const std::string& sql) {
    TESSERA_ASSIGN_OR_RETURN(internal::Database db, internal::Database::Open("", {{"threads", "1"}}));
    TESSERA_ASSIGN_OR_RETURN(internal::Connection con, db.Connect());
    return internal::SerializeSql(con, sql);
}

}  // namespace tessera::engine
