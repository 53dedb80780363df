#include "model/address.h"

#include <vector>

#include "model/mesh.h"

namespace tessera::model {
namespace {

constexpr std::string_view kUrnPrefix = "urn:tessera:";
constexpr std::string_view kRestPrefix = "/api/v1/domains/";

std::vector<std::string> Split(std::string_view text, char sep) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (;;) {
        size_t end = text.find(sep, start);
        parts.emplace_back(text.substr(start, end == std::string_view::npos ? text.npos : end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

Status Invalid(std::string_view text, const std::string& why) {
    return InvalidArgument("\"" + std::string(text) + "\" is not an address: " + why +
                           "; expected domain.product[.port], urn:tessera:domain:product[:port] or "
                           "/api/v1/domains/domain/products/product[/ports/port]");
}

Result<Address> FromParts(std::string_view text, const std::vector<std::string>& parts) {
    static const char* kWhat[] = {"domain", "product", "port"};
    if (parts.empty() || parts.size() > 3) return Invalid(text, "expected 1 to 3 parts");
    for (size_t i = 0; i < parts.size(); ++i) {
        if (!IsLowerSnakeCase(parts[i])) {
            return Invalid(text, std::string("the ") + kWhat[i] + " \"" + parts[i] +
                                         "\" is not lower snake case");
        }
    }
    Address a;
    a.domain = parts[0];
    if (parts.size() > 1) a.product = parts[1];
    if (parts.size() > 2) a.port = parts[2];
    return a;
}

}  // namespace

bool LooksLikeAddress(std::string_view text) {
    return text.substr(0, kUrnPrefix.size()) == kUrnPrefix || text.find(kRestPrefix) != text.npos;
}

Result<Address> Address::Parse(std::string_view text) {
    if (text.substr(0, kUrnPrefix.size()) == kUrnPrefix) {
        return FromParts(text, Split(text.substr(kUrnPrefix.size()), ':'));
    }
    std::string_view path = text;
    for (std::string_view scheme : {"http://", "https://"}) {
        if (path.substr(0, scheme.size()) == scheme) {
            size_t slash = path.find('/', scheme.size());
            path = slash == path.npos ? std::string_view() : path.substr(slash);
        }
    }
    if (path.substr(0, kRestPrefix.size()) == kRestPrefix) {
        std::string_view rest = path.substr(kRestPrefix.size());
        if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
        std::vector<std::string> segments = Split(rest, '/');
        // domain [products product [ports port]]
        std::vector<std::string> parts{segments[0]};
        static const char* kCollections[] = {"products", "ports"};
        for (size_t i = 1; i < segments.size(); i += 2) {
            size_t level = i / 2;
            if (level >= 2 || segments[i] != kCollections[level] || i + 1 >= segments.size()) {
                return Invalid(text, "a REST path of a domain, product or port ends at "
                                     "/domains/D, /products/P or /ports/X");
            }
            parts.push_back(segments[i + 1]);
        }
        return FromParts(text, parts);
    }
    if (path.data() != text.data()) return Invalid(text, "a URL must have the path /api/v1/domains/…");
    return FromParts(text, Split(text, '.'));
}

std::string Address::ToName() const {
    std::string out = domain;
    if (!product.empty()) out += "." + product;
    if (!port.empty()) out += "." + port;
    return out;
}

std::string Address::ProductName() const { return product.empty() ? "" : domain + "." + product; }

std::string Address::ToUrn() const {
    std::string out = std::string(kUrnPrefix) + domain;
    if (!product.empty()) out += ":" + product;
    if (!port.empty()) out += ":" + port;
    return out;
}

std::string Address::ToRestPath() const {
    std::string out = std::string(kRestPrefix) + domain;
    if (!product.empty()) out += "/products/" + product;
    if (!port.empty()) out += "/ports/" + port;
    return out;
}

std::string Address::ToSqlName() const {
    if (product.empty()) return "";
    return domain + "." + product + (port.empty() ? "" : "__" + port);
}

}  // namespace tessera::model
