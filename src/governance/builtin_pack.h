#pragma once

// The built-in policy pack: the mesh's shared conventions as Policy descriptors, one file each,
// that `tessera init workspace` writes into `policies/` to be edited like any descriptor. Each
// rule names the product properties it protects (docs/governance.md has the table).
//
//   for (const auto& rule : governance::BuiltinPack()) Write("policies/" + rule.file, rule.yaml);

#include <string>
#include <vector>

namespace tessera::governance {

struct PackRule {
    std::string file;  // e.g. "names_lower_snake_case.yaml"
    std::string yaml;  // one Policy descriptor, state warn
};

const std::vector<PackRule>& BuiltinPack();

}  // namespace tessera::governance
