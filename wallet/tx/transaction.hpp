#pragma once

#include <wallet/crypto/secp256k1.hpp>
#include <wallet/error.hpp>
#include <wallet/primitives/address.hpp>
#include <wallet/primitives/bytes.hpp>
#include <wallet/primitives/u256.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace nftterm::wallet {

/// An EIP-155 chain id. Distinct from any other integer on purpose.
enum class ChainId : std::uint64_t {};

constexpr std::uint64_t to_u64(ChainId id) noexcept { return static_cast<std::uint64_t>(id); }

enum class TxType : std::uint8_t {
    Legacy = 0,
    Eip1559 = 2,
};

/// EIP-2930 access list entry (used by type-2 transactions).
struct AccessListEntry {
    Address address;
    std::vector<Hash32> storage_keys;
    friend bool operator==(const AccessListEntry&, const AccessListEntry&) = default;
};

/// An unsigned transaction. Legacy uses `gas_price`; EIP-1559 uses the two
/// fee caps and may carry an access list. `to` empty means contract creation.
struct Transaction {
    TxType type = TxType::Eip1559;
    ChainId chain_id{};
    std::uint64_t nonce = 0;
    U256 gas_price;
    U256 max_priority_fee_per_gas;
    U256 max_fee_per_gas;
    std::uint64_t gas_limit = 0;
    std::optional<Address> to;
    U256 value;
    Bytes data;
    std::vector<AccessListEntry> access_list;

    friend bool operator==(const Transaction&, const Transaction&) = default;
};

/// A signed transaction as it goes on the wire, with what follows from it.
struct SignedTransaction {
    Transaction tx;
    RecoverableSignature signature;
    /// The raw bytes for eth_sendRawTransaction.
    Bytes raw;
    TxHash hash;
    Address from;
};

/// Checks what a node would reject outright: chain id zero (no replay
/// protection), fee caps in the wrong order, a legacy transaction with an
/// access list.
Result<void> validate(const Transaction& tx);

/// The bytes a signer hashes: rlp(…, chainId, 0, 0) for legacy (EIP-155),
/// 0x02 ‖ rlp(…) for type 2. What a hardware wallet is sent to show and sign.
Result<Bytes> signing_payload(const Transaction& tx);
/// The digest a signer signs: keccak256 of signing_payload.
Result<Hash32> signing_hash(const Transaction& tx);

/// Assembles the signed form from a signature over `signing_hash(tx)` and
/// recovers the sender, so a wrong signature cannot leave this function.
Result<SignedTransaction> assemble_signed(const Transaction& tx, const RecoverableSignature& signature);

/// Signs with a software key (see Signer for the general path).
Result<SignedTransaction> sign_transaction(const Transaction& tx, const PrivateKey& key);
/// The same, for a caller that already knows the key's address (saves an
/// elliptic-curve multiplication per signature).
Result<SignedTransaction> sign_transaction(const Transaction& tx, const PrivateKey& key, const Address& key_address);

/// Decodes raw wire bytes (legacy with or without EIP-155, or type 2),
/// strictly, and recovers the sender.
Result<SignedTransaction> decode_signed_transaction(ByteView raw);

}  // namespace nftterm::wallet
