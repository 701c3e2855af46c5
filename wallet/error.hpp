#pragma once

#include <expected>
#include <string>
#include <system_error>

namespace nftterm::wallet {

/// What went wrong in wallet/. The context string of an Error says where and
/// why in words a user can act on; it never carries secret material.
enum class Errc {
    InvalidHex = 1,
    InvalidAddress,
    BadChecksum,
    InvalidNumber,
    Overflow,
    InvalidRlp,
    InvalidTransaction,
    InvalidSignature,
    InvalidTypedData,
    InvalidMnemonic,
    InvalidDerivationPath,
    InvalidKey,
    WrongPassword,
    CorruptKeystore,
    UnsupportedKeystore,
    Io,
    NotFound,
    AlreadyExists,
    CryptoFailure,
    WrongChainId,
    UserRejected,
    DeviceLocked,
    DeviceUnavailable,
    Cancelled,
    Timeout,
    Unsupported,
    AppNotOpen,
};

const std::error_category& wallet_category() noexcept;

inline std::error_code make_error_code(Errc e) noexcept
{
    return {static_cast<int>(e), wallet_category()};
}

/// The one error type of wallet/: a code plus a context sentence.
struct Error {
    Errc code{};
    std::string context;

    /// "<what the code means>: <context>", ready for a one-line message.
    std::string message() const;
};

/// std::expected as a class of its own only to be [[nodiscard]] (libstdc++
/// 12 does not mark std::expected): a dropped result is a compile error
/// under -Werror, for every function of both layers at once.
template <typename T, typename E>
class [[nodiscard]] Expected : public std::expected<T, E> {
public:
    using std::expected<T, E>::expected;
    Expected(std::expected<T, E> other) : std::expected<T, E>(std::move(other)) {}
};

/// A value or the Error why not.
template <typename T>
using Result = Expected<T, Error>;

inline std::unexpected<Error> fail(Errc code, std::string context)
{
    return std::unexpected<Error>(Error{code, std::move(context)});
}

}  // namespace nftterm::wallet

template <>
struct std::is_error_code_enum<nftterm::wallet::Errc> : std::true_type {};
