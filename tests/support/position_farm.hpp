#pragma once

#include "demo_world_fixture.hpp"

#include <string>
#include <vector>

namespace nftterm::tests {

/// Many positions on the seeded devnet, in few transactions: `per_family`
/// P2P loans, pool loans and AMM pools owned by a PositionFarm contract,
/// and `per_family` perp longs held by trader contracts it deploys (spread
/// over the Amms). For the scale test and the benchmark.
struct FarmedPositions {
    std::vector<wallet::Address> accounts;
    std::size_t count = 0;
};

protocols::Result<FarmedPositions> farm_positions(DemoWorldFixture& world, std::size_t per_family);

}  // namespace nftterm::tests
