#include "../support/anvil_node.hpp"
#include "../support/eip712_examples.hpp"
#include "../support/ledger_simulator.hpp"

#include <wallet/hw/ledger_apdu.hpp>
#include <wallet/hw/ledger_eip712.hpp>
#include <wallet/hw/ledger_signer.hpp>
#include <wallet/hw/ledger_transport.hpp>
#include <wallet/messages/eip191.hpp>
#include <wallet/messages/eip712.hpp>

#include <nlohmann/json.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

#include <thread>

using namespace nftterm::wallet;
using namespace nftterm::wallet::ledger;
using nftterm::tests::AnvilNode;
using nftterm::tests::LedgerSimulator;
using nftterm::tests::kMail;
using nlohmann::json;

namespace {

// Recorded from a Ledger initialised with "test test … test ball" (MyCrypto's wallets library, its Ledger
// tests): each command as the device received it and its answer, status word included.
constexpr const char* kDeviceAddress = "0xc6D5a3c98EC9073B54FA0969957Bd582e8D874bf";
constexpr const char* kGetAddress = "e002000015058000002c8000003c800000000000000000000000";
constexpr const char* kGetAddressAnswer =
    "4104b884d0c53b60fb8aafba20ca84870f20428082863f1d39a402c36c2de356cb0c6c0a582f54ee29911ca6f1823d34405623f4a7418db8ebb0203bc3acba08ba6428"
    "633644356133633938454339303733423534464130393639393537426435383265384438373462669000";
constexpr const char* kSignLegacy =
    "e004000041058000002c8000003c800000000000000000000000eb0685012a05f20082520894b2bb2b958afa2e96dab3f3ce7162b87daea39017872386f26fc1000080038080";
constexpr const char* kSignLegacyAnswer =
    "2975b96c4423ea79037099e0f8a0fa7d8538f00c6aaddea26e151320aac65ae3bd5266d81476adedc28c5e769f8bf016de33bdaa49f341435df429e01fe5f9b16e9000";
constexpr const char* kSign1559 =
    "e004000046058000002c8000003c80000000000000000000000002ef0306843b9aca008504a817c80082520894b2bb2b958afa2e96dab3f3ce7162b87daea39017872386f26fc1000080c0";
constexpr const char* kSign1559Answer =
    "01884850dc596eac6b74175d2c62deedd9295570808882b0cd9adf47e5ac8b3b3d68881b0ef002d48ef78374d6842ee4987a222a4726af47b5a0a4bcb8f38e2cf39000";
constexpr const char* kSignFoo = "e00800001c058000002c8000003c80000000000000000000000000000003666f6f";
constexpr const char* kSignFooAnswer =
    "1b16f672a12220dc4d9e27671ef580cfc1397a9a4d5ee19eadea46c0f350b2f72a4922be7c1f16ed9b03ef1d3351eac469e33accf5a36194b1d88923701c2b163f9000";



// Ledger's own client tests (ledger-live, hw-app-eth tests/sample-messages/0.json and 0.apdus): a Mail with
// arrays of wallets, and every APDU of the full EIP-712 mode a Ledger was sent for it.
constexpr const char* kMailWithWallets = R"({
  "domain": {"chainId": 5, "name": "Ether Mail", "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC", "version": "1"},
  "message": {"contents": "Hello, Bob!",
              "from": {"name": "Cow", "wallets": ["0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", "0xDeaDbeefdEAdbeefdEadbEEFdeadbeEFdEaDbeeF"]},
              "to": {"name": "Bob", "wallets": ["0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB", "0xB0BdaBea57B0BDABeA57b0bdABEA57b0BDabEa57",
                                                "0xB0B0b0b0b0b0B000000000000000000000000000"]}},
  "primaryType": "Mail",
  "types": {
    "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                     {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
    "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"}, {"name": "contents", "type": "string"}],
    "Person": [{"name": "name", "type": "string"}, {"name": "wallets", "type": "address[]"}]
  }
})";
constexpr const char* kMailWithWalletsApdus[] = {
    "e01a00000c454950373132446f6d61696e", "e01a00ff0605046e616d65", "e01a00ff09050776657273696f6e", "e01a00ff0a422007636861696e4964",
    "e01a00ff130311766572696679696e67436f6e7472616374", "e01a0000044d61696c", "e01a00ff0d0006506572736f6e0466726f6d",
    "e01a00ff0b0006506572736f6e02746f", "e01a00ff0a0508636f6e74656e7473", "e01a000006506572736f6e", "e01a00ff0605046e616d65",
    "e01a00ff0b8301000777616c6c657473", "e01c00000c454950373132446f6d61696e", "e01c00ff0c000a4574686572204d61696c", "e01c00ff03000131",
    "e01c00ff03000105", "e01c00ff160014cccccccccccccccccccccccccccccccccccccccc", "e01c0000044d61696c", "e01c00ff050003436f77",
    "e01c000f0102", "e01c00ff160014cd2a3d9f938e13cd947ec05abc7fe734df8dd826", "e01c00ff160014deadbeefdeadbeefdeadbeefdeadbeefdeadbeef",
    "e01c00ff050003426f62", "e01c000f0103", "e01c00ff160014bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    "e01c00ff160014b0bdabea57b0bdabea57b0bdabea57b0bdabea57", "e01c00ff160014b0b0b0b0b0b0b000000000000000000000000000",
    "e01c00ff0d000b48656c6c6f2c20426f6221", "e00c000115058000002c8000003c800000000000000000000000"};
// Speculos's default seed.
constexpr const char* kSpeculosMnemonic =
    "glory promote mansion idle axis finger extra february uncover one trip resource lawn turtle enact monster seven myth punch hobby comfort wild raise skin";

Bytes hex(const char* text)
{
    return *bytes_from_hex(text);
}

/// The recorded transactions: nonce 6 on chain 3, 0.01 ETH to 0xb2bb…9017 at 21000 gas.
Transaction recorded_transfer(TxType type)
{
    Transaction tx;
    tx.type = type;
    tx.chain_id = ChainId{3};
    tx.nonce = 6;
    tx.to = *Address::parse("0xb2bb2b958afa2e96dab3f3ce7162b87daea39017");
    tx.value = *U256::parse_units("0.01", 18);
    tx.gas_limit = 21000;
    if (type == TxType::Legacy) {
        tx.gas_price = *U256::parse_units("5", 9);
    } else {
        tx.max_priority_fee_per_gas = *U256::parse_units("1", 9);
        tx.max_fee_per_gas = *U256::parse_units("20", 9);
    }
    return tx;
}

/// A reply's data and status word split.
Reply reply_of(const Bytes& answer)
{
    return Reply{Bytes(answer.begin(), answer.end() - 2), static_cast<std::uint16_t>(answer[answer.size() - 2] << 8 | answer.back())};
}

json call(const AnvilNode& node, const std::string& method, const json& params)
{
    return json::parse(node.rpc(method, params.dump()));
}

TransportOpener over_tcp(const LedgerSimulator& device)
{
    return [spec = device.transport_spec()] { return open_transport(spec); };
}

}  // namespace

/// The Ledger path: the APDU codec against a real device's recordings, the
/// HID framing against the spec, and LedgerSigner over both transports
/// against a device simulator, with anvil accepting what it signs.
class LedgerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void apdusEqualThePublishedRecordings()
    {
        // The reference's worked example of a path.
        QCOMPARE(to_hex(*encode_path(DerivationPath::bip44(0))), std::string("0x058000002c8000003c800000000000000000000000"));
        QCOMPARE(get_address(DerivationPath::bip44(0), false)->encode(), hex(kGetAddress));
        const Transaction legacy = recorded_transfer(TxType::Legacy);
        auto apdus = sign_transaction(DerivationPath::bip44(0), *signing_payload(legacy), 3);
        QVERIFY(apdus);
        QCOMPARE(apdus->size(), std::size_t(1));
        QCOMPARE(apdus->front().encode(), hex(kSignLegacy));
        apdus = sign_transaction(DerivationPath::bip44(0), *signing_payload(recorded_transfer(TxType::Eip1559)));
        QVERIFY(apdus);
        QCOMPARE(apdus->front().encode(), hex(kSign1559));
        auto message = sign_personal_message(DerivationPath::bip44(0), as_view("foo"));
        QVERIFY(message);
        QCOMPARE(message->front().encode(), hex(kSignFoo));
        // EIP-712 hashed: the path, then the two hashes the EIP gives for its Mail example.
        const auto mail = hash_typed_data(kMail);
        QVERIFY(mail);
        QCOMPARE(to_hex(sign_eip712_hashed(DerivationPath::bip44(0), mail->domain_separator, mail->message_hash)->encode()),
                 std::string("0xe00c000055058000002c8000003c800000000000000000000000"
                             "f2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f"
                             "c52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e"));
    }

    void longPayloadsAreChunkedAndTheLegacyTailStaysWhole()
    {
        // 300 bytes of calldata: a first chunk of 150 − 21 payload bytes, then 150-byte chunks, each ≤ 255.
        Transaction tx = recorded_transfer(TxType::Legacy);
        tx.data = Bytes(300, 0xab);
        const Bytes payload = *signing_payload(tx);
        const std::size_t tail = 3;  // rlp(3), 0x80, 0x80
        auto apdus = sign_transaction(DerivationPath::bip44(0), payload, tail);
        QVERIFY(apdus);
        Bytes joined;
        for (std::size_t i = 0; i < apdus->size(); ++i) {
            const auto& apdu = (*apdus)[i];
            QCOMPARE(apdu.p1, std::uint8_t(i == 0 ? 0x00 : 0x80));
            QVERIFY(apdu.data.size() <= 255);
            joined.insert(joined.end(), apdu.data.begin() + (i == 0 ? 21 : 0), apdu.data.end());
        }
        QCOMPARE(joined, payload);
        QCOMPARE((*apdus)[0].data.size(), std::size_t(150));
        // Cut where a chunk would end exactly at the tail: that chunk takes the tail with it.
        for (std::size_t size = 100; size < 600; ++size) {
            tx.data = Bytes(size, 0x01);
            const Bytes p = *signing_payload(tx);
            auto cut = sign_transaction(DerivationPath::bip44(0), p, tail);
            QVERIFY(cut);
            std::size_t offset = 0;
            for (std::size_t i = 0; i < cut->size(); ++i) {
                offset += (*cut)[i].data.size() - (i == 0 ? 21 : 0);
                if (i + 1 < cut->size()) QVERIFY2(offset < p.size() - tail, qPrintable(QString::number(size)));
            }
            QCOMPARE(offset, p.size());
        }
    }

    void recordedAnswersRecoverToTheRecordedDevice()
    {
        auto device = parse_address(reply_of(hex(kGetAddressAnswer)).data);
        QVERIFY2(device, device ? "" : device.error().message().c_str());
        QCOMPARE(device->address.to_hex(), std::string(kDeviceAddress));
        // Legacy on chain 3: v = 3·2 + 35 + parity; type 2: v is the parity; a message: 27 + parity.
        const auto legacy = parse_signature(reply_of(hex(kSignLegacyAnswer)).data);
        QCOMPARE(legacy->v, std::uint8_t(41));
        auto signed_legacy = assemble_signed(recorded_transfer(TxType::Legacy), {legacy->r, legacy->s, std::uint8_t(legacy->v - 41)});
        QVERIFY(signed_legacy);
        QCOMPARE(signed_legacy->from.to_hex(), std::string(kDeviceAddress));
        const auto typed = parse_signature(reply_of(hex(kSign1559Answer)).data);
        auto signed_typed = assemble_signed(recorded_transfer(TxType::Eip1559), {typed->r, typed->s, typed->v});
        QVERIFY(signed_typed);
        QCOMPARE(signed_typed->from.to_hex(), std::string(kDeviceAddress));
        const auto foo = parse_signature(reply_of(hex(kSignFooAnswer)).data);
        auto key = recover_public_key(personal_message_digest(as_view("foo")), {foo->r, foo->s, std::uint8_t(foo->v - 27)});
        QVERIFY(key);
        QCOMPARE(address_of(*key).to_hex(), std::string(kDeviceAddress));
        // An answer whose printed address is not its key's is refused.
        Bytes forged = reply_of(hex(kGetAddressAnswer)).data;
        forged[70] = '0';
        QVERIFY(!parse_address(forged));
    }

    void theSimulatorIsTheRecordedDevice()
    {
        LedgerSimulator device;
        QCOMPARE(device.address(DerivationPath::bip44(0)).to_hex(), std::string(kDeviceAddress));
        QCOMPARE(device.handle(hex(kGetAddress)), hex(kGetAddressAnswer));
        // Both sign deterministically (RFC 6979): the same transaction, the same bytes back.
        QCOMPARE(to_hex(device.handle(hex(kSignLegacy))), to_hex(hex(kSignLegacyAnswer)));
        QCOMPARE(to_hex(device.handle(hex(kSign1559))), to_hex(hex(kSign1559Answer)));
        QCOMPARE(to_hex(device.handle(hex(kSignFoo))), to_hex(hex(kSignFooAnswer)));
    }

    void theFullEip712ModeIsTheRecordedOne()
    {
        auto apdus = sign_eip712_full(DerivationPath::bip44(0), kMailWithWallets);
        QVERIFY2(apdus, apdus ? "" : apdus.error().message().c_str());
        QCOMPARE(apdus->size(), std::size(kMailWithWalletsApdus));
        for (std::size_t i = 0; i < apdus->size(); ++i) QCOMPARE(to_hex((*apdus)[i].encode()), to_hex(hex(kMailWithWalletsApdus[i])));
        // A device fed these APDUs rebuilds the document from them alone: its signature is over the document's own
        // EIP-712 digest. (The recording's answer was made with a seed the recording does not name, so it is not compared.)
        LedgerSimulator device(kSpeculosMnemonic);
        Bytes last;
        for (const char* apdu : kMailWithWalletsApdus) last = device.handle(hex(apdu));
        const auto answer = parse_signature(reply_of(last).data);
        QVERIFY(answer);
        auto key = recover_public_key(hash_typed_data(kMailWithWallets)->digest, {answer->r, answer->s, std::uint8_t(answer->v - 27)});
        QVERIFY(key);
        QCOMPARE(address_of(*key), device.address(DerivationPath::bip44(0)));
    }

    void typedDataIsShownFieldByFieldAndHashedOnlyWhereTheAppCannot()
    {
        LedgerSimulator device;
        QVERIFY(device.listen());
        auto signer = LedgerSigner::connect(over_tcp(device), DerivationPath::bip44(0));
        QVERIFY(signer);
        std::optional<DevicePrompt> prompt;
        (*signer)->on_prompt([&](const DevicePrompt& p) { prompt = p; });
        auto full = (*signer)->sign_typed_data(kMailWithWallets, {});
        QVERIFY2(full, full ? "" : full.error().message().c_str());
        QCOMPARE(address_of(*recover_public_key(hash_typed_data(kMailWithWallets)->digest, *full)), (*signer)->address());
        QVERIFY(prompt && !prompt->domain_separator && prompt->what.find("fields") != std::string::npos);
        QVERIFY(std::any_of(device.received().begin(), device.received().end(), [](const Bytes& apdu) { return apdu[1] == 0x1A; }));
        // An app before 1.9.19: the two hashes, and the prompt says why.
        device.version_minor = 8;
        auto hashed = (*signer)->sign_typed_data(kMailWithWallets, {});
        QVERIFY2(hashed, hashed ? "" : hashed.error().message().c_str());
        QCOMPARE(*hashed, *full);  // the same digest, the same deterministic signature
        QVERIFY(prompt && prompt->domain_separator && prompt->what.find("1.9.19") != std::string::npos);
        // … which needs Blind signing.
        device.blind_signing = false;
        auto refused = (*signer)->sign_typed_data(kMailWithWallets, {});
        QVERIFY(!refused);
        QVERIFY2(refused.error().message().find("Blind signing") != std::string::npos, refused.error().message().c_str());
    }

    void hidFramingFollowsTheSpec()
    {
        // E0 06 00 00 00 on channel 0x0101: one report, the length (5) first, zero-padded to 64.
        const auto one = hid_frames(hex("e006000000"), 0x0101);
        QCOMPARE(one.size(), std::size_t(1));
        std::array<std::uint8_t, 64> expected{0x01, 0x01, 0x05, 0x00, 0x00, 0x00, 0x05, 0xe0, 0x06, 0x00, 0x00, 0x00};
        QVERIFY(one[0] == expected);
        // 150 bytes: 57 in the first report, 59 in the next, 34 in the last, sequences 0, 1, 2.
        const Bytes message(150, 0x42);
        const auto three = hid_frames(message, 0xBEEF);
        QCOMPARE(three.size(), std::size_t(3));
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(three[i][0], std::uint8_t(0xBE));
            QCOMPARE(three[i][4], std::uint8_t(i));
        }
        QCOMPARE(three[2][5 + 34 - 1], std::uint8_t(0x42));
        QCOMPARE(three[2][5 + 34], std::uint8_t(0));
        HidReassembler again(0xBEEF);
        QVERIFY(!*again.add(three[0]));
        QVERIFY(!*again.add(three[1]));
        QVERIFY(*again.add(three[2]));
        QCOMPARE(again.message(), message);
        // A report from another channel or out of sequence is refused.
        HidReassembler strict(0xBEEF);
        QVERIFY(!strict.add(three[1]));
        HidReassembler other(0x0101);
        QVERIFY(!other.add(three[0]));
    }

    void signsWhatAnvilAcceptsOverSpeculosAndHid()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        LedgerSimulator device;
        QVERIFY(device.listen());
        auto signer = LedgerSigner::connect(over_tcp(device), DerivationPath::bip44(0));
        QVERIFY2(signer, signer ? "" : signer.error().message().c_str());
        const Address from = (*signer)->address();
        QCOMPARE(from.to_hex(), std::string(kDeviceAddress));
        QVERIFY(call(node, "anvil_setBalance", {from.to_hex(), "0x56bc75e2d63100000"}).contains("result"));  // 100 ETH

        // Over TCP a legacy transaction on chain 31337 (v past one byte) and a type-2 one; over HID another type-2.
        auto hid = LedgerSigner::connect([&] { return std::unique_ptr<Transport>(make_hid_transport(device.hid_device(), "virtual Ledger")); },
                                         DerivationPath::bip44(0), from);
        QVERIFY2(hid, hid ? "" : hid.error().message().c_str());
        const std::vector<std::pair<Signer*, TxType>> cases{{signer->get(), TxType::Legacy}, {signer->get(), TxType::Eip1559}, {hid->get(), TxType::Eip1559}};
        std::uint64_t nonce = 0;
        for (const auto& [by, type] : cases) {
            Transaction tx;
            tx.type = type;
            tx.chain_id = ChainId{31337};
            tx.nonce = nonce++;
            tx.gas_limit = 21000;
            tx.gas_price = *U256::parse_units("3", 9);
            tx.max_fee_per_gas = *U256::parse_units("3", 9);
            tx.max_priority_fee_per_gas = *U256::parse_units("1", 9);
            tx.to = *Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
            tx.value = U256(12345);
            auto signed_tx = by->sign_transaction(tx, {});
            QVERIFY2(signed_tx, signed_tx ? "" : signed_tx.error().message().c_str());
            const json sent = call(node, "eth_sendRawTransaction", {to_hex(signed_tx->raw)});
            QVERIFY2(sent.contains("result"), sent.dump().c_str());
            json receipt;
            for (int attempt = 0; attempt < 100 && !receipt.is_object(); ++attempt) {
                receipt = call(node, "eth_getTransactionReceipt", {signed_tx->hash.to_hex()})["result"];
                if (!receipt.is_object()) QTest::qSleep(50);
            }
            QVERIFY(receipt.is_object());
            QCOMPARE(receipt["status"].get<std::string>(), std::string("0x1"));
            QCOMPARE(Address::parse(receipt["from"].get<std::string>())->to_hex(), from.to_hex());
        }

        // personal_sign and EIP-712 (hashed) recover to the device's address.
        auto message = (*signer)->sign_personal_message(Bytes{'n', 'f', 't'}, {});
        QVERIFY2(message, message ? "" : message.error().message().c_str());
        QCOMPARE(address_of(*recover_public_key(personal_message_digest(as_view("nft")), *message)), from);
        std::optional<DevicePrompt> prompt;
        (*signer)->on_prompt([&](const DevicePrompt& p) { prompt = p; });
        auto typed = (*signer)->sign_typed_data(kMail, {});
        QVERIFY2(typed, typed ? "" : typed.error().message().c_str());
        QCOMPARE(address_of(*recover_public_key(hash_typed_data(kMail)->digest, *typed)), from);
        // The app shows the fields itself (the full mode): the prompt says so, with no hashes to compare.
        QVERIFY(prompt && !prompt->domain_separator && prompt->what.find("fields") != std::string::npos);
    }

    void theDevicesRefusalsAreSaidInWords()
    {
        LedgerSimulator device;
        QVERIFY(device.listen());
        auto signer = LedgerSigner::connect(over_tcp(device), DerivationPath::bip44(0));
        QVERIFY(signer);
        Transaction tx = recorded_transfer(TxType::Eip1559);
        const auto expect = [&](Errc code, const char* words) {
            auto signed_tx = (*signer)->sign_transaction(tx, {});
            QVERIFY(!signed_tx);
            QVERIFY2(signed_tx.error().code == code && signed_tx.error().message().find(words) != std::string::npos, signed_tx.error().message().c_str());
        };
        device.approve = false;
        expect(Errc::UserRejected, "rejected on the device");
        device.approve = true;
        device.locked = true;
        expect(Errc::DeviceLocked, "unlock the Ledger");
        device.locked = false;
        device.app_open = false;
        expect(Errc::AppNotOpen, "open the Ethereum app");
        device.app_open = true;
        // A contract call with Blind signing off: said before the device is asked to sign anything.
        device.blind_signing = false;
        tx.data = Bytes{0x12, 0x34, 0x56, 0x78};
        const std::size_t before = device.received().size();
        expect(Errc::Unsupported, "Blind signing");
        for (std::size_t i = before; i < device.received().size(); ++i) QVERIFY(device.received()[i][1] != 0x04);
        QCOMPARE(device.signatures(), 0);
        // A device with another seed behind the same path is refused before anything is sent.
        auto wrong = LedgerSigner::connect(over_tcp(device), DerivationPath::bip44(0), *Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"));
        QVERIFY(!wrong);
        QVERIFY2(wrong.error().message().find("another device or seed") != std::string::npos, wrong.error().message().c_str());
        // No emulator there at all.
        auto nobody = open_transport("tcp:127.0.0.1:1");
        QVERIFY(!nobody);
        QCOMPARE(nobody.error().code, Errc::DeviceUnavailable);
        QVERIFY(!open_transport("usb"));
    }

    void aSlowDeviceTimesOutAndACancelStopsTheWait()
    {
        LedgerSimulator device;
        QVERIFY(device.listen());
        auto signer = LedgerSigner::connect(over_tcp(device), DerivationPath::bip44(0));
        QVERIFY(signer);
        device.answer_delay_ms = 1500;
        SignContext hurried;
        hurried.timeout = std::chrono::milliseconds(400);
        auto late = (*signer)->sign_transaction(recorded_transfer(TxType::Eip1559), hurried);
        QVERIFY(!late);
        QCOMPARE(late.error().code, Errc::Timeout);
        QVERIFY2(late.error().message().find("400 ms") != std::string::npos, late.error().message().c_str());

        // A cancel from another thread (the window's Cancel button) ends the wait.
        std::stop_source stop;
        SignContext patient;
        patient.stop = stop.get_token();
        std::thread cancel([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            stop.request_stop();
        });
        auto cancelled = (*signer)->sign_transaction(recorded_transfer(TxType::Eip1559), patient);
        cancel.join();
        QVERIFY(!cancelled);
        QCOMPARE(cancelled.error().code, Errc::Cancelled);
        // The signer reconnects for the next request (which the device takes once its last prompt is answered).
        device.answer_delay_ms = 0;
        QVERIFY((*signer)->sign_transaction(recorded_transfer(TxType::Eip1559), {}));
    }

    void aDeviceThatVanishesMidExchangeIsSaid()
    {
        LedgerSimulator device;
        QVERIFY(device.listen());
        auto signer = LedgerSigner::connect(over_tcp(device), DerivationPath::bip44(0));
        QVERIFY(signer);
        Transaction tx = recorded_transfer(TxType::Eip1559);
        tx.data = Bytes(400, 0x01);  // three chunks
        device.vanish_after = 4;     // B0 01, E0 06, E0 02, the first chunk: then gone
        auto gone = (*signer)->sign_transaction(tx, {});
        QVERIFY(!gone);
        QCOMPARE(gone.error().code, Errc::DeviceUnavailable);
        QVERIFY2(gone.error().message().find("went away") != std::string::npos, gone.error().message().c_str());
        // The same over HID: the virtual device unplugs.
        LedgerSimulator usb;
        auto hid = LedgerSigner::connect([&] { return std::unique_ptr<Transport>(make_hid_transport(usb.hid_device())); }, DerivationPath::bip44(0));
        QVERIFY(hid);
        usb.vanish_after = 3;
        auto unplugged = (*hid)->sign_transaction(tx, {});
        QVERIFY(!unplugged);
        QCOMPARE(unplugged.error().code, Errc::DeviceUnavailable);
        QVERIFY2(unplugged.error().message().find("unplugged") != std::string::npos, unplugged.error().message().c_str());
    }
};

NFTTERM_TEST_APPLESS(LedgerTest)
#include "ledger_test.moc"
