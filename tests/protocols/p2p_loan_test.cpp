#include "../support/anvil_node.hpp"
#include "../support/devnet_contracts.hpp"
#include "../support/rpc_options.hpp"
#include "../support/verify_ok.hpp"

#include <protocols/eth/abi/abi_json.hpp>
#include <wallet/crypto/hashes.hpp>
#include <wallet/messages/eip191.hpp>

#include <nlohmann/json.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

// Qt 6.4's moc misreads raw strings holding "//" and digit separators: none here.
using namespace nftterm;
using namespace nftterm::protocols;
using nftterm::tests::AnvilNode;

namespace {

constexpr const char* kBorrowerKey = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
constexpr const char* kAcceptOffer =
    "acceptOffer((uint256,uint256,uint256,address,uint32,uint16,address,address),(uint256,uint256,address,bytes),(address,uint16))";
constexpr std::uint64_t kSevenDays = 7 * 24 * 3600;

wallet::Address address_of(const wallet::PrivateKey& key)
{
    return wallet::address_of(wallet::public_key_of(key));
}

/// abi.encodePacked pieces: big-endian integers of the given width, raw addresses.
struct Packed {
    wallet::Bytes bytes;
    Packed& address(const wallet::Address& a)
    {
        bytes.insert(bytes.end(), a.view().begin(), a.view().end());
        return *this;
    }
    Packed& uint(const wallet::U256& value, std::size_t width)
    {
        const auto word = value.to_be();
        bytes.insert(bytes.end(), word.end() - static_cast<std::ptrdiff_t>(width), word.end());
        return *this;
    }
};

std::string dec(const wallet::U256& value)
{
    return "\"" + value.to_dec() + "\"";
}

}  // namespace

/// The NFTfi-v2-style P2P loan contract, driven through the project's own
/// signing, RPC and ABI code on anvil.
class P2pLoanTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_node = std::make_unique<AnvilNode>();
        QVERIFY2(m_node->running(), m_node->error().c_str());
        m_client = std::make_unique<eth::RpcClient>(tests::options_for(m_node->url()));
        auto weth = tests::load_contract("nftterm_contracts.json", "WETH9.sol", "WETH9");
        auto collection = tests::load_contract("nftterm_contracts.json", "DemoCollection.sol", "DemoCollection");
        auto loans = tests::load_contract("nftterm_contracts.json", "DirectLoanFixedOffer.sol", "DirectLoanFixedOffer");
        VERIFY_OK(weth);
        VERIFY_OK(collection);
        VERIFY_OK(loans);
        m_loan_abi = loans->abi;
        auto weth_address = tests::deploy(*m_client, m_owner, weth->bytecode);
        VERIFY_OK(weth_address);
        m_weth = *weth_address;
        auto collection_address = tests::deploy(*m_client, m_owner, with_args(collection->bytecode, "(string,string,string)",
                                                                              "[\"Devnet Apes\",\"DAPE\",\"ipfs://devnet/apes/\"]"));
        VERIFY_OK(collection_address);
        m_collection = *collection_address;
        auto loan_address = tests::deploy(*m_client, m_owner, with_args(loans->bytecode, "(address[])", "[[\"" + m_weth.to_hex() + "\"]]"));
        VERIFY_OK(loan_address);
        m_loans = *loan_address;

        // The lender wraps 10 ether and lets the loan contract pull it; the borrower's NFTs may move into escrow.
        VERIFY_OK(tests::send_and_wait(*m_client, m_lender, m_weth, tests::calldata("deposit()"), *wallet::U256::parse_units("10", 18)));
        VERIFY_OK(tests::send_and_wait(*m_client, m_lender, m_weth, tests::calldata("approve(address,uint256)", "[\"" + m_loans.to_hex() + "\"," + dec(wallet::U256::max()) + "]")));
        VERIFY_OK(tests::send_and_wait(*m_client, m_borrower, m_weth, tests::calldata("deposit()"), *wallet::U256::parse_units("1", 18)));
        VERIFY_OK(tests::send_and_wait(*m_client, m_borrower, m_weth, tests::calldata("approve(address,uint256)", "[\"" + m_loans.to_hex() + "\"," + dec(wallet::U256::max()) + "]")));
        for (int id : {7, 8, 9, 10})
            VERIFY_OK(tests::send_and_wait(*m_client, m_owner, m_collection,
                                           tests::calldata("mint(address,uint256)", "[\"" + address_of(m_borrower).to_hex() + "\"," + std::to_string(id) + "]")));
        VERIFY_OK(tests::send_and_wait(*m_client, m_borrower, m_collection, tests::calldata("setApprovalForAll(address,bool)", "[\"" + m_loans.to_hex() + "\",true]")));
    }
    void cleanupTestCase()
    {
        m_client.reset();
        m_node.reset();
    }

    void selectorsAndTopicsAreNftfis()
    {
        // Published NFTfi v2 values (reference: computed from the deployed ABI).
        QCOMPARE(wallet::to_hex(tests::calldata(kAcceptOffer, R"([["0","0","0","0x0000000000000000000000000000000000000000","0","0","0x0000000000000000000000000000000000000000","0x0000000000000000000000000000000000000000"],["0","0","0x0000000000000000000000000000000000000000","0x"],["0x0000000000000000000000000000000000000000","0"]])")).substr(0, 10),
                 std::string("0x56efe98c"));
        QCOMPARE(m_loan_abi.event("LoanStarted")->topic().to_hex(), std::string("0x42cc7f53ef7b494c5dd6f0095175f7d07b5d3d7b2a03f34389fea445ba4a3a8b"));
        QCOMPARE(m_loan_abi.event("LoanRepaid")->topic().to_hex(), std::string("0x3687d64f40b11dd1c102a76882ac1735891c546a96ae27935eb5c7865b9d86fa"));
        QCOMPARE(m_loan_abi.event("LoanLiquidated")->topic().to_hex(), std::string("0x4fac0ff43299a330bce57d0579985305af580acf256a6d7977083ede81be1326"));
        QCOMPARE(m_loan_abi.event("LoanRenegotiated")->topic().to_hex(), std::string("0x37357bed780fda5aed28c32fe9cd762cb2f2f8a70c0d9b342aba59c945943ca0"));
        const auto selector = m_loan_abi.function("loanIdToLoan")->selector();
        QCOMPARE(wallet::to_hex(wallet::ByteView(selector.data(), 4)), std::string("0x227cda18"));
    }

    void acceptAndRepayPaysTheLenderLessTheAdminFee()
    {
        const auto principal = *wallet::U256::parse_units("1", 18);
        const auto repayment = *wallet::U256::parse_units("1.1", 18);
        auto receipt = tests::send_and_wait(*m_client, m_borrower, m_loans, accept_calldata(7, principal, repayment, 1, far_expiry(), 25));
        VERIFY_OK(receipt);
        const auto& started = receipt->logs.back();
        QCOMPARE(started.topics.at(0), m_loan_abi.event("LoanStarted")->topic());
        auto values = abi::decode_log(*m_loan_abi.event("LoanStarted"), started.topics, started.data);
        VERIFY_OK(values);
        const auto loan_id = std::get<wallet::U256>((*values)[0].data);
        QCOMPARE(std::get<wallet::Address>((*values)[2].data), address_of(m_lender));

        // loanIdToLoan: 11 flat fields, the start time is the block's.
        auto loan = read("loanIdToLoan", "[" + loan_id.to_dec() + "]");
        const auto block = eth::get_block(*m_client, eth::BlockTag::number(receipt->block_number));
        QCOMPARE(std::get<wallet::U256>(loan[0].data), principal);
        QCOMPARE(std::get<wallet::U256>(loan[1].data), repayment);
        QCOMPARE(std::get<wallet::U256>(loan[4].data), wallet::U256(kSevenDays));
        QCOMPARE(std::get<wallet::U256>(loan[8].data), wallet::U256(block->timestamp));
        QCOMPARE(std::get<wallet::Address>(loan[10].data), address_of(m_borrower));
        QCOMPARE(owner_of(7), m_loans);
        QCOMPARE(read("getPayoffAmount", "[" + loan_id.to_dec() + "]").front(), abi::Value{repayment});

        const auto lender_before = weth_balance(address_of(m_lender));
        const auto owner_before = weth_balance(address_of(m_owner));
        auto repaid = tests::send_and_wait(*m_client, m_borrower, m_loans, tests::calldata("payBackLoan(uint32)", "[" + loan_id.to_dec() + "]"));
        VERIFY_OK(repaid);
        // Reference math: adminFee = floor(interest × adminFeeBps / 10000), taken out of the lender's interest.
        const auto interest = *wallet::U256::checked_sub(repayment, principal);
        const auto admin_fee = *wallet::U256::mul_div(interest, wallet::U256(25), wallet::U256(10000));
        QCOMPARE(weth_balance(address_of(m_lender)), *wallet::U256::checked_add(lender_before, *wallet::U256::checked_sub(repayment, admin_fee)));
        QCOMPARE(weth_balance(address_of(m_owner)), *wallet::U256::checked_add(owner_before, admin_fee));
        QCOMPARE(owner_of(7), address_of(m_borrower));
        QCOMPARE(read("loanRepaidOrLiquidated", "[" + loan_id.to_dec() + "]").front(), abi::Value{true});
        QCOMPARE(repaid->logs.back().topics.at(0), m_loan_abi.event("LoanRepaid")->topic());
    }

    void badOffersRevertWithTheirReasons_data()
    {
        QTest::addColumn<int>("case_");
        QTest::addColumn<QString>("reason");
        QTest::newRow("nonce reused") << 0 << "Lender nonce invalid";
        QTest::newRow("expired") << 1 << "Lender Signature has expired";
        QTest::newRow("stale admin fee") << 2 << "The admin fee has changed since this order was signed.";
        QTest::newRow("signed by someone else") << 3 << "Lender signature is invalid";
        QTest::newRow("negative interest") << 4 << "Negative interest rate loans are not allowed.";
    }

    void badOffersRevertWithTheirReasons()
    {
        QFETCH(int, case_);
        QFETCH(QString, reason);
        const auto one = *wallet::U256::parse_units("1", 18);
        const auto more = *wallet::U256::parse_units("1.05", 18);
        wallet::Bytes data;
        switch (case_) {
        case 0: data = accept_calldata(8, one, more, 1, far_expiry(), 25); break;  // nonce 1 was used above
        case 1: data = accept_calldata(8, one, more, 100, 1, 25); break;
        case 2: data = accept_calldata(8, one, more, 101, far_expiry(), 30); break;
        case 3: data = accept_calldata(8, one, more, 102, far_expiry(), 25, &m_borrower); break;
        case 4: data = accept_calldata(8, more, one, 103, far_expiry(), 25); break;
        }
        eth::CallRequest request;
        request.from = address_of(m_borrower);
        request.to = m_loans;
        request.data = data;
        auto result = eth::call(*m_client, request, eth::BlockTag::latest());
        QVERIFY(!result);
        QCOMPARE(result.error().code, Errc::Revert);
        QVERIFY2(result.error().message().find(reason.toStdString()) != std::string::npos, result.error().message().c_str());
    }

    void overdueLoanGoesToTheLender()
    {
        const auto one = *wallet::U256::parse_units("1", 18);
        auto receipt = tests::send_and_wait(*m_client, m_borrower, m_loans, accept_calldata(9, one, *wallet::U256::parse_units("1.2", 18), 2, far_expiry(), 25));
        VERIFY_OK(receipt);
        const auto loan_id = std::get<wallet::U256>(abi::decode_log(*m_loan_abi.event("LoanStarted"), receipt->logs.back().topics,
                                                                    receipt->logs.back().data)->at(0).data).to_dec();
        const std::string liquidate = "[" + loan_id + "]";
        QVERIFY(revert_reason(m_lender, "liquidateOverdueLoan(uint32)", liquidate).find("Loan is not overdue yet") != std::string::npos);

        m_node->rpc("evm_increaseTime", "[" + std::to_string(kSevenDays + 1) + "]");
        m_node->rpc("anvil_mine", R"(["0x1"])");
        QVERIFY(revert_reason(m_borrower, "payBackLoan(uint32)", liquidate).find("Loan is expired") != std::string::npos);
        QVERIFY(revert_reason(m_borrower, "liquidateOverdueLoan(uint32)", liquidate).find("Only lender can liquidate") != std::string::npos);
        auto liquidated = tests::send_and_wait(*m_client, m_lender, m_loans, tests::calldata("liquidateOverdueLoan(uint32)", liquidate));
        VERIFY_OK(liquidated);
        QCOMPARE(liquidated->logs.back().topics.at(0), m_loan_abi.event("LoanLiquidated")->topic());
        QCOMPARE(owner_of(9), address_of(m_lender));
        QVERIFY(revert_reason(m_lender, "liquidateOverdueLoan(uint32)", liquidate).find("Loan already repaid/liquidated") != std::string::npos);
    }

    void renegotiationBuysTimeWithALenderSignature()
    {
        const auto one = *wallet::U256::parse_units("1", 18);
        auto receipt = tests::send_and_wait(*m_client, m_borrower, m_loans, accept_calldata(10, one, *wallet::U256::parse_units("1.1", 18), 3, far_expiry(), 25));
        VERIFY_OK(receipt);
        const auto loan_id = std::get<wallet::U256>(abi::decode_log(*m_loan_abi.event("LoanStarted"), receipt->logs.back().topics,
                                                                    receipt->logs.back().data)->at(0).data);
        const std::uint64_t new_duration = 2 * kSevenDays;
        const auto new_repayment = *wallet::U256::parse_units("1.15", 18);
        const auto fee = *wallet::U256::parse_units("0.01", 18);
        // NFTfi packs the loan id as 32 bytes here, the duration as 4.
        Packed packed;
        packed.uint(loan_id, 32).uint(wallet::U256(new_duration), 4).uint(new_repayment, 32).uint(fee, 32).address(address_of(m_lender))
            .uint(wallet::U256(50), 32).uint(wallet::U256(far_expiry()), 32).address(m_loans).uint(wallet::U256(31337), 32);
        const auto digest = wallet::personal_message_digest(wallet::keccak256(packed.bytes).view());
        const auto signature = wallet::sign_digest(m_lender, digest).to_rsv();
        const std::string args = "[" + dec(loan_id) + ",\"" + std::to_string(new_duration) + "\"," + dec(new_repayment) + "," + dec(fee) + ",\"50\",\""
                                 + std::to_string(far_expiry()) + "\",\"" + wallet::to_hex(signature.view()) + "\"]";
        const std::string renegotiate = "renegotiateLoan(uint32,uint32,uint256,uint256,uint256,uint256,bytes)";
        QVERIFY(revert_reason(m_lender, renegotiate, args).find("Only borrower can initiate") != std::string::npos);
        const auto lender_before = weth_balance(address_of(m_lender));
        auto renegotiated = tests::send_and_wait(*m_client, m_borrower, m_loans, tests::calldata(renegotiate, args));
        VERIFY_OK(renegotiated);
        QCOMPARE(renegotiated->logs.back().topics.at(0), m_loan_abi.event("LoanRenegotiated")->topic());
        auto loan = read("loanIdToLoan", "[" + loan_id.to_dec() + "]");
        QCOMPARE(std::get<wallet::U256>(loan[4].data), wallet::U256(new_duration));
        QCOMPARE(std::get<wallet::U256>(loan[1].data), new_repayment);
        // The lender gets the fee less the admin share: floor(fee × 25 / 10000) goes to the owner.
        const auto admin_share = *wallet::U256::mul_div(fee, wallet::U256(25), wallet::U256(10000));
        QCOMPARE(weth_balance(address_of(m_lender)), *wallet::U256::checked_add(lender_before, *wallet::U256::checked_sub(fee, admin_share)));
        // The same signature cannot be used twice.
        QVERIFY(revert_reason(m_borrower, renegotiate, args).find("Lender nonce invalid") != std::string::npos);
    }

    void lenderCancelsANonceAndTheOwnerChangesTheFee()
    {
        const std::string nonce_used = "[\"" + address_of(m_lender).to_hex() + "\",\"77\"]";
        QCOMPARE(read("getWhetherNonceHasBeenUsedForUser", nonce_used).front(), abi::Value{false});
        VERIFY_OK(tests::send_and_wait(*m_client, m_lender, m_loans, tests::calldata("cancelLoanCommitmentBeforeLoanHasBegun(uint256)", "[77]")));
        QCOMPARE(read("getWhetherNonceHasBeenUsedForUser", nonce_used).front(), abi::Value{true});
        const auto refused = revert_reason(m_borrower, "updateAdminFee(uint16)", "[50]");
        QVERIFY2(refused.find("OwnableUnauthorizedAccount(\"" + address_of(m_borrower).to_hex() + "\")") != std::string::npos, refused.c_str());
        VERIFY_OK(tests::send_and_wait(*m_client, m_owner, m_loans, tests::calldata("updateAdminFee(uint16)", "[50]")));
        QCOMPARE(read("adminFeeInBasisPoints", "[]").front(), abi::Value{wallet::U256(50)});
        // An offer signed against the old fee no longer goes through.
        eth::CallRequest request;
        request.from = address_of(m_borrower);
        request.to = m_loans;
        request.data = accept_calldata(8, *wallet::U256::parse_units("1", 18), *wallet::U256::parse_units("1.1", 18), 78, far_expiry(), 25);
        auto result = eth::call(*m_client, request, eth::BlockTag::latest());
        QVERIFY(!result);
        QVERIFY2(result.error().message().find("The admin fee has changed") != std::string::npos, result.error().message().c_str());
    }

private:
    wallet::Bytes with_args(const wallet::Bytes& code, const std::string& types, const std::string& args)
    {
        auto parsed = abi::parse_type_list(types);
        auto values = abi::values_from_json(*parsed, args);
        auto encoded = abi::encode(*parsed, *values);
        wallet::Bytes out = code;
        out.insert(out.end(), encoded->begin(), encoded->end());
        return out;
    }

    static std::uint64_t far_expiry() { return 4000000000ULL; }

    /// acceptOffer calldata with an offer the lender (or `signer_key`) signed as NFTfi does.
    wallet::Bytes accept_calldata(int token, const wallet::U256& principal, const wallet::U256& repayment, std::uint64_t nonce,
                                  std::uint64_t expiry, unsigned admin_fee, const wallet::PrivateKey* signer_key = nullptr)
    {
        const wallet::Address zero;
        Packed packed;
        packed.address(m_weth).uint(principal, 32).uint(repayment, 32).address(m_collection).uint(wallet::U256(std::uint64_t(token)), 32)
            .address(zero).uint(wallet::U256(kSevenDays), 4).uint(wallet::U256(admin_fee), 2).address(address_of(m_lender))
            .uint(wallet::U256(nonce), 32).uint(wallet::U256(expiry), 32).address(m_loans).uint(wallet::U256(31337), 32);
        const auto message = wallet::keccak256(packed.bytes);
        const auto digest = wallet::personal_message_digest(message.view());
        const auto signature = wallet::sign_digest(signer_key ? *signer_key : m_lender, digest).to_rsv();
        const std::string args = "[[" + dec(principal) + "," + dec(repayment) + ",\"" + std::to_string(token) + "\",\"" + m_collection.to_hex() + "\",\""
                                 + std::to_string(kSevenDays) + "\",\"" + std::to_string(admin_fee) + "\",\"" + m_weth.to_hex() + "\",\"" + zero.to_hex()
                                 + "\"],[\"" + std::to_string(nonce) + "\",\"" + std::to_string(expiry) + "\",\"" + address_of(m_lender).to_hex() + "\",\""
                                 + wallet::to_hex(signature.view()) + "\"],[\"" + zero.to_hex() + "\",\"0\"]]";
        return tests::calldata(kAcceptOffer, args);
    }

    std::vector<abi::Value> read(const std::string& function, const std::string& args)
    {
        const auto* signature = m_loan_abi.function(function);
        auto values = abi::values_from_json(signature->inputs, args);
        auto body = abi::encode(signature->inputs, *values);
        const auto selector = signature->selector();
        eth::CallRequest request;
        request.to = m_loans;
        request.data.assign(selector.begin(), selector.end());
        request.data.insert(request.data.end(), body->begin(), body->end());
        auto answer = eth::call(*m_client, request, eth::BlockTag::latest());
        if (!answer) return {};
        auto decoded = abi::decode(signature->outputs, *answer);
        return decoded ? *decoded : std::vector<abi::Value>{};
    }

    wallet::U256 weth_balance(const wallet::Address& who)
    {
        eth::CallRequest request;
        request.to = m_weth;
        request.data = tests::calldata("balanceOf(address)", "[\"" + who.to_hex() + "\"]");
        return *wallet::U256::from_be(*eth::call(*m_client, request, eth::BlockTag::latest()));
    }

    wallet::Address owner_of(int token)
    {
        eth::CallRequest request;
        request.to = m_collection;
        request.data = tests::calldata("ownerOf(uint256)", "[" + std::to_string(token) + "]");
        const auto word = *eth::call(*m_client, request, eth::BlockTag::latest());
        return wallet::Address(*wallet::FixedBytes<20>::from_view(wallet::ByteView(word).subspan(12)));
    }

    std::string revert_reason(const wallet::PrivateKey& from, const std::string& signature, const std::string& args)
    {
        eth::CallRequest request;
        request.from = address_of(from);
        request.to = m_loans;
        request.data = tests::calldata(signature, args);
        auto result = eth::call(*m_client, request, eth::BlockTag::latest(), m_loan_abi.errors());
        return result ? std::string("(no revert)") : result.error().message();
    }

    std::unique_ptr<AnvilNode> m_node;
    std::unique_ptr<eth::RpcClient> m_client;
    wallet::PrivateKey m_owner = tests::dev_key(tests::kDevKey0);
    wallet::PrivateKey m_lender = tests::dev_key(tests::kDevKey1);
    wallet::PrivateKey m_borrower = tests::dev_key(kBorrowerKey);
    wallet::Address m_weth;
    wallet::Address m_collection;
    wallet::Address m_loans;
    abi::ContractAbi m_loan_abi;
};

NFTTERM_TEST_APPLESS(P2pLoanTest)
#include "p2p_loan_test.moc"
