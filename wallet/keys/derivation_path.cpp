#include "derivation_path.hpp"

#include <charconv>

namespace nftterm::wallet {

Result<DerivationPath> DerivationPath::parse(std::string_view text)
{
    const std::string shown(text);
    if (!text.starts_with("m")) return fail(Errc::InvalidDerivationPath, "'" + shown + "' must start with m");
    text.remove_prefix(1);
    DerivationPath path;
    while (!text.empty()) {
        if (text.front() != '/') return fail(Errc::InvalidDerivationPath, "'" + shown + "': expected '/'");
        text.remove_prefix(1);
        std::size_t len = 0;
        while (len < text.size() && text[len] >= '0' && text[len] <= '9') ++len;
        std::uint32_t index = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + len, index);
        if (len == 0 || ec != std::errc{} || index >= kHardened)
            return fail(Errc::InvalidDerivationPath, "'" + shown + "': each step is a number below 2^31");
        text.remove_prefix(len);
        if (!text.empty() && (text.front() == '\'' || text.front() == 'h' || text.front() == 'H')) {
            index |= kHardened;
            text.remove_prefix(1);
        }
        path.indices.push_back(index);
    }
    if (path.indices.size() > 255) return fail(Errc::InvalidDerivationPath, "a path has at most 255 steps");
    return path;
}

std::string DerivationPath::to_string() const
{
    std::string out = "m";
    for (auto index : indices) {
        out += "/" + std::to_string(index & ~kHardened);
        if (index & kHardened) out += "'";
    }
    return out;
}

DerivationPath DerivationPath::bip44(std::uint32_t index)
{
    return {{44 | kHardened, 60 | kHardened, 0 | kHardened, 0, index}};
}

DerivationPath DerivationPath::ledger_live(std::uint32_t index)
{
    return {{44 | kHardened, 60 | kHardened, index | kHardened, 0, 0}};
}

}  // namespace nftterm::wallet
