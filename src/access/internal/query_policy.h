#pragma once

// The data plane's view of one principal's rights: an immutable snapshot, safe to share.

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "access/access.h"

namespace tessera::engine {
class AccessPolicy;
}

namespace tessera::access::internal {

struct ReaderRights {
    std::string user;
    bool read_all_masked = false;          // admins, and everyone while access control is open
    std::set<std::string> team_domains;    // owner / developer: read unmasked
    std::vector<Grant> grants;             // active grants of the user
    std::string mask_key;                  // the catalog's key of `mask: hash`
};

std::unique_ptr<engine::AccessPolicy> MakeQueryPolicy(ReaderRights rights);

}  // namespace tessera::access::internal
