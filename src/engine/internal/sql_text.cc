#include "engine/internal/sql_text.h"

#include <cctype>

namespace tessera::engine::internal {

namespace {
std::string Quote(std::string_view s, char q) {
    std::string out(1, q);
    for (char c : s) {
        out += c;
        if (c == q) out += q;
    }
    out += q;
    return out;
}
}  // namespace

std::string QuoteIdent(std::string_view name) { return Quote(name, '"'); }
std::string QuoteLiteral(std::string_view text) { return Quote(text, '\''); }

std::string ReadFiles(model::DataFormat format, const std::string& glob) {
    switch (format) {
        case model::DataFormat::kParquet: return "read_parquet(" + QuoteLiteral(glob) + ")";
        case model::DataFormat::kCsv: return "read_csv(" + QuoteLiteral(glob) + ", auto_detect = true)";
        case model::DataFormat::kJson: return "read_json_auto(" + QuoteLiteral(glob) + ")";
    }
    return "";
}

std::string WithoutTrailingSemicolons(std::string_view sql) {
    while (!sql.empty() && (std::isspace(static_cast<unsigned char>(sql.back())) || sql.back() == ';')) {
        sql.remove_suffix(1);
    }
    return std::string(sql);
}

Result<std::string> SerializeSql(Connection& con, std::string_view sql) {
    TESSERA_ASSIGN_OR_RETURN(auto r, con.Query("SELECT json_serialize_sql(" + QuoteLiteral(sql) + ")"));
    return std::string(r.Cell(0, 0));
}

std::string FileExtension(model::DataFormat format) { return std::string(model::DataFormatName(format)); }

}  // namespace tessera::engine::internal
