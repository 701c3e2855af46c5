// libFuzzer target: strict RLP and raw-transaction decoding must never crash
// or over-read, and a transaction they accept must recover the same sender
// from its own re-signed hash.
#include <wallet/rlp/rlp.hpp>
#include <wallet/tx/transaction.hpp>

#include <cstdlib>

using namespace nftterm;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const wallet::ByteView raw(data, size);
    (void)wallet::rlp::decode(raw);
    auto decoded = wallet::decode_signed_transaction(raw);
    if (!decoded) return 0;
    // Pre-EIP-155 and chain-id-0 transactions decode for inspection only; the
    // rest must assemble back to the same hash and sender.
    if (!wallet::validate(decoded->tx)) return 0;
    auto assembled = wallet::assemble_signed(decoded->tx, decoded->signature);
    if (!assembled || assembled->hash != decoded->hash || assembled->from != decoded->from) std::abort();
    return 0;
}
