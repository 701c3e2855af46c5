// libFuzzer target: the strict ABI decoder and the revert decoder must never
// crash or read out of bounds, and what they accept must survive a round trip.
#include <protocols/eth/abi/abi_value.hpp>
#include <protocols/eth/abi/revert_reason.hpp>

#include <cstdlib>

using namespace nftterm;
using namespace nftterm::protocols;

namespace {

const std::vector<std::vector<abi::Type>>& type_lists()
{
    static const std::vector<std::vector<abi::Type>> lists = [] {
        std::vector<std::vector<abi::Type>> out;
        for (const char* text : {"(uint256,string)", "((bool,bytes)[])", "((address,bool,bytes)[])",
                                 "(bytes,uint8[3],(int16,bytes32)[],string[])", "(int256,address,bool,bytes4)",
                                 "((uint256,(string,bytes)[2])[],uint64[][])"})
            out.push_back(*abi::parse_type_list(text));
        return out;
    }();
    return lists;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) return 0;
    const auto& types = type_lists()[data[0] % type_lists().size()];
    const wallet::ByteView body(data + 1, size - 1);
    (void)abi::describe_revert(body);
    auto values = abi::decode(types, body);
    if (!values) return 0;
    // Accepted data re-encodes to something that decodes to the same values.
    auto encoded = abi::encode(types, *values);
    if (!encoded) std::abort();
    auto again = abi::decode(types, *encoded);
    if (!again || *again != *values) std::abort();
    return 0;
}
