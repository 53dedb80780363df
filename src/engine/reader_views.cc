#include "engine/reader_views.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "common/text.h"
#include "engine/internal/duckdb.h"
#include "engine/internal/sql_text.h"

namespace tessera::engine {

namespace fs = std::filesystem;
using internal::QuoteIdent;
using internal::QuoteLiteral;

namespace {

// The keyed hash of `mask: hash`, registered only in the trusted DuckDB that writes reader files.
constexpr const char* kMaskHash = "tessera_mask_hash";
// Bump when the content of reader files changes, so that older ones are not reused.
constexpr const char* kReaderFileFormat = "tessera reader file 1";

std::string Hex(const unsigned char* bytes, size_t n) {
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < n; ++i) {
        out += kHex[bytes[i] >> 4];
        out += kHex[bytes[i] & 15];
    }
    return out;
}

// The name of a reader file: keyed by the mask key, so that a reader cannot tell one shape's
// file from another's by name, and a new key makes new files.
std::string ShapeId(const std::string& key, const std::string& shape) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(shape.data()),
         shape.size(), mac, &len);
    return Hex(mac, std::min<unsigned int>(len, 16));
}

std::string MaskedExpression(const model::Column& c) {
    std::string col = QuoteIdent(c.name);
    switch (c.mask) {
        case model::Mask::kHash: return std::string(kMaskHash) + "(CAST(" + col + " AS VARCHAR)) AS " + col;
        case model::Mask::kRedact: return "CASE WHEN " + col + " IS NULL THEN NULL ELSE '***' END AS " + col;
        case model::Mask::kNull: return "CAST(NULL AS " + c.type + ") AS " + col;
        case model::Mask::kNone: break;
    }
    return col;
}

std::string ParquetList(const std::vector<std::string>& files) {
    std::vector<std::string> quoted;
    for (const auto& f : files) quoted.push_back(QuoteLiteral(f));
    return "read_parquet([" + text::Join(quoted, ", ") + "])";
}

}  // namespace

struct ReaderViews::State {
    internal::Database db;
    internal::Connection con;
};

ReaderViews::ReaderViews(catalog::Catalog& catalog, ReaderViewsConfig config, const AccessPolicy& policy,
                         std::string reader, std::string mask_key)
    : catalog_(catalog),
      config_(std::move(config)),
      policy_(policy),
      reader_(std::move(reader)),
      mask_key_(std::move(mask_key)) {
    std::error_code ec;
    config_.data_dir = fs::weakly_canonical(fs::absolute(config_.data_dir, ec), ec).string();
}

ReaderViews::~ReaderViews() = default;

Result<ReaderView> ReaderViews::View(const std::string& schema, const std::string& table) {
    // product[__port][@vN]
    std::string name = table;
    int64_t version = 0;
    if (auto at = name.find("@v"); at != std::string::npos) {
        version = std::atoll(name.c_str() + at + 2);
        name = name.substr(0, at);
    }
    std::string port;
    if (auto sep = name.find("__"); sep != std::string::npos) {
        port = name.substr(sep + 2);
        name = name.substr(0, sep);
    }
    std::string product_name = schema + "." + name;
    TESSERA_ASSIGN_OR_RETURN(auto found, catalog_.Find(product_name));
    if (!std::holds_alternative<model::DataProduct>(found.entity)) {
        return InvalidArgument("\"" + product_name + "\" is not a data product");
    }
    TESSERA_RETURN_IF_ERROR(policy_.CanRead(reader_, product_name));
    const auto& product = std::get<model::DataProduct>(found.entity);
    if (port.empty()) {
        if (product.outputs.size() > 1) {
            std::vector<std::string> names;
            for (const auto& o : product.outputs) names.push_back(product_name + "__" + o.name);
            return InvalidArgument(product_name + " has several output ports: name one of " + text::Join(names, ", "));
        }
        port = product.outputs.front().name;
    }
    const model::OutputPort* decl = nullptr;
    for (const auto& o : product.outputs) {
        if (o.name == port) decl = &o;
    }
    if (!decl) return InvalidArgument(product_name + " has no output port \"" + port + "\"");
    TESSERA_ASSIGN_OR_RETURN(auto snaps, catalog_.Snapshots(product_name, port));
    const store::SnapshotRecord* snap = nullptr;
    for (const auto& s : snaps) {
        if ((version == 0 && !snap) || s.version == version) snap = &s;
    }
    if (!snap) {
        if (version) {
            std::vector<std::string> kept;
            for (const auto& s : snaps) kept.push_back("v" + std::to_string(s.version));
            return InvalidArgument(product_name + "." + port + " has no snapshot v" + std::to_string(version) +
                                   (kept.empty() ? "" : " (kept: " + text::Join(kept, ", ") + ")"));
        }
        return FailedPrecondition(product_name + " has no published snapshot yet: run it first (tessera run " +
                                  product_name + ")");
    }

    ReaderView view{schema, table, product_name, port, snap->version, "", {}, {}};
    // What this reader sees of each declared column: absent, in clear, or masked.
    std::vector<std::string> exprs, clear_names;
    std::string shape = std::string(kReaderFileFormat) + "\n" + snap->path + "\n";
    bool all_clear = true;
    for (const auto& c : decl->columns) {
        if (!policy_.ColumnVisible(reader_, product_name, c.name)) {
            all_clear = false;
            continue;
        }
        bool clear = c.mask == model::Mask::kNone || policy_.Unmasked(reader_, product_name, c.name);
        all_clear = all_clear && clear;
        exprs.push_back(clear ? QuoteIdent(c.name) : MaskedExpression(c));
        clear_names.push_back(QuoteIdent(c.name));
        view.columns.push_back(c.name);
        shape += c.name + "\t" + (clear ? "clear" : std::string(model::MaskName(c.mask))) + "\t" + c.type + "\n";
    }
    if (exprs.empty()) {
        return Status(StatusCode::kPermissionDenied, reader_ + " may see no column of " + product_name);
    }

    const fs::path dir = fs::path(config_.data_dir) / snap->path;
    const std::string ext = internal::FileExtension(decl->format);
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.is_regular_file(ec) && entry.path().extension() == "." + ext) files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        return Unavailable("the snapshot v" + std::to_string(snap->version) + " of " + product_name + "." + port +
                           " has no ." + ext + " file in " + dir.string() + ": run the product again");
    }
    if (!state_) {
        internal::ConfigOptions options;
        if (config_.threads > 0) options.push_back({"threads", std::to_string(config_.threads)});
        if (!config_.memory_limit.empty()) options.push_back({"memory_limit", config_.memory_limit});
        options.push_back({"autoinstall_known_extensions", "false"});
        options.push_back({"autoload_known_extensions", "false"});
        TESSERA_ASSIGN_OR_RETURN(internal::Database db, internal::Database::Open("", options));
        TESSERA_ASSIGN_OR_RETURN(internal::Connection con, db.Connect());
        TESSERA_RETURN_IF_ERROR(con.RegisterKeyedHash(kMaskHash, mask_key_));
        state_ = std::make_unique<State>(State{std::move(db), std::move(con)});
    }
    internal::Connection& con = state_->con;

    // Everything in clear: the snapshot's own files, when they hold exactly the declared columns
    // (an older snapshot may hold a column the contract has since dropped).
    if (all_clear && decl->format == model::DataFormat::kParquet) {
        TESSERA_ASSIGN_OR_RETURN(auto described, con.Query("DESCRIBE SELECT * FROM " + ParquetList(files)));
        std::set<std::string> in_files, declared;
        for (size_t r = 0; r < described.row_count(); ++r) in_files.insert(text::Lower(std::string(described.Cell(r, 0))));
        for (const auto& c : decl->columns) declared.insert(text::Lower(c.name));
        if (in_files == declared) {
            view.select = "SELECT " + text::Join(clear_names, ", ") + " FROM " + ParquetList(files);
            view.files = files;
            return view;
        }
    }

    // Anything else: this shape's reader file, written once.
    const fs::path readers = dir / ".readers";
    const fs::path file = readers / (ShapeId(mask_key_, shape) + ".parquet");
    if (!fs::exists(file, ec)) {
        fs::create_directories(readers, ec);
        unsigned char random[8];
        if (RAND_bytes(random, sizeof(random)) != 1) return Internal("no random bytes for a temporary file name");
        const fs::path tmp = readers / (".tmp-" + Hex(random, sizeof(random)) + ".parquet");
        std::string source = decl->format == model::DataFormat::kParquet
                                     ? ParquetList(files)
                                     : internal::ReadFiles(decl->format, (dir / ("*." + ext)).string());
        Status written = con.Execute("COPY (SELECT " + text::Join(exprs, ", ") + " FROM " + source + ") TO " +
                                     QuoteLiteral(tmp.string()) + " (FORMAT parquet, COMPRESSION zstd)");
        if (written.ok()) {
            fs::rename(tmp, file, ec);
            if (ec) written = Unavailable(ec.message());
        }
        if (!written.ok()) {
            fs::remove(tmp, ec);
            return Unavailable("cannot write the reader file of " + product_name + "." + port + " v" +
                               std::to_string(snap->version) + " in " + readers.string() + ": " + written.message());
        }
    }
    view.select = "SELECT * FROM " + ParquetList({file.string()});
    view.files = {file.string()};
    return view;
}

}  // namespace tessera::engine
