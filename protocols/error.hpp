#pragma once

#include <wallet/error.hpp>

#include <expected>
#include <optional>
#include <string>
#include <system_error>

namespace nftterm::protocols {

/// What went wrong talking to a chain or a protocol.
enum class Errc {
    Transport = 1,
    Http,
    Json,
    Rpc,
    ChainId,
    Revert,
    Decode,
    Config,
    Wallet,
    Io,
    /// An action refused before anything was signed (a fee above the
    /// ceiling, a loan in auction asked for a top-up): the context is the
    /// whole sentence the user reads, the category adds nothing to it.
    Refused,
};

const std::error_category& protocols_category() noexcept;

inline std::error_code make_error_code(Errc e) noexcept
{
    return {static_cast<int>(e), protocols_category()};
}

/// A JSON-RPC error object as the node sent it.
struct RpcErrorDetail {
    long long code = 0;
    std::string message;
    /// `data` as JSON text ("" when absent); for a revert, the revert bytes as a hex string.
    std::string data_json;
};

/// The one error type of protocols/; may wrap the wallet error that caused it.
struct Error {
    Errc code{};
    std::string context;
    std::optional<wallet::Error> cause;
    /// Errc::Rpc (and Errc::Revert found through one): the node's error object.
    std::optional<RpcErrorDetail> rpc;
    /// A request the client sent to several endpoints in turn (a signed
    /// transaction): an earlier endpoint got it and never answered, so it may
    /// have acted on it even though this error came from a later one.
    bool earlier_attempt_unanswered = false;

    /// What the user reads, the same in the CLI, the window and the logs:
    /// "<what the code means>: <context> (<cause>)", or for Refused the
    /// context alone.
    std::string message() const;
    std::error_code code_value() const noexcept { return make_error_code(code); }
};

/// A value or the Error why not ([[nodiscard]], as wallet::Result).
template <typename T>
using Result = wallet::Expected<T, Error>;

inline std::unexpected<Error> fail(Errc code, std::string context)
{
    return std::unexpected<Error>(Error{code, std::move(context), std::nullopt, std::nullopt});
}

/// Lifts a wallet error into this layer, keeping it as the cause.
inline Error from_wallet(wallet::Error cause, std::string context = {})
{
    return Error{Errc::Wallet, std::move(context), std::move(cause), std::nullopt};
}

}  // namespace nftterm::protocols

template <>
struct std::is_error_code_enum<nftterm::protocols::Errc> : std::true_type {};
