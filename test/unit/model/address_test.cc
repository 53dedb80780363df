#include <gtest/gtest.h>

#include "model/address.h"

namespace tessera::model {
namespace {

TEST(Address, EverySpellingOfAPortParsesToTheSameAddress) {
    const Address want{"orders", "order_facts", "daily"};
    for (const char* text : {"orders.order_facts.daily", "urn:tessera:orders:order_facts:daily",
                             "/api/v1/domains/orders/products/order_facts/ports/daily",
                             "/api/v1/domains/orders/products/order_facts/ports/daily/",
                             "http://127.0.0.1:8080/api/v1/domains/orders/products/order_facts/ports/daily"}) {
        auto a = Address::Parse(text);
        ASSERT_TRUE(a.ok()) << text << ": " << a.status().message();
        EXPECT_EQ(*a, want) << text;
    }
}

TEST(Address, PrintsEachSpellingAndParsesItBack) {
    for (const Address& a : {Address{"orders", "", ""}, Address{"orders", "order_facts", ""},
                             Address{"orders", "order_facts", "daily"}}) {
        for (const std::string& text : {a.ToName(), a.ToUrn(), a.ToRestPath()}) {
            auto back = Address::Parse(text);
            ASSERT_TRUE(back.ok()) << text << ": " << back.status().message();
            EXPECT_EQ(*back, a) << text;
        }
    }
    Address port{"orders", "order_facts", "daily"};
    EXPECT_EQ(port.ToName(), "orders.order_facts.daily");
    EXPECT_EQ(port.ToUrn(), "urn:tessera:orders:order_facts:daily");
    EXPECT_EQ(port.ToRestPath(), "/api/v1/domains/orders/products/order_facts/ports/daily");
    EXPECT_EQ(port.ToSqlName(), "orders.order_facts__daily");
    EXPECT_EQ(port.ProductName(), "orders.order_facts");
    EXPECT_EQ(port.Product().ToSqlName(), "orders.order_facts");
    EXPECT_EQ((Address{"orders", "", ""}.ToRestPath()), "/api/v1/domains/orders");
}

TEST(Address, RefusesWhatIsNoAddressAndSaysWhichPart) {
    struct Case {
        const char* text;
        const char* says;
    };
    for (const Case& c : {Case{"", "the domain \"\" is not lower snake case"},
                          Case{"Orders.order_facts", "the domain \"Orders\" is not lower snake case"},
                          Case{"orders.order-facts", "the product \"order-facts\""},
                          Case{"a.b.c.d", "expected 1 to 3 parts"},
                          Case{"urn:tessera:orders:", "the product \"\""},
                          Case{"/api/v1/domains/orders/ports/x", "ends at"},
                          Case{"/api/v1/domains/orders/products", "ends at"},
                          Case{"https://host/other/path", "a URL must have the path"}}) {
        auto a = Address::Parse(c.text);
        ASSERT_FALSE(a.ok()) << c.text;
        EXPECT_NE(a.status().message().find(c.says), std::string::npos) << a.status().message();
        EXPECT_NE(a.status().message().find("urn:tessera:domain:product[:port]"), std::string::npos);
    }
}

}  // namespace
}  // namespace tessera::model
