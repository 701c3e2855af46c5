#include "nfkd.hpp"

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <vector>

namespace nftterm::wallet {
namespace {

/// A UTF-16 buffer of fixed capacity that is wiped when it dies (never reallocated).
struct WipedUtf16 {
    explicit WipedUtf16(std::size_t capacity) : units(capacity, 0) {}
    ~WipedUtf16() { secure_zero(units.data(), units.size() * sizeof(UChar)); }
    std::vector<UChar> units;
};

bool is_ascii(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

Result<SecretBytes> nfkd(std::string_view utf8)
{
    // ASCII is its own NFKD: no copy through ICU at all.
    if (is_ascii(utf8)) return SecretBytes(as_view(utf8));
    if (utf8.size() > (1u << 20)) return fail(Errc::InvalidMnemonic, "the text to normalise is longer than 1 MiB");
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2* normalizer = unorm2_getNFKDInstance(&status);
    if (U_FAILURE(status)) return fail(Errc::Unsupported, std::string("Unicode normalisation is not available: ") + u_errorName(status));

    // UTF-8 → UTF-16: at most one unit per byte.
    WipedUtf16 source(utf8.size() + 1);
    int32_t source_length = 0;
    u_strFromUTF8(source.units.data(), static_cast<int32_t>(source.units.size()), &source_length, utf8.data(),
                  static_cast<int32_t>(utf8.size()), &status);
    if (U_FAILURE(status)) return fail(Errc::InvalidMnemonic, "the text is not valid UTF-8");

    // NFKD expands (a ligature or a squared word to several letters; ㍍ to 4): ask ICU for the size first.
    int32_t needed = unorm2_normalize(normalizer, source.units.data(), source_length, nullptr, 0, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
        return fail(Errc::InvalidMnemonic, std::string("cannot normalise the text: ") + u_errorName(status));
    status = U_ZERO_ERROR;
    WipedUtf16 decomposed(static_cast<std::size_t>(needed) + 1);
    unorm2_normalize(normalizer, source.units.data(), source_length, decomposed.units.data(), static_cast<int32_t>(decomposed.units.size()),
                     &status);
    if (U_FAILURE(status)) return fail(Errc::InvalidMnemonic, std::string("cannot normalise the text: ") + u_errorName(status));

    // UTF-16 → UTF-8: at most three bytes per unit, into the secret buffer itself.
    SecretBytes out(static_cast<std::size_t>(needed) * 3 + 1);
    int32_t out_length = 0;
    u_strToUTF8(reinterpret_cast<char*>(out.data()), static_cast<int32_t>(out.size()), &out_length, decomposed.units.data(), needed, &status);
    if (U_FAILURE(status)) return fail(Errc::InvalidMnemonic, std::string("cannot encode the normalised text: ") + u_errorName(status));
    SecretBytes exact(ByteView(out.data(), static_cast<std::size_t>(out_length)));
    return exact;
}

}  // namespace nftterm::wallet
