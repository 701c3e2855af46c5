#include "../support/demo_world_fixture.hpp"
#include "../support/test_registry.hpp"

#include <protocols/eth/rpc/eth_api.hpp>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace nftterm;
using wallet::Address;
using wallet::U256;

namespace {

std::string q(const Address& address)
{
    return "\"" + address.to_hex() + "\"";
}

U256 number(const QJsonValue& value)
{
    return U256::from_dec(value.toString().toStdString()).value_or(U256::max());
}

}  // namespace

/// The credit commands against the devnet's lending pool: a borrow sized for
/// a health factor lands at the pool's own health factor, the one the
/// monitor then shows; what the LTV does not allow is refused before signing.
class CliCreditTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
        QVERIFY(m_world->write_manifest(m_dir.filePath(QStringLiteral("manifest.json")).toStdString()));
        QFile key(m_dir.filePath(QStringLiteral("alice.key")));
        QVERIFY(key.open(QIODevice::WriteOnly));
        key.write("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        for (const char* actor : {"keeper", "lender-1"}) {
            QFile file(m_dir.filePath(QLatin1String(actor) + QStringLiteral(".key")));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(wallet::to_hex(m_world->actor(actor).key.view()).c_str());
        }
    }
    void init() { m_world->snapshot(); }
    void cleanup() { m_world->revert(); }

    void aBorrowToATargetHealthLandsAtThePoolsOwnHealthFactor()
    {
        const Address alice = m_world->address_of("alice");
        const Address dape = m_world->contract("DAPE");
        const Address pool = m_world->contract("BendLendPool");
        // An NFT of her own, bought from the pools.
        auto [cb, ob, eb] = cli({QStringLiteral("buy"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--count"), QStringLiteral("1")}, true);
        QVERIFY2(cb == 0, qPrintable(eb));
        const U256 held = m_world->read_u256(dape, "balanceOf(address)", "[" + q(alice) + "]");
        const U256 token = m_world->read_u256(dape, "tokenOfOwnerByIndex(address,uint256)", "[" + q(alice) + ",\"" + (held - U256(1)).to_dec() + "\"]");
        const QString id = QString::fromStdString(token.to_dec());
        const U256 weth_before = m_world->weth_balance(alice);

        auto [code, out, err] = cli({QStringLiteral("borrow"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--token-id"), id,
                                     QStringLiteral("--target-health"), QStringLiteral("1.5")}, true);
        QVERIFY2(code == 0, qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("health factor after")) && err.contains(QStringLiteral("borrow APR")), qPrintable(err));
        const auto result = QJsonDocument::fromJson(out.toUtf8()).object();
        QVERIFY(result.value(QStringLiteral("newLoan")).toBool());
        const auto after = result.value(QStringLiteral("after")).toObject();
        // The pool's own health at the landing block is the plan's, redone for that block's time, and at the target.
        QCOMPARE(after.value(QStringLiteral("healthFactor")).toString(), after.value(QStringLiteral("predictedHealthFactor")).toString());
        const U256 health = number(after.value(QStringLiteral("healthFactor")));
        const U256 target = *U256::parse_units("1.5", 18);
        QVERIFY2(health >= target && health < target + target / U256(100000), qPrintable(after.value(QStringLiteral("healthFactor")).toString()));
        // The pool holds the NFT, alice holds the WETH, and getNftDebtData says so.
        auto owner = m_world->read(dape, "ownerOf(uint256)", "[\"" + token.to_dec() + "\"]", "(address)");
        QVERIFY(owner.has_value());
        QCOMPARE(Address::from_hex((*owner)[0].get<std::string>())->to_hex(), pool.to_hex());
        QCOMPARE(m_world->weth_balance(alice), weth_before + number(result.value(QStringLiteral("amount"))));
        auto debt = m_world->read(pool, "getNftDebtData(address,uint256)", "[" + q(dape) + ",\"" + token.to_dec() + "\"]",
                                  "(uint256,address,uint256,uint256,uint256,uint256)");
        QVERIFY(debt.has_value());
        QCOMPARE(QString::fromStdString((*debt)[5].get<std::string>()), after.value(QStringLiteral("healthFactor")).toString());
        // The monitor shows the same health for the new loan (nothing has been mined since).
        auto [cp, op, ep] = cli({QStringLiteral("positions"), QStringLiteral("--no-cache"), QStringLiteral("--account"), QString::fromStdString(alice.to_hex()),
                                 QStringLiteral("--json")});
        QVERIFY2(cp == 0, qPrintable(ep));
        QString shown;
        for (const auto& entry : QJsonDocument::fromJson(op.toUtf8()).array())
            if (entry.toObject().value(QStringLiteral("protocol")).toString() == QStringLiteral("benddao") &&
                entry.toObject().value(QStringLiteral("tokenId")).toString() == id)
                shown = entry.toObject().value(QStringLiteral("healthFactor")).toString();
        QCOMPARE(shown, after.value(QStringLiteral("healthFactor")).toString());

        // Past the LTV: refused before signing, with the most it could borrow; nothing sent.
        const U256 nonce = nonce_of(alice);
        auto [cr, orr, er] = cli({QStringLiteral("borrow"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--token-id"), id,
                                  QStringLiteral("--amount"), QStringLiteral("1000")}, true);
        QCOMPARE(cr, 1);
        QVERIFY2(er.contains(QStringLiteral("loan-to-value")) && er.contains(QStringLiteral("nothing is signed")), qPrintable(er));
        QCOMPARE(nonce_of(alice), nonce);

        // More on the same loan: lands where the plan said, at that block's time.
        auto [cm, om, em] = cli({QStringLiteral("borrow"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--token-id"), id,
                                 QStringLiteral("--amount"), QStringLiteral("0.5")}, true);
        QVERIFY2(cm == 0, qPrintable(em));
        const auto more = QJsonDocument::fromJson(om.toUtf8()).object();
        QVERIFY(!more.value(QStringLiteral("newLoan")).toBool());
        const auto more_after = more.value(QStringLiteral("after")).toObject();
        QCOMPARE(more_after.value(QStringLiteral("healthFactor")).toString(), more_after.value(QStringLiteral("predictedHealthFactor")).toString());
        QVERIFY(number(more_after.value(QStringLiteral("healthFactor"))) < health);
    }

    void aDepositEarnsAndComesBackWhole()
    {
        const Address alice = m_world->address_of("alice");
        const Address pool = m_world->contract("BendLendPool");
        const Address weth = m_world->contract("WETH9");
        QVERIFY(m_world->send("alice", weth, "deposit()", "[]", *U256::parse_units("20", 18)).has_value());
        const auto deposit_of = [&] { return m_world->read_u256(pool, "getDepositBalance(address,address)", "[" + q(weth) + "," + q(alice) + "]"); };
        const U256 before = deposit_of();
        auto [code, out, err] = cli({QStringLiteral("lend"), QStringLiteral("deposit"), QStringLiteral("--amount"), QStringLiteral("10")}, true);
        QVERIFY2(code == 0, qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("supply APR")), qPrintable(err));
        const auto result = QJsonDocument::fromJson(out.toUtf8()).object();
        // Scaled by the liquidity index and back: the deposit grows by the amount, less at most a wei of rounding.
        const U256 after = number(result.value(QStringLiteral("after")).toObject().value(QStringLiteral("deposit")));
        QCOMPARE(after, deposit_of());
        QVERIFY(after + U256(1) >= before + *U256::parse_units("10", 18) && after <= before + *U256::parse_units("10", 18));
        // A day later it has earned interest; a withdrawal of everything takes it all.
        m_world->advance(86400);
        const U256 earned = deposit_of();
        QVERIFY(earned > after);
        const U256 weth_before = m_world->weth_balance(alice);
        auto [cw, ow, ew] = cli({QStringLiteral("lend"), QStringLiteral("withdraw")}, true);
        QVERIFY2(cw == 0, qPrintable(ew));
        QCOMPARE(deposit_of(), U256(0));
        QVERIFY(m_world->weth_balance(alice) >= weth_before + earned);
        // Nothing left: refused before signing.
        auto [c2, o2, e2] = cli({QStringLiteral("lend"), QStringLiteral("withdraw"), QStringLiteral("--amount"), QStringLiteral("1")}, true);
        QCOMPARE(c2, 1);
        QVERIFY2(e2.contains(QStringLiteral("nothing deposited")), qPrintable(e2));
    }

    void aLoanBelowHealthOneIsBidOnAndRedeemedWithTheFineToTheFirstBidder()
    {
        const auto loan = loan_below_health_one();
        QVERIFY(loan.has_value());
        const auto& [token, bid] = *loan;
        const Address keeper = m_world->address_of("keeper");
        const Address pool = m_world->contract("BendLendPool");
        const Address dape = m_world->contract("DAPE");
        const auto auction_data = [&] {
            return m_world->read(pool, "getNftAuctionData(address,uint256)", "[" + q(dape) + ",\"" + token.to_dec() + "\"]", "(uint256,address,uint256,uint256,uint256)");
        };
        auto bidding = auction_data();
        QVERIFY(bidding.has_value());
        QCOMPARE(Address::from_hex((*bidding)[1].get<std::string>())->to_hex(), keeper.to_hex());
        QCOMPARE(U256::from_dec((*bidding)[2].get<std::string>()).value_or(U256(0)), bid);
        const U256 fine = U256::from_dec((*bidding)[4].get<std::string>()).value_or(U256(0));
        QVERIFY(fine > U256(0));
        // alice redeems: her loan is active again, the bid goes back to the keeper with the fine on top.
        const U256 keeper_before = m_world->weth_balance(keeper);
        const QString id = QStringLiteral("benddao:") + QString::fromStdString(pool.to_hex()) + u':' + QString::fromStdString(dape.to_hex()) + u':' +
                           QString::fromStdString(token.to_dec());
        auto [code, out, err] = cli({QStringLiteral("redeem"), QStringLiteral("--position"), id}, true);
        QVERIFY2(code == 0, qPrintable(err + out));
        const U256 gained = m_world->weth_balance(keeper) - keeper_before;
        QVERIFY2(gained >= bid + fine && gained <= bid + fine + fine / U256(1000), gained.to_dec().c_str());
        auto after = auction_data();
        QVERIFY(after.has_value());
        QCOMPARE((*after)[2].get<std::string>(), std::string("0"));
        auto debt = m_world->read(pool, "getNftDebtData(address,uint256)", "[" + q(dape) + ",\"" + token.to_dec() + "\"]", "(uint256,address,uint256,uint256,uint256,uint256)");
        QVERIFY(debt.has_value() && (*debt)[5].get<std::string>() != "0");  // an active loan has a health factor again
    }

    void afterTheAuctionTheNftGoesToTheWinningBidder()
    {
        const auto loan = loan_below_health_one();
        QVERIFY(loan.has_value());
        const Address dape = m_world->contract("DAPE");
        const U256 token = loan->first;
        // Too early: refused before signing.
        auto [ce, oe, ee] = cli({QStringLiteral("auction"), QStringLiteral("liquidate"), QStringLiteral("--collection"), QStringLiteral("DAPE"),
                                 QStringLiteral("--token-id"), QString::fromStdString(token.to_dec())}, false, "keeper");
        QCOMPARE(ce, 1);
        QVERIFY2(ee.contains(QStringLiteral("can be liquidated after")), qPrintable(ee));
        m_world->advance(7 * 86400);
        auto [code, out, err] = cli({QStringLiteral("auction"), QStringLiteral("liquidate"), QStringLiteral("--collection"), QStringLiteral("DAPE"),
                                     QStringLiteral("--token-id"), QString::fromStdString(token.to_dec())}, false, "keeper");
        QVERIFY2(code == 0, qPrintable(err));
        auto owner = m_world->read(dape, "ownerOf(uint256)", "[\"" + token.to_dec() + "\"]", "(address)");
        QVERIFY(owner.has_value());
        QCOMPARE(Address::from_hex((*owner)[0].get<std::string>())->to_hex(), m_world->address_of("keeper").to_hex());
    }

    void aDownPaymentLongBuysTheNftIntoThePoolWithTheRestAsTheBuyersLoan()
    {
        const Address alice = m_world->address_of("alice");
        const Address dape = m_world->contract("DAPE");
        const Address pool = m_world->contract("BendLendPool");
        const U256 eth_before = m_world->eth_balance(alice);
        // Below what the LTV allows: refused before signing, with the least down payment.
        auto [cr, orr, er] = cli({QStringLiteral("long"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--down-payment-pct"),
                                  QStringLiteral("5")}, true);
        QCOMPARE(cr, 1);
        QVERIFY2(er.contains(QStringLiteral("the least down payment is")) && er.contains(QStringLiteral("nothing is signed")), qPrintable(er));
        QCOMPARE(m_world->eth_balance(alice), eth_before);

        auto [code, out, err] = cli({QStringLiteral("long"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--down-payment-pct"),
                                     QStringLiteral("50")}, true);
        QVERIFY2(code == 0, qPrintable(err + out));
        QVERIFY2(err.contains(QStringLiteral("entry health factor")) && err.contains(QStringLiteral("leverage")), qPrintable(err));
        const auto result = QJsonDocument::fromJson(out.toUtf8()).object();
        const auto after = result.value(QStringLiteral("after")).toObject();
        // The NFT is in the pool, the loan is alice's, its debt is the flash loan and its premium, and its health is the plan's.
        QCOMPARE(after.value(QStringLiteral("nftOwner")).toString().toLower(), QString::fromStdString(pool.to_hex()).toLower());
        QCOMPARE(after.value(QStringLiteral("borrower")).toString().toLower(), QString::fromStdString(alice.to_hex()).toLower());
        const U256 debt = number(after.value(QStringLiteral("debt")));
        QCOMPARE(number(result.value(QStringLiteral("debt"))), number(result.value(QStringLiteral("flashLoan"))) + number(result.value(QStringLiteral("premium"))));
        QVERIFY(debt + U256(1) >= number(result.value(QStringLiteral("debt"))) && debt <= number(result.value(QStringLiteral("debt"))));
        QCOMPARE(after.value(QStringLiteral("healthFactor")).toString(), after.value(QStringLiteral("predictedHealthFactor")).toString());
        // Half the price, rounded up to the wei, from alice; the rest of what she spent is gas.
        const U256 price = number(result.value(QStringLiteral("price")));
        const U256 own = number(result.value(QStringLiteral("ownFunds")));
        QCOMPARE(own, (price + U256(1)) / U256(2));
        U256 gas;
        for (const auto& tx : result.value(QStringLiteral("transactions")).toArray()) {
            auto receipt = protocols::eth::get_receipt(m_world->client(), *wallet::TxHash::from_hex(tx.toObject().value(QStringLiteral("hash")).toString().toStdString()));
            QVERIFY(receipt.has_value() && receipt->has_value());
            gas = gas + tests::DemoWorldFixture::gas_cost(**receipt);
        }
        QCOMPARE(m_world->eth_balance(alice), eth_before - own - gas);
        // The loan is a row of alice's positions, at the health the plan showed.
        auto [cp, op, ep] = cli({QStringLiteral("positions"), QStringLiteral("--no-cache"), QStringLiteral("--account"), QString::fromStdString(alice.to_hex()),
                                 QStringLiteral("--json")});
        QString shown;
        for (const auto& entry : QJsonDocument::fromJson(op.toUtf8()).array())
            if (entry.toObject().value(QStringLiteral("tokenId")).toString() == result.value(QStringLiteral("tokenId")).toString() &&
                entry.toObject().value(QStringLiteral("protocol")).toString() == QStringLiteral("benddao"))
                shown = entry.toObject().value(QStringLiteral("healthFactor")).toString();
        QCOMPARE(shown, after.value(QStringLiteral("healthFactor")).toString());
        Q_UNUSED(dape);
    }

    void anOfferAcceptedOpensExactlyItsLoanAndOnlyOnce()
    {
        const Address alice = m_world->address_of("alice");
        const Address loans = m_world->contract("NFTfiDirectLoanFixedOffer");
        auto [cl, ol, el] = cli({QStringLiteral("offer"), QStringLiteral("list"), QStringLiteral("--account"), QString::fromStdString(alice.to_hex()), QStringLiteral("--json")});
        QVERIFY2(cl == 0, qPrintable(el));
        const auto listed = QJsonDocument::fromJson(ol.toUtf8()).array();
        QVERIFY(!listed.isEmpty());
        const auto offer = listed.first().toObject();
        QVERIFY2(offer.value(QStringLiteral("acceptable")).toBool(), qPrintable(offer.value(QStringLiteral("why")).toString()));
        const QString index = QString::number(offer.value(QStringLiteral("index")).toInt());
        auto [code, out, err] = cli({QStringLiteral("offer"), QStringLiteral("accept"), QStringLiteral("--offer"), index}, true);
        QVERIFY2(code == 0, qPrintable(err));
        const auto result = QJsonDocument::fromJson(out.toUtf8()).object();
        const QString loan_id = result.value(QStringLiteral("loanId")).toString();
        QVERIFY(!loan_id.isEmpty());
        // The contract's own record of the loan is the offer's terms, alice's, the lender's.
        auto terms = m_world->read(loans, "loanIdToLoan(uint32)", "[\"" + loan_id.toStdString() + "\"]",
                                   "(uint256,uint256,uint256,address,uint32,uint16,uint16,address,uint64,address,address)");
        QVERIFY(terms.has_value());
        QCOMPARE(QString::fromStdString((*terms)[0].get<std::string>()), offer.value(QStringLiteral("principal")).toString());
        QCOMPARE(QString::fromStdString((*terms)[1].get<std::string>()), offer.value(QStringLiteral("maximumRepayment")).toString());
        QCOMPARE(QString::fromStdString((*terms)[2].get<std::string>()), offer.value(QStringLiteral("tokenId")).toString());
        QCOMPARE(QString::fromStdString((*terms)[4].get<std::string>()), QString::number(offer.value(QStringLiteral("durationSeconds")).toInt()));
        QCOMPARE(Address::from_hex((*terms)[10].get<std::string>())->to_hex(), alice.to_hex());
        auto lender = m_world->read(loans, "loanIdToLender(uint32)", "[\"" + loan_id.toStdString() + "\"]", "(address)");
        QVERIFY(lender.has_value());
        QCOMPARE(QString::fromStdString(Address::from_hex((*lender)[0].get<std::string>())->to_hex()).toLower(), offer.value(QStringLiteral("lender")).toString().toLower());
        // The same offer again: its nonce is spent, refused before signing.
        const U256 nonce = nonce_of(alice);
        auto [c2, o2, e2] = cli({QStringLiteral("offer"), QStringLiteral("accept"), QStringLiteral("--offer"), index}, true);
        QCOMPARE(c2, 1);
        QVERIFY2(e2.contains(QStringLiteral("already used")), qPrintable(e2));
        QCOMPARE(nonce_of(alice), nonce);
    }

    void anOfferCreatedByTheCliIsAcceptedAndForeclosedAfterMaturity()
    {
        const Address alice = m_world->address_of("alice");
        const Address dape = m_world->contract("DAPE");
        auto [cb, ob, eb] = cli({QStringLiteral("buy"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--count"), QStringLiteral("1")}, true);
        QVERIFY2(cb == 0, qPrintable(eb));
        const U256 held = m_world->read_u256(dape, "balanceOf(address)", "[" + q(alice) + "]");
        const QString token = QString::fromStdString(m_world->read_u256(dape, "tokenOfOwnerByIndex(address,uint256)", "[" + q(alice) + ",\"" + (held - U256(1)).to_dec() + "\"]").to_dec());
        const QString file = m_dir.filePath(QStringLiteral("offer.json"));
        const auto create = [&](const QString& path, const char* expiry_hours) {
            return cli({QStringLiteral("offer"), QStringLiteral("create"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--token-id"), token,
                        QStringLiteral("--principal"), QStringLiteral("5"), QStringLiteral("--repayment"), QStringLiteral("5.2"), QStringLiteral("--duration-days"),
                        QStringLiteral("1"), QStringLiteral("--expiry-hours"), QLatin1String(expiry_hours), QStringLiteral("--out"), path}, false, "lender-1");
        };
        auto [cc, oc, ec] = create(file, "2");
        QVERIFY2(cc == 0, qPrintable(ec));
        // An offer that expires before it is accepted: refused before signing.
        const QString short_lived = m_dir.filePath(QStringLiteral("short.json"));
        auto [cs, os, es] = create(short_lived, "1");
        QVERIFY2(cs == 0, qPrintable(es));
        m_world->advance(3600 + 60);
        auto [ce, oe, ee] = cli({QStringLiteral("offer"), QStringLiteral("accept"), QStringLiteral("--offer"), short_lived}, true);
        QCOMPARE(ce, 1);
        QVERIFY2(ee.contains(QStringLiteral("expired")), qPrintable(ee));
        // The CLI's own signature is what the contract takes.
        auto [code, out, err] = cli({QStringLiteral("offer"), QStringLiteral("accept"), QStringLiteral("--offer"), file}, true);
        QVERIFY2(code == 0, qPrintable(err));
        const QString loan_id = QJsonDocument::fromJson(out.toUtf8()).object().value(QStringLiteral("loanId")).toString();
        QVERIFY(!loan_id.isEmpty());
        const QString position = QStringLiteral("nftfi:") + QString::fromStdString(m_world->contract("NFTfiDirectLoanFixedOffer").to_hex()) + u':' + loan_id;
        // Not yet due: refused. After maturity: the NFT goes to the lender.
        auto [cf, of, ef] = cli({QStringLiteral("foreclose"), QStringLiteral("--position"), position}, false, "lender-1");
        QCOMPARE(cf, 1);
        QVERIFY2(ef.contains(QStringLiteral("can be foreclosed after")), qPrintable(ef));
        m_world->advance(2 * 86400);
        auto [c2, o2, e2] = cli({QStringLiteral("foreclose"), QStringLiteral("--position"), position}, false, "lender-1");
        QVERIFY2(c2 == 0, qPrintable(e2));
        auto owner = m_world->read(dape, "ownerOf(uint256)", "[\"" + token.toStdString() + "\"]", "(address)");
        QVERIFY(owner.has_value());
        QCOMPARE(Address::from_hex((*owner)[0].get<std::string>())->to_hex(), m_world->address_of("lender-1").to_hex());
    }

    void aLoanIsExtendedWithItsLendersSignedTermsOnce()
    {
        const Address alice = m_world->address_of("alice");
        const Address lender = m_world->address_of("lender-1");
        const Address loans = m_world->contract("NFTfiDirectLoanFixedOffer");
        auto [cl, ol, el] = cli({QStringLiteral("offer"), QStringLiteral("list"), QStringLiteral("--account"), QString::fromStdString(alice.to_hex()), QStringLiteral("--json")});
        QJsonObject chosen;
        for (const auto& entry : QJsonDocument::fromJson(ol.toUtf8()).array())
            if (entry.toObject().value(QStringLiteral("lender")).toString().compare(QString::fromStdString(lender.to_hex()), Qt::CaseInsensitive) == 0) chosen = entry.toObject();
        QVERIFY2(!chosen.isEmpty(), "lender-1 has an offer on alice's NFT in the demo world");
        auto [ca, oa, ea] = cli({QStringLiteral("offer"), QStringLiteral("accept"), QStringLiteral("--offer"), QString::number(chosen.value(QStringLiteral("index")).toInt())}, true);
        QVERIFY2(ca == 0, qPrintable(ea));
        const QString loan_id = QJsonDocument::fromJson(oa.toUtf8()).object().value(QStringLiteral("loanId")).toString();
        const QString position = QStringLiteral("nftfi:") + QString::fromStdString(loans.to_hex()) + u':' + loan_id;
        const U256 repayment = number(chosen.value(QStringLiteral("principal"))) * U256(11) / U256(10);
        const QString terms = m_dir.filePath(QStringLiteral("terms.json"));
        auto [ce, oe, ee] = cli({QStringLiteral("offer"), QStringLiteral("extend"), QStringLiteral("--position"), position, QStringLiteral("--duration-days"),
                                 QStringLiteral("30"), QStringLiteral("--repayment"), QString::fromStdString(repayment.format_units(18)), QStringLiteral("--fee"),
                                 QStringLiteral("0.1"), QStringLiteral("--out"), terms}, false, "lender-1");
        QVERIFY2(ce == 0, qPrintable(ee));
        const U256 lender_before = m_world->weth_balance(lender);
        QVERIFY(m_world->send("alice", m_world->contract("WETH9"), "deposit()", "[]", *U256::parse_units("1", 18)).has_value());
        auto [cr, orr, er] = cli({QStringLiteral("offer"), QStringLiteral("renegotiate"), QStringLiteral("--terms"), terms}, true);
        QVERIFY2(cr == 0, qPrintable(er));
        auto loan = m_world->read(loans, "loanIdToLoan(uint32)", "[\"" + loan_id.toStdString() + "\"]",
                                  "(uint256,uint256,uint256,address,uint32,uint16,uint16,address,uint64,address,address)");
        QVERIFY(loan.has_value());
        QCOMPARE((*loan)[1].get<std::string>(), repayment.to_dec());
        QCOMPARE((*loan)[4].get<std::string>(), std::to_string(30 * 86400));
        // The lender has the fee less the contract's admin share of it (its admin fee in bps).
        const U256 fee = *U256::parse_units("0.1", 18);
        const U256 admin_bps = m_world->read_u256(loans, "adminFeeInBasisPoints()");
        QCOMPARE(m_world->weth_balance(lender), lender_before + fee - fee * admin_bps / U256(10000));
        // The same terms again: their nonce is spent.
        auto [c2, o2, e2] = cli({QStringLiteral("offer"), QStringLiteral("renegotiate"), QStringLiteral("--terms"), terms}, true);
        QCOMPARE(c2, 1);
        QVERIFY2(e2.contains(QStringLiteral("already used")), qPrintable(e2));
    }

    void anNftNotHeldIsRefusedBeforeSigning()
    {
        const Address alice = m_world->address_of("alice");
        const U256 nonce = nonce_of(alice);
        // DAPE #201 is bob's pledge (the demo seeds his loan on it), #300 carol's P2P collateral: neither is alice's to borrow on.
        const Address dape = m_world->contract("DAPE");
        for (const char* token : {"201", "300"}) {
            auto owner = m_world->read(dape, "ownerOf(uint256)", std::string("[\"") + token + "\"]", "(address)");
            QVERIFY(owner.has_value() && Address::from_hex((*owner)[0].get<std::string>()) != alice);
        }
        auto [code, out, err] = cli({QStringLiteral("borrow"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--token-id"),
                                     QStringLiteral("201"), QStringLiteral("--amount"), QStringLiteral("1")}, true);
        QCOMPARE(code, 1);
        QVERIFY2(err.contains(QStringLiteral("not the borrowing account's")) && err.contains(QStringLiteral("nothing is signed")), qPrintable(err));
        auto [c2, o2, e2] = cli({QStringLiteral("borrow"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--token-id"),
                                 QStringLiteral("300"), QStringLiteral("--amount"), QStringLiteral("1")}, true);
        QCOMPARE(c2, 1);
        QVERIFY2(e2.contains(QStringLiteral("not by the borrowing account")), qPrintable(e2));
        QCOMPARE(nonce_of(alice), nonce);
    }

private:
    /// alice borrows against a DAPE she buys to health 1.2, the oracle falls 30 %, the keeper bids 1 % over the
    /// liquidation price through `auction bid`: the NFT and the bid, or nothing.
    std::optional<std::pair<U256, U256>> loan_below_health_one()
    {
        const Address alice = m_world->address_of("alice");
        const Address dape = m_world->contract("DAPE");
        const Address pool = m_world->contract("BendLendPool");
        auto [cb, ob, eb] = cli({QStringLiteral("buy"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--count"), QStringLiteral("1")}, true);
        if (cb != 0) return std::nullopt;
        const U256 held = m_world->read_u256(dape, "balanceOf(address)", "[" + q(alice) + "]");
        const U256 token = m_world->read_u256(dape, "tokenOfOwnerByIndex(address,uint256)", "[" + q(alice) + ",\"" + (held - U256(1)).to_dec() + "\"]");
        auto [code, out, err] = cli({QStringLiteral("borrow"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--token-id"),
                                     QString::fromStdString(token.to_dec()), QStringLiteral("--target-health"), QStringLiteral("1.2")}, true);
        if (code != 0) return std::nullopt;
        const Address oracle = m_world->contract("NFTOracle");
        const U256 price = m_world->read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]");
        if (!m_world->send("deployer", oracle, "setAssetData(address,uint256)", "[" + q(dape) + ",\"" + (price * U256(7) / U256(10)).to_dec() + "\"]")) return std::nullopt;
        auto liquidate = m_world->read(pool, "getNftLiquidatePrice(address,uint256)", "[" + q(dape) + ",\"" + token.to_dec() + "\"]", "(uint256,uint256)");
        if (!liquidate) return std::nullopt;
        const U256 bid = U256::from_dec((*liquidate)[0].get<std::string>()).value_or(U256(0)) * U256(101) / U256(100);
        if (!m_world->send("keeper", m_world->contract("WETH9"), "deposit()", "[]", bid * U256(2))) return std::nullopt;
        auto [ca, oa, ea] = cli({QStringLiteral("auction"), QStringLiteral("bid"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--token-id"),
                                 QString::fromStdString(token.to_dec()), QStringLiteral("--amount"), QString::fromStdString(bid.format_units(18))}, false, "keeper");
        if (ca != 0) {
            qWarning("%s", qPrintable(ea));
            return std::nullopt;
        }
        return std::pair{token, bid};
    }

    U256 nonce_of(const Address& account)
    {
        auto count = m_world->client().call("eth_getTransactionCount", "[\"" + account.to_hex() + "\",\"latest\"]");
        return count ? U256::from_hex(nlohmann::json::parse(*count).get<std::string>()).value_or(U256(0)) : U256::max();
    }

    /// Runs the CLI; `signs` (or a `signer` other than alice) adds that actor's key, a journal and --yes.
    std::tuple<int, QString, QString> cli(QStringList args, bool signs = false, const char* signer = "alice")
    {
        if (signs || std::string_view(signer) != "alice")
            args << QStringLiteral("--private-key-file") << m_dir.filePath(QLatin1String(signer) + QStringLiteral(".key")) << QStringLiteral("--journal")
                 << m_dir.filePath(QLatin1String(signer) + QStringLiteral(".jsonl")) << QStringLiteral("--yes");
        QProcess process;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NFTTERM_DATA_DIR"), m_dir.filePath(QStringLiteral("data")));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(NFTTERM_CLI), args + QStringList{QStringLiteral("--registry"), m_dir.filePath(QStringLiteral("manifest.json")),
                                                                     QStringLiteral("--rpc-url"), QString::fromStdString(m_world->url())});
        process.waitForFinished(120000);
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    }

    std::unique_ptr<tests::DemoWorldFixture> m_world;
    QTemporaryDir m_dir;
};

NFTTERM_TEST_GUILESS(CliCreditTest)
#include "cli_credit_test.moc"
