#pragma once

// The official JSON Schemas of the standards, built into the binary from the standards'
// repositories (CMake reads them from TESSERA_STANDARDS_DIR at configure time; see
// docs/interop.md). Names are paths relative to that folder, e.g.
// "odcs/odcs-json-schema-v3.1.0.json". A schema that was absent at build time is not listed.

#include <cstddef>

namespace tessera::spec::internal {

struct EmbeddedSchema {
    const char* name;
    const char* text;
};

extern const EmbeddedSchema kStandardSchemas[];
extern const size_t kStandardSchemaCount;

}  // namespace tessera::spec::internal
