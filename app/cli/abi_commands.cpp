#include "abi_commands.hpp"

#include "arguments.hpp"

#include <protocols/eth/abi/abi_json.hpp>

#include <iostream>

namespace nftterm::cli {
namespace {

using namespace nftterm::protocols;

constexpr const char* kUsage = R"(usage: nftterm-cli abi COMMAND [options]

  encode           --sig 'f(uint256,(address,bytes)[])' --args-json '[…]'   calldata as 0x hex
  decode           --types '(uint256,string)' --data 0x…                      values as JSON
  decode-calldata  --sig 'f(…)' --data 0x…                                    arguments as JSON

Integers print as decimal strings; addresses in EIP-55 form; bytes as 0x hex.
)";

int report(const Error& error)
{
    std::cerr << "nftterm-cli: " << error.message() << "\n";
    return 1;
}

int encode_command(const Arguments& args)
{
    auto sig_text = args.value("sig");
    auto values_text = args.value("args-json");
    if (!sig_text || !values_text) {
        std::cerr << "nftterm-cli: abi encode needs --sig and --args-json\n";
        return 2;
    }
    auto data = abi::encode_call(*sig_text, *values_text);
    if (!data) return report(data.error());
    std::cout << wallet::to_hex(*data) << "\n";
    return 0;
}

int decode_command(const Arguments& args, bool calldata)
{
    auto spec = args.value(calldata ? "sig" : "types");
    auto data_text = args.value("data");
    if (!spec || !data_text) {
        std::cerr << "nftterm-cli: abi " << (calldata ? "decode-calldata needs --sig" : "decode needs --types") << " and --data\n";
        return 2;
    }
    auto data = wallet::bytes_from_hex(*data_text);
    if (!data) return report(from_wallet(data.error(), "--data"));
    std::vector<abi::Type> types;
    wallet::ByteView body = *data;
    if (calldata) {
        auto sig = abi::parse_signature(*spec);
        if (!sig) return report(sig.error());
        const auto selector = sig->selector();
        if (body.size() < 4 || !std::equal(selector.begin(), selector.end(), body.begin()))
            return report(fail(Errc::Decode, "the data does not start with the selector of " + sig->canonical() + " (0x"
                                                  + wallet::to_hex_bare(selector) + ")")
                              .error());
        types = sig->inputs;
        body = body.subspan(4);
    } else {
        auto parsed = abi::parse_type_list(*spec);
        if (!parsed) return report(parsed.error());
        types = std::move(*parsed);
    }
    auto values = abi::decode(types, body);
    if (!values) return report(values.error());
    std::cout << abi::values_to_json(types, *values, 2) << "\n";
    return 0;
}

}  // namespace

int run_abi_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"json", "help"});
    if (auto stop = args.stop_for_help_or_error(kUsage)) return *stop;
    const auto& words = args.positionals();
    if (auto unknown = args.unknown({"sig", "args-json", "types", "data", "json"}); !unknown.empty()) {
        std::cerr << "nftterm-cli: abi does not take " << unknown.front() << "\n";
        return 2;
    }
    if (words[1] == "encode") return encode_command(args);
    if (words[1] == "decode") return decode_command(args, false);
    if (words[1] == "decode-calldata") return decode_command(args, true);
    std::cerr << "nftterm-cli: unknown abi command '" << words[1] << "' (see: nftterm-cli abi --help)\n";
    return 2;
}

}  // namespace nftterm::cli
