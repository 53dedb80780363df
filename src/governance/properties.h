#pragma once

// The six properties a data product must have (DESIGN.md, step 1). Every policy says which of
// them it protects; scorecards are grouped by them.
//
//   auto p = governance::ParseProperty("trustworthy");  // Property::kTrustworthy
//   governance::PropertyName(*p);                       // "trustworthy"

#include <array>
#include <optional>
#include <string_view>

namespace tessera::governance {

enum class Property { kDiscoverable, kAddressable, kTrustworthy, kSelfDescribing, kInteroperable, kSecure };

inline constexpr std::array<Property, 6> kAllProperties = {
        Property::kDiscoverable, Property::kAddressable,   Property::kTrustworthy,
        Property::kSelfDescribing, Property::kInteroperable, Property::kSecure};

// "discoverable", "addressable", "trustworthy", "self-describing", "interoperable", "secure".
std::string_view PropertyName(Property p);

// The property named `name` (as PropertyName writes it), or nullopt.
std::optional<Property> ParseProperty(std::string_view name);

}  // namespace tessera::governance
