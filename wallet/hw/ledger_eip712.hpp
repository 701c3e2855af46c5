#pragma once

#include <wallet/hw/ledger_apdu.hpp>

#include <string_view>
#include <vector>

namespace nftterm::wallet::ledger {

/// The Ethereum app's full EIP-712 mode (app 1.9.19 and later): every struct
/// type defined (E0 1A: its name, then each field's type description and
/// name), the domain and the message streamed field by field in definition
/// order (E0 1C: a root struct's name, each array's size, each value as raw
/// bytes: integers minimal big-endian, addresses 20 bytes, strings UTF-8),
/// then E0 0C with P2 01 and the path. The device hashes and shows every
/// field itself. Errc::InvalidTypedData for a document it cannot send.
Result<std::vector<Apdu>> sign_eip712_full(const DerivationPath& path, std::string_view typed_data_json);

}  // namespace nftterm::wallet::ledger
