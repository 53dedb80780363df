#pragma once

// The CLI's remote mode: with `--server URL` (or $TESSERA_SERVER) and `--token` (or
// $TESSERA_TOKEN), commands read and write through the server's /api/v1 instead of a local
// catalog, and print exactly what they print locally (docs/cli.md lists the local-only ones).

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/result.h"
#include "spec/descriptor.h"

namespace httplib {
class Client;
}

namespace tessera::cli {

class RemoteCatalog {
public:
    RemoteCatalog(const std::string& url, const std::string& token);
    ~RemoteCatalog();

    // GET of a JSON route. A problem answer becomes a Status with the code of its `type`;
    // kUnavailable when the server cannot be reached.
    Result<nlohmann::ordered_json> Get(const std::string& path);
    // Every item of a paged list route (following next_cursor).
    Result<std::vector<nlohmann::ordered_json>> GetAll(const std::string& path);
    // POST / PUT with a body; `headers` are extra request headers. `raw` receives the body when
    // the answer is not JSON (query results).
    Result<nlohmann::ordered_json> Send(const std::string& method, const std::string& path, const std::string& body,
                                        const std::string& content_type,
                                        const std::vector<std::pair<std::string, std::string>>& headers = {},
                                        std::string* raw = nullptr);

    // A descriptor from the API (its `status` block removed), decoded.
    static Result<spec::Entity> Decode(const nlohmann::ordered_json& document);
    // The files of a loaded batch as the server's apply bundle (descriptors with their SQL files).
    static Result<std::string> Bundle(const spec::Batch& batch);

    const std::string& url() const { return url_; }
    // The problem document of the last request the server refused (null after a success): its
    // extension members (e.g. the governance review of a refused apply) for printing.
    const nlohmann::ordered_json& last_problem() const { return last_problem_; }

private:
    Result<nlohmann::ordered_json> Answer(int status, const std::string& body, const std::string& content_type,
                                          std::string* raw);
    std::string url_;
    std::string token_;
    std::unique_ptr<httplib::Client> client_;
    nlohmann::ordered_json last_problem_;
};

// A Status from a problem document (its `type` slug), for exit codes that match local mode.
Status StatusFromProblem(const nlohmann::ordered_json& problem);

// The REST path of the product any spelling of `name` addresses (model::Address; a port's address
// gives its product): "/api/v1/domains/d/products/p"; "" when `name` is not a product address.
std::string ProductPath(const std::string& name);
// Percent-encodes a query parameter value.
std::string UrlEncode(const std::string& value);

}  // namespace tessera::cli

namespace tessera::cli {

// A plan as the server's apply answers it.
Result<catalog::Plan> PlanFromJson(const nlohmann::ordered_json& j);

}  // namespace tessera::cli
