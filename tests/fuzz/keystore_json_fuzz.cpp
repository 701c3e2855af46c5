// libFuzzer target: a keystore file is untrusted (an import, a download).
// Checking it must never crash, over-read or run unbounded work; a file the
// check accepts at a cost a fuzzer can afford is decrypted (the seed corpus
// holds one made for "fuzz password", so the MAC and cipher paths run too),
// and a key it yields belongs to the address the file names.
#include <wallet/keys/keystore.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <string_view>

using namespace nftterm;

namespace {

/// Whether deriving the key is cheap enough to do on every input (the bounds themselves are checked by keystore::check).
bool cheap(std::string_view text)
{
    const auto root = nlohmann::json::parse(text, nullptr, false);
    if (!root.is_object()) return false;
    const auto crypto = root.contains("crypto") ? root["crypto"] : root.value("Crypto", nlohmann::json());
    if (!crypto.is_object() || !crypto.contains("kdfparams") || !crypto["kdfparams"].is_object()) return false;
    const auto& params = crypto["kdfparams"];
    const auto small = [&](const char* name, std::uint64_t limit) {
        return !params.contains(name) || (params[name].is_number_unsigned() && params[name].get<std::uint64_t>() <= limit);
    };
    return small("n", 16) && small("r", 2) && small("p", 2) && small("c", 16);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)wallet::keystore::address_of_file(text);
    if (!wallet::keystore::check(text) || !cheap(text)) return 0;
    auto key = wallet::keystore::decrypt(text, wallet::as_view(std::string_view("fuzz password")));
    if (!key) return 0;
    if (auto claimed = wallet::keystore::address_of_file(text); claimed && *claimed != wallet::address_of(wallet::public_key_of(*key))) std::abort();
    return 0;
}
