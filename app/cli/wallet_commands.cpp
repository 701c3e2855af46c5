#include "wallet_commands.hpp"

#include "arguments.hpp"
#include "secret_input.hpp"
#include "signer_options.hpp"

#include <wallet/accounts/account_store.hpp>
#include <wallet/accounts/atomic_file.hpp>
#include <wallet/hw/ledger_signer.hpp>
#include <wallet/keys/bip32.hpp>
#include <wallet/keys/bip39.hpp>
#include <wallet/keys/keystore.hpp>
#include <wallet/keys/key_import.hpp>
#include <wallet/messages/eip191.hpp>
#include <wallet/messages/eip712.hpp>
#include <wallet/signer/signer.hpp>
#include <wallet/tx/transaction_json.hpp>
#include <protocols/eth/tx/tx_summary.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>

namespace nftterm::cli {
namespace {

using namespace nftterm::wallet;
using nlohmann::json;

constexpr const char* kUsage = R"(usage: nftterm-cli wallet COMMAND [options]

  new        [--label L] --password-file P              a new random key, stored encrypted
  import     --mnemonic-file F [--passphrase-file P] [--path PATH] --password-file P [--label L]
  import     --private-key-file F --password-file P [--label L]
  import     --keystore FILE [--password-file P] [--label L]
  watch      --address ADDR [--label L]                 a watch-only address
  list
  derive     --mnemonic-file F [--passphrase-file P] --path PATH
  sign-tx    KEY --tx-json F [--yes]        (a "from" other than the key's is refused)
  sign-message KEY --message-file F [--yes]
  sign-typed-data KEY --data-json F [--yes]
  decode-tx  --raw 0x…
  ledger accounts [--scheme bip44|live] [--count N] [--start I]   the device's addresses, as JSON
  ledger add --path P [--label L]            a Ledger account (path and address; no secret)

  KEY is --keystore FILE --password-file P, --private-key-file F, or --ledger
  [--ledger-path P] (default m/44'/60'/0'/0/0). A Ledger is reached with
  --ledger-transport hid (USB, the default) or tcp:HOST:PORT (Speculos), or
  NFTTERM_LEDGER_TRANSPORT.
  On a terminal the sign-* commands show what they sign and ask first, unless --yes.
  Every command takes --store DIR (default: $NFTTERM_DATA_DIR or ~/.local/share/nftterm)
  and prints JSON (--json is accepted for symmetry with other commands).
)";

/// A failure with the message for stderr and the exit code.
struct Failure {
    std::string message;
    int exit_code = 1;
};

template <typename T>
using Outcome = std::expected<T, Failure>;

std::unexpected<Failure> failure(const Error& error)
{
    return std::unexpected(Failure{error.message()});
}

std::unexpected<Failure> usage(std::string message)
{
    return std::unexpected(Failure{std::move(message) + " (see: nftterm-cli wallet --help)", 2});
}

[[nodiscard]] Outcome<AccountStore> open_store(const Arguments& args)
{
    auto store = AccountStore::open(args.value("store").value_or(AccountStore::default_folder().string()));
    if (!store) return failure(store.error());
    return std::move(*store);
}

[[nodiscard]] Outcome<SecretBytes> password_for_writing(const Arguments& args)
{
    auto password = read_secret(args.value("password-file"), "New keystore password", "--password-file");
    if (!password) return failure(password.error());
    if (password->empty()) return usage("the keystore password is empty");
    return std::move(*password);
}

keystore::ScryptParams scrypt_params(const Arguments& args)
{
    // Tests and weak machines may ask for geth's light scrypt cost.
    return args.has("light-kdf") ? keystore::ScryptParams::light() : keystore::ScryptParams::standard();
}

[[nodiscard]] Outcome<json> store_key(const Arguments& args, const PrivateKey& key)
{
    auto password = password_for_writing(args);
    if (!password) return std::unexpected(password.error());
    auto store = open_store(args);
    if (!store) return std::unexpected(store.error());
    auto encrypted = keystore::encrypt(key, password->view(), scrypt_params(args));
    if (!encrypted) return failure(encrypted.error());
    auto entry = store->add_keystore(*encrypted, args.value("label").value_or(""));
    if (!entry) return failure(entry.error());
    return json{{"address", entry->address.to_hex()},
                {"label", entry->label},
                {"keystore", store->keystore_path(*entry).string()}};
}

[[nodiscard]] Outcome<PrivateKey> key_from_mnemonic(const Arguments& args, const std::string& path_text)
{
    auto mnemonic = read_secret(args.value("mnemonic-file"), "Mnemonic", "--mnemonic-file");
    if (!mnemonic) return failure(mnemonic.error());
    SecretBytes passphrase;
    if (auto file = args.value("passphrase-file")) {
        auto read = read_secret(file, "Passphrase", "--passphrase-file");
        if (!read) return failure(read.error());
        passphrase = std::move(*read);
    }
    auto path = DerivationPath::parse(path_text);
    if (!path) return failure(path.error());
    auto key = wallet::key_from_mnemonic(mnemonic->as_string(), passphrase.as_string(), *path);
    if (!key) return failure(key.error());
    return std::move(*key);
}

/// The signing key from --keystore/--password-file or --private-key-file.
[[nodiscard]] Outcome<std::unique_ptr<Signer>> signer_from(const Arguments& args)
{
    if (!has_signer(args)) return usage(kNoSigner);
    auto signer = signer_from_options(args);
    if (!signer) return failure(signer.error());
    return std::move(*signer);
}

[[nodiscard]] Outcome<json> cmd_new(const Arguments& args)
{
    auto key = PrivateKey::generate();
    if (!key) return failure(key.error());
    return store_key(args, *key);
}

[[nodiscard]] Outcome<json> cmd_import(const Arguments& args)
{
    if (args.has("mnemonic-file")) {
        const std::string path = args.value("path").value_or(DerivationPath::bip44(0).to_string());
        auto key = key_from_mnemonic(args, path);
        if (!key) return std::unexpected(key.error());
        auto out = store_key(args, *key);
        if (out) (*out)["path"] = path;
        return out;
    }
    if (auto file = args.value("private-key-file")) {
        auto key = private_key_from_file(*file);
        if (!key) return failure(key.error());
        return store_key(args, *key);
    }
    if (auto file = args.value("keystore")) {
        auto text = read_small_file(*file);
        if (!text) return failure(text.error());
        if (args.has("password-file")) {
            // Prove the password opens it before the store takes it in.
            auto password = read_secret(args.value("password-file"), "Keystore password", "--password-file");
            if (!password) return failure(password.error());
            auto key = keystore::decrypt(*text, password->view());
            if (!key) return failure(key.error());
        }
        auto store = open_store(args);
        if (!store) return std::unexpected(store.error());
        auto entry = store->add_keystore(*text, args.value("label").value_or(""));
        if (!entry) return failure(entry.error());
        return json{{"address", entry->address.to_hex()},
                    {"label", entry->label},
                    {"keystore", store->keystore_path(*entry).string()}};
    }
    return usage("import needs --mnemonic-file, --private-key-file or --keystore");
}

[[nodiscard]] Outcome<json> cmd_watch(const Arguments& args)
{
    auto text = args.value("address");
    if (!text) return usage("watch needs --address ADDR");
    auto address = Address::parse(*text);
    if (!address) return failure(address.error());
    auto store = open_store(args);
    if (!store) return std::unexpected(store.error());
    auto entry = store->add_watch_only(*address, args.value("label").value_or(""));
    if (!entry) return failure(entry.error());
    return json{{"address", entry->address.to_hex()}, {"label", entry->label}, {"kind", "watch"}};
}

[[nodiscard]] Outcome<json> cmd_list(const Arguments& args)
{
    auto store = open_store(args);
    if (!store) return std::unexpected(store.error());
    json list = json::array();
    for (const auto& entry : store->accounts()) {
        json item = {{"address", entry.address.to_hex()},
                     {"label", entry.label},
                     {"kind", std::string(to_string(entry.kind))}};
        if (entry.kind == AccountKind::Ledger) item["path"] = entry.path;
        if (entry.kind == AccountKind::Keystore) item["keystore"] = store->keystore_path(entry).string();
        list.push_back(std::move(item));
    }
    return list;
}

/// How long a device may take to answer a request that needs no person.
constexpr std::chrono::seconds kDeviceAnswer{30};

[[nodiscard]] Outcome<json> cmd_ledger_accounts(const Arguments& args)
{
    const std::string scheme = args.value("scheme").value_or("bip44");
    if (scheme != "bip44" && scheme != "live") return usage("--scheme is bip44 (m/44'/60'/0'/0/i) or live (m/44'/60'/i'/0/0)");
    const auto number = [&](const char* name, std::uint32_t fallback, std::uint32_t most) -> std::optional<std::uint32_t> {
        const auto text = args.value(name);
        if (!text) return fallback;
        char* end = nullptr;
        const unsigned long value = std::strtoul(text->c_str(), &end, 10);
        if (text->empty() || *end != '\0' || value > most) return std::nullopt;
        return static_cast<std::uint32_t>(value);
    };
    const auto count = number("count", 5, 100);
    const auto start = number("start", 0, 0x7FFFFFFF - 100);
    if (!count || *count == 0) return usage("--count is a whole number from 1 to 100");
    if (!start) return usage("--start is a whole number below 2^31 - 100");
    auto transport = ledger::open_transport(ledger::transport_spec(args.value("ledger-transport")));
    if (!transport) return failure(transport.error());
    SignContext context;
    context.timeout = kDeviceAnswer;
    auto accounts = ledger::discover_accounts(**transport, scheme == "live", *start, *count, context);
    if (!accounts) return failure(accounts.error());
    json list = json::array();
    for (const auto& account : *accounts) list.push_back({{"path", account.path.to_string()}, {"address", account.address.to_hex()}});
    return list;
}

[[nodiscard]] Outcome<json> cmd_ledger_add(const Arguments& args)
{
    const auto path_text = args.value("path");
    if (!path_text) return usage("ledger add needs --path P (see: nftterm-cli wallet ledger accounts)");
    auto path = DerivationPath::parse(*path_text);
    if (!path) return failure(path.error());
    const std::string spec = ledger::transport_spec(args.value("ledger-transport"));
    SignContext context;
    context.timeout = kDeviceAnswer;
    auto device = ledger::LedgerSigner::connect([spec] { return ledger::open_transport(spec); }, *path, std::nullopt, context);
    if (!device) return failure(device.error());
    auto store = open_store(args);
    if (!store) return std::unexpected(store.error());
    auto entry = store->add_ledger((*device)->address(), path->to_string(), spec, args.value("label").value_or(""));
    if (!entry) return failure(entry.error());
    return json{{"address", entry->address.to_hex()}, {"label", entry->label}, {"kind", "ledger"}, {"path", entry->path}, {"transport", entry->transport}};
}

[[nodiscard]] Outcome<json> cmd_derive(const Arguments& args)
{
    auto path = args.value("path");
    if (!path) return usage("derive needs --path PATH (e.g. \"m/44'/60'/0'/0/0\")");
    if (!args.has("mnemonic-file")) return usage("derive needs --mnemonic-file F");
    auto key = key_from_mnemonic(args, *path);
    if (!key) return std::unexpected(key.error());
    return json{{"address", address_of(public_key_of(*key)).to_hex()}, {"path", *path}};
}

[[nodiscard]] Outcome<json> cmd_sign_tx(const Arguments& args)
{
    auto file = args.value("tx-json");
    if (!file) return usage("sign-tx needs --tx-json F");
    auto text = read_small_file(*file);
    if (!text) return failure(text.error());
    auto tx = transaction_from_json(*text);
    if (!tx) return failure(tx.error());
    auto signer = signer_from(args);
    if (!signer) return std::unexpected(signer.error());
    // A "from" that is not this key means the file was meant for another account: signing it would be a surprise.
    const json fields = json::parse(*text, nullptr, false);
    if (fields.is_object() && fields.contains("from")) {
        const auto from = fields["from"].is_string() ? Address::parse(fields["from"].get<std::string>()) : Address::parse("");
        if (!from) return usage("the transaction's \"from\" is not an address");
        if (*from != (*signer)->address())
            return usage("the transaction is from " + from->to_hex() + ", but the key given is " + (*signer)->address().to_hex() + "'s: nothing was signed");
    }
    if (!ask_on_terminal(args, protocols::eth::signing_summary(*tx, (*signer)->address(), "the transaction in " + *file)))
        return usage("declined; nothing was signed");
    auto signed_tx = (*signer)->sign_transaction(*tx, {});
    if (!signed_tx) return failure(signed_tx.error());
    return json{{"raw", to_hex(signed_tx->raw)}, {"hash", signed_tx->hash.to_hex()}, {"from", signed_tx->from.to_hex()}};
}

[[nodiscard]] Outcome<json> cmd_sign_message(const Arguments& args)
{
    auto file = args.value("message-file");
    if (!file) return usage("sign-message needs --message-file F");
    auto text = read_small_file(*file, 16 << 20);
    if (!text) return failure(text.error());
    auto signer = signer_from(args);
    if (!signer) return std::unexpected(signer.error());
    const Bytes message(text->begin(), text->end());
    if (!ask_on_terminal(args, "Sign: the message in " + *file + " (" + std::to_string(message.size()) + " bytes) with " + (*signer)->address().to_hex()
                                   + "\n  digest " + personal_message_digest(message).to_hex() + "\n  text   " + text->substr(0, 200)
                                   + (text->size() > 200 ? "…" : "") + "\n"))
        return usage("declined; nothing was signed");
    auto signature = (*signer)->sign_personal_message(message, {});
    if (!signature) return failure(signature.error());
    return json{{"signature", to_hex(signature->to_rsv().view())},
                {"digest", personal_message_digest(message).to_hex()},
                {"address", (*signer)->address().to_hex()}};
}

[[nodiscard]] Outcome<json> cmd_sign_typed_data(const Arguments& args)
{
    auto file = args.value("data-json");
    if (!file) return usage("sign-typed-data needs --data-json F");
    auto text = read_small_file(*file, 16 << 20);
    if (!text) return failure(text.error());
    auto hash = hash_typed_data(*text);
    if (!hash) return failure(hash.error());
    auto signer = signer_from(args);
    if (!signer) return std::unexpected(signer.error());
    const json typed = json::parse(*text, nullptr, false);
    const std::string domain = typed.is_object() && typed.contains("domain") ? typed["domain"].dump() : "{}";
    if (!ask_on_terminal(args, "Sign: typed data (EIP-712) " + (typed.is_object() ? typed.value("primaryType", std::string("?")) : std::string("?"))
                                   + " with " + (*signer)->address().to_hex() + "\n  domain " + domain.substr(0, 300) + "\n  digest " + hash->digest.to_hex() + "\n"))
        return usage("declined; nothing was signed");
    auto signature = (*signer)->sign_typed_data(*text, {});
    if (!signature) return failure(signature.error());
    return json{{"signature", to_hex(signature->to_rsv().view())},
                {"digest", hash->digest.to_hex()},
                {"domainSeparator", hash->domain_separator.to_hex()},
                {"address", (*signer)->address().to_hex()}};
}

[[nodiscard]] Outcome<json> cmd_decode_tx(const Arguments& args)
{
    auto raw_text = args.value("raw");
    if (!raw_text) return usage("decode-tx needs --raw 0x…");
    auto raw = bytes_from_hex(*raw_text);
    if (!raw) return failure(raw.error());
    auto decoded = decode_signed_transaction(*raw);
    if (!decoded) return failure(decoded.error());
    return json::parse(signed_transaction_to_json(*decoded));
}

struct Command {
    std::function<Outcome<json>(const Arguments&)> run;
    std::vector<std::string> options;
};

const std::map<std::string, Command>& commands()
{
    const std::vector<std::string> key = kSignerOptions;
    auto with = [](std::vector<std::string> a, const std::vector<std::string>& b) {
        a.insert(a.end(), b.begin(), b.end());
        a.insert(a.end(), {"store", "json"});
        return a;
    };
    static const std::map<std::string, Command> table = {
        {"new", {cmd_new, with({"label", "password-file", "light-kdf"}, {})}},
        {"import",
         {cmd_import, with({"mnemonic-file", "passphrase-file", "path", "private-key-file", "keystore", "password-file",
                            "label", "light-kdf"},
                           {})}},
        {"watch", {cmd_watch, with({"address", "label"}, {})}},
        {"list", {cmd_list, with({}, {})}},
        {"derive", {cmd_derive, with({"mnemonic-file", "passphrase-file", "path"}, {})}},
        {"sign-tx", {cmd_sign_tx, with({"tx-json", "yes"}, key)}},
        {"sign-message", {cmd_sign_message, with({"message-file", "yes"}, key)}},
        {"sign-typed-data", {cmd_sign_typed_data, with({"data-json", "yes"}, key)}},
        {"decode-tx", {cmd_decode_tx, with({"raw"}, {})}},
        {"ledger accounts", {cmd_ledger_accounts, with({"scheme", "count", "start", "ledger-transport"}, {})}},
        {"ledger add", {cmd_ledger_add, with({"path", "label", "ledger-transport"}, {})}},
    };
    return table;
}

}  // namespace

int run_wallet_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"json", "help", "light-kdf", "yes", "ledger"});
    if (auto stop = args.stop_for_help_or_error(kUsage)) return *stop;
    const auto& words = args.positionals();
    // "ledger accounts", "ledger add": a group of two words.
    const bool group = words[1] == "ledger";
    const std::string name = group && words.size() > 2 ? words[1] + " " + words[2] : words[1];
    const auto it = commands().find(name);
    if (it == commands().end() || words.size() > (group ? 3u : 2u)) {
        std::cerr << "nftterm-cli: unknown wallet command '" << name << "' (see: nftterm-cli wallet --help)\n";
        return 2;
    }
    if (auto unknown = args.unknown(it->second.options); !unknown.empty()) {
        std::cerr << "nftterm-cli: wallet " << name << " does not take " << unknown.front() << "\n";
        return 2;
    }
    Outcome<json> result;
    try {
        result = it->second.run(args);
    } catch (const std::exception& e) {
        // Our bug, not the user's input: still one line, no crash.
        result = std::unexpected(Failure{std::string("internal error: ") + e.what(), 70});
    }
    if (!result) {
        std::cerr << "nftterm-cli: " << result.error().message << "\n";
        return result.error().exit_code;
    }
    std::cout << result->dump(2) << "\n";
    return 0;
}

}  // namespace nftterm::cli
