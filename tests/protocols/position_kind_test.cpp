#include <protocols/positions/position.hpp>
#include <protocols/positions/position_field.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

#include <set>

using namespace nftterm::protocols::positions;

/// Protocols, states and changed fields are enums whose text is the JSON and
/// CLI contract: the names users' scripts match on are checked here, written
/// out as the README documents them, and each parses back to its value.
class PositionKindTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void protocolNamesAreTheContract()
    {
        const std::set<std::string> contract{"nftfi", "benddao", "sudoswap", "perp"};
        std::set<std::string> named;
        for (const Protocol protocol : kProtocols) {
            named.emplace(to_string(protocol));
            QVERIFY(parse_protocol(to_string(protocol)) == protocol);
        }
        QVERIFY(named == contract);
        QVERIFY(!parse_protocol("NFTfi"));
        QVERIFY(!parse_protocol(""));
    }

    void stateNamesAreTheContract()
    {
        const std::set<std::string> contract{"", "active", "overdue", "auction", "open", "liquidatable", "TOKEN pool", "NFT pool", "TRADE pool"};
        std::set<std::string> named;
        for (const PositionState state : kPositionStates) {
            named.emplace(to_string(state));
            QVERIFY(parse_position_state(to_string(state)) == state);
        }
        QVERIFY(named == contract);
        QVERIFY(!parse_position_state("Active"));
    }

    void idsKeepTheirShapePerProtocol()
    {
        PositionKey key;
        key.contract = *nftterm::wallet::Address::parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        key.market = *nftterm::wallet::Address::parse("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
        key.account = *nftterm::wallet::Address::parse("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB");
        key.number = nftterm::wallet::U256(42);
        key.protocol = Protocol::Nftfi;
        QCOMPARE(key.id(), std::string("nftfi:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed:42"));
        key.protocol = Protocol::BendDao;
        QCOMPARE(key.id(), std::string("benddao:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed:0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359:42"));
        key.protocol = Protocol::Sudoswap;
        QCOMPARE(key.id(), std::string("sudoswap:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
        key.protocol = Protocol::Perp;
        QCOMPARE(key.id(),
                 std::string("perp:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed:0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359:0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"));
    }

    void changedFieldNamesAreDistinctAndParseBack()
    {
        std::set<std::string_view> names;
        for (std::size_t i = 0; i < kPositionFieldCount; ++i) {
            const auto field = static_cast<PositionField>(i);
            QVERIFY(names.insert(json_name(field)).second);
            QVERIFY(parse_position_field(json_name(field)) == field);
        }
        QVERIFY(!parse_position_field("unreadableReason"));
        PositionFields fields;
        fields.insert(PositionField::Size);
        fields.insert(PositionField::Debt);
        std::vector<PositionField> seen;
        fields.for_each([&](PositionField field) { seen.push_back(field); });
        QVERIFY((seen == std::vector<PositionField>{PositionField::Debt, PositionField::Size}));
        QVERIFY(fields.contains(PositionField::Size) && !fields.contains(PositionField::State));
    }
};

NFTTERM_TEST_APPLESS(PositionKindTest)
#include "position_kind_test.moc"
