// libFuzzer target: typed data to sign comes from dapps and files. Hashing it
// must never crash, recurse without bound or read out of bounds; what hashes
// once hashes the same again (no hidden state).
#include <wallet/messages/eip712.hpp>

#include <cstdlib>
#include <string>

using namespace nftterm;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto first = wallet::hash_typed_data(text);
    if (!first) return 0;
    auto again = wallet::hash_typed_data(text);
    if (!again || again->digest != first->digest || again->domain_separator != first->domain_separator) std::abort();
    return 0;
}
