#pragma once

// What the identity and access commands share (token, role, access, audit, and query's --as):
// opening the access control of the catalog, the local caller, and times given on the command line.

#include <memory>
#include <optional>
#include <set>
#include <string>

#include "access/access.h"
#include "cli/context.h"
#include "governance/compat.h"

namespace tessera::cli {

// Opens the access control of the catalog (which must exist); prints the error and returns null.
std::unique_ptr<access::AccessControl> OpenAccessControl(Context& ctx);

// The local caller: `as_user`, or $TESSERA_USER / $USER when empty, with the roles bound to them.
// Prints the error and returns nothing on failure.
std::optional<access::Principal> LocalCaller(Context& ctx, access::AccessControl& ac, const std::string& as_user);

// Who holds active grants on a port, for the review of `plan` and `apply` (the consumers a breaking
// change hits); no function without a catalog file.
governance::GrantHoldersFn GrantHoldersOf(Context& ctx);

// True when this process's user owns the catalog file: the trust that bootstraps the first admin.
bool OwnsCatalogFiles(const Context& ctx);

// A time on the command line, as Unix ms: `2026-12-31` (the start of that day, UTC, or with
// `end_of_day` the start of the next), `2026-12-31T18:00Z`, `2026-12-31T18:00:00Z`, or a duration
// from now, `90m`, `12h`, `30d`, `2w` (`ago` subtracts it: for --since). kInvalidArgument naming
// `option` and the accepted forms.
Result<int64_t> ParseWhen(const std::string& option, const std::string& text, bool end_of_day, bool ago);

// The local caller of a command that writes, once checked.
struct LocalWriter {
    std::unique_ptr<access::AccessControl> ac;
    access::Principal me;
};

// Checks that the local caller (`as_user`, else $TESSERA_USER / $USER) may write every domain of
// `domains` (`write-domain`; "" stands for a platform-wide write such as a team of no domain, which
// needs admin). Open access control allows everything. Prints the refusal (exit 6) and returns
// nothing when one domain is refused.
std::optional<LocalWriter> AuthorizeWrites(Context& ctx, const std::string& as_user, const std::set<std::string>& domains);

// Checks that the local caller (`as_user`, else $TESSERA_USER / $USER) may do `action` in `domain`
// (`access::Allowed`, the table of docs/access.md; open access control allows everything). Prints
// the refusal (exit 6, audited) and returns nothing when refused.
std::optional<LocalWriter> AuthorizeLocal(Context& ctx, const std::string& as_user, access::Action action,
                                          const std::string& domain);

// Appends an audit line for a write that happened; a failure to log is a warning on stderr (the
// write is committed already).
void AuditWrite(LocalWriter& writer, const std::string& action, const std::string& target, const std::string& details);

void RegisterToken(CLI::App& app, Context& ctx);
void RegisterRole(CLI::App& app, Context& ctx);
void RegisterAccess(CLI::App& app, Context& ctx);
void RegisterAudit(CLI::App& app, Context& ctx);

}  // namespace tessera::cli
