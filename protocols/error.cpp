#include "error.hpp"

namespace nftterm::protocols {
namespace {

class ProtocolsCategory final : public std::error_category {
public:
    const char* name() const noexcept override { return "nftterm.protocols"; }
    std::string message(int value) const override
    {
        switch (static_cast<Errc>(value)) {
        case Errc::Transport: return "cannot reach the node";
        case Errc::Http: return "HTTP error";
        case Errc::Json: return "malformed JSON";
        case Errc::Rpc: return "JSON-RPC error";
        case Errc::ChainId: return "wrong chain";
        case Errc::Revert: return "execution reverted";
        case Errc::Decode: return "cannot decode";
        case Errc::Config: return "configuration error";
        case Errc::Wallet: return "wallet error";
        case Errc::Io: return "cannot read or write a file";
        case Errc::Refused: return "refused";
        }
        return "unknown protocols error";
    }
};

}  // namespace

const std::error_category& protocols_category() noexcept
{
    static const ProtocolsCategory category;
    return category;
}

std::string Error::message() const
{
    std::string text = code == Errc::Refused && !context.empty() ? context : protocols_category().message(static_cast<int>(code));
    if (code != Errc::Refused && !context.empty()) text += ": " + context;
    if (cause) text += " (" + cause->message() + ")";
    return text;
}

}  // namespace nftterm::protocols
