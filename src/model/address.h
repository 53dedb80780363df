#pragma once

// The one address of a domain, a data product or an output port, and its four spellings
// (docs/concepts: "Names and addresses"):
//
//   auto a = model::Address::Parse("urn:tessera:orders:order_facts:daily");
//   a->ToName();      // "orders.order_facts.daily"
//   a->ToUrn();       // "urn:tessera:orders:order_facts:daily"
//   a->ToRestPath();  // "/api/v1/domains/orders/products/order_facts/ports/daily"
//   a->ToSqlName();   // "orders.order_facts__daily"
//
// Every command and route that takes an address reads it through `Parse`, so each spelling works
// everywhere. A value type; no I/O.

#include <string>
#include <string_view>

#include "common/result.h"

namespace tessera::model {

struct Address {
    std::string domain;
    std::string product;  // empty: the address of a domain
    std::string port;     // empty: the whole product

    // Reads any spelling: a name `domain[.product[.port]]`, a URN
    // `urn:tessera:domain[:product[:port]]`, or a REST path
    // `[http(s)://host]/api/v1/domains/domain[/products/product[/ports/port]]` (a trailing `/`
    // is ignored). Every part must be lower snake case. kInvalidArgument names the part that is
    // wrong and lists the spellings.
    static Result<Address> Parse(std::string_view text);

    bool IsDomain() const { return product.empty(); }
    bool HasPort() const { return !port.empty(); }
    // The product's own address (the port dropped).
    Address Product() const { return {domain, product, ""}; }

    std::string ToName() const;      // "orders", "orders.order_facts", "orders.order_facts.daily"
    std::string ProductName() const; // "orders.order_facts" (also for a port); "" for a domain
    std::string ToUrn() const;       // "urn:tessera:orders:order_facts:daily"
    std::string ToRestPath() const;  // "/api/v1/domains/orders/products/order_facts/ports/daily"
    // The SQL name a consumer queries: `domain.product`, or `domain.product__port` for one port
    // of a product that has several ("" for a domain).
    std::string ToSqlName() const;

    bool operator==(const Address&) const = default;
};

// True when `text` is spelled as a URN or a REST path (not as a plain name): such a text can only
// be an address, while a plain word may also name a team or a policy.
bool LooksLikeAddress(std::string_view text);

}  // namespace tessera::model
