#include "error.hpp"

namespace nftterm::wallet {
namespace {

class WalletCategory final : public std::error_category {
public:
    const char* name() const noexcept override { return "nftterm.wallet"; }

    std::string message(int value) const override
    {
        switch (static_cast<Errc>(value)) {
        case Errc::InvalidHex: return "invalid hex";
        case Errc::InvalidAddress: return "invalid address";
        case Errc::BadChecksum: return "bad checksum";
        case Errc::InvalidNumber: return "invalid number";
        case Errc::Overflow: return "number out of range";
        case Errc::InvalidRlp: return "invalid RLP";
        case Errc::InvalidTransaction: return "invalid transaction";
        case Errc::InvalidSignature: return "invalid signature";
        case Errc::InvalidTypedData: return "invalid typed data";
        case Errc::InvalidMnemonic: return "invalid mnemonic";
        case Errc::InvalidDerivationPath: return "invalid derivation path";
        case Errc::InvalidKey: return "invalid key";
        case Errc::WrongPassword: return "wrong password";
        case Errc::CorruptKeystore: return "corrupt keystore";
        case Errc::UnsupportedKeystore: return "unsupported keystore";
        case Errc::Io: return "file error";
        case Errc::NotFound: return "not found";
        case Errc::AlreadyExists: return "already exists";
        case Errc::CryptoFailure: return "crypto library failure";
        case Errc::WrongChainId: return "wrong chain id";
        case Errc::UserRejected: return "rejected by the user";
        case Errc::DeviceLocked: return "device locked";
        case Errc::DeviceUnavailable: return "device unavailable";
        case Errc::Cancelled: return "cancelled";
        case Errc::Timeout: return "timed out";
        case Errc::Unsupported: return "unsupported";
        case Errc::AppNotOpen: return "the Ethereum app is not open";
        }
        return "unknown wallet error";
    }
};

}  // namespace

const std::error_category& wallet_category() noexcept
{
    static const WalletCategory category;
    return category;
}

std::string Error::message() const
{
    std::string text = wallet_category().message(static_cast<int>(code));
    if (!context.empty()) {
        text += ": ";
        text += context;
    }
    return text;
}

}  // namespace nftterm::wallet
