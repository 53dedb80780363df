#include "governance/properties.h"

namespace tessera::governance {

std::string_view PropertyName(Property p) {
    switch (p) {
        case Property::kDiscoverable: return "discoverable";
        case Property::kAddressable: return "addressable";
        case Property::kTrustworthy: return "trustworthy";
        case Property::kSelfDescribing: return "self-describing";
        case Property::kInteroperable: return "interoperable";
        case Property::kSecure: return "secure";
    }
    return "";
}

std::optional<Property> ParseProperty(std::string_view name) {
    for (Property p : kAllProperties) {
        if (PropertyName(p) == name) return p;
    }
    return std::nullopt;
}

}  // namespace tessera::governance
