#pragma once

// Who may write a batch of descriptors: the one decision that every door taking descriptors
// (`POST /api/v1/apply`, `POST`/`PUT /api/v1/domains/{d}/products[/{p}]`, the local
// `tessera apply`) takes before it writes, so that no door can skip a kind of document.
//
//   TESSERA_ASSIGN_OR_RETURN(catalog::Plan plan, cat->MakePlan(batch));
//   TESSERA_RETURN_IF_ERROR(access::AuthorizeBatch(*ac, who, *cat, batch, plan));
//   cat->Apply(batch, {.expected_revision = plan.base_revision});
//
// The rules, one per kind of document, are the table "What an apply may change" of
// docs/access.md.

#include "access/access.h"
#include "catalog/catalog.h"
#include "common/status.h"
#include "spec/descriptor.h"

namespace tessera::access {

// OK when `who` may write every entity `plan` creates or updates (unchanged entities need no
// right; `plan` is `cat.MakePlan(batch)`):
//   - a Domain: `write-domain` of it;
//   - a Team: `write-domain` of its domain and, when it moves, of the domain it leaves (a team of
//     no domain: `admin`);
//   - a DataProduct: `write-domain` of its domain (a product's domain is part of its name);
//   - a Policy: `manage-policies` of its scope and, when its scope moves, of the scope it leaves
//     (a global policy: governance or admin; a domain's policy: also that domain's owners); and
//     the policy is neither in state `enforce` nor enforced in the catalog: an enforced rule
//     changes only through `tessera policy propose` / `policy enforce` (docs/governance.md).
// While access control is open (no admin bound) everything is allowed. Refusals are audited:
// kUnauthenticated (anonymous), kPermissionDenied naming the missing role, or
// kFailedPrecondition for a policy that apply may not move to or from `enforce`.
Status AuthorizeBatch(AccessControl& ac, const Principal& who, catalog::Catalog& cat, const spec::Batch& batch,
                      const catalog::Plan& plan);

}  // namespace tessera::access
