#include <protocols/error.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

#include <system_error>

using namespace nftterm;

/// Errors read the same in the CLI and the window, and both layers' codes
/// work as std::error_code (compared, categorised, printed by the standard).
class ErrorTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bothLayersAreStdErrorCodes()
    {
        const std::error_code transport = protocols::Errc::Transport;
        QCOMPARE(std::string(transport.category().name()), std::string("nftterm.protocols"));
        QCOMPARE(transport.message(), std::string("cannot reach the node"));
        QVERIFY(transport == protocols::Errc::Transport);
        QVERIFY(transport != protocols::Errc::Http);
        const std::error_code password = wallet::Errc::WrongPassword;
        QVERIFY(password.category() != transport.category());
        // Same number, different layers: never equal.
        QVERIFY(std::error_code(protocols::Errc::Transport) != std::error_code(static_cast<wallet::Errc>(1)));
        const auto error = protocols::fail(protocols::Errc::Decode, "a short answer").error();
        QVERIFY(error.code_value() == protocols::Errc::Decode);
    }

    void aRefusalReadsAsItsSentenceAndOthersSayTheirKind()
    {
        const auto refused = protocols::fail(protocols::Errc::Refused, "the loan is in auction: redeem it instead").error();
        QCOMPARE(refused.message(), std::string("the loan is in auction: redeem it instead"));
        const auto config = protocols::fail(protocols::Errc::Config, "registry: contract WETH9 missing").error();
        QCOMPARE(config.message(), std::string("configuration error: registry: contract WETH9 missing"));
        const auto wrapped = protocols::from_wallet(wallet::Error{wallet::Errc::WrongPassword, "keystore bob.json"}, "cannot sign");
        QVERIFY(wrapped.message().starts_with("wallet error: cannot sign ("));
        QVERIFY(wrapped.message().find("keystore bob.json") != std::string::npos);
    }

    void resultsAreValuesOrErrors()
    {
        // The [[nodiscard]] class keeps std::expected's whole interface.
        protocols::Result<int> value = 7;
        QCOMPARE(*value, 7);
        QCOMPARE(value.value_or(0), 7);
        protocols::Result<int> failed = protocols::fail(protocols::Errc::Rpc, "no");
        QVERIFY(!failed);
        QCOMPARE(failed.value_or(3), 3);
        protocols::Result<int> copied = std::expected<int, protocols::Error>(value);  // from a plain expected too
        QCOMPARE(*copied, 7);
        protocols::Result<void> done;
        QVERIFY(done.has_value());
    }
};

NFTTERM_TEST_APPLESS(ErrorTest)
#include "error_test.moc"
