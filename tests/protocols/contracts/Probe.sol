// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// A contract for the chain-access tests: it reverts in every way Solidity
/// can, emits events with indexed and non-indexed fields, and stores values.
contract Probe {
    error Undercollateralized(address borrower, uint256 debt, uint256 collateral);
    error Paused();

    event Stored(address indexed who, uint256 indexed slot, uint256 value, string note);
    event Tagged(string indexed tag, bytes32 indexed id, int64 delta, bytes payload);

    mapping(uint256 => uint256) public values;
    uint256 public counter;

    function store(uint256 slot, uint256 value, string calldata note) external payable {
        values[slot] = value;
        ++counter;
        emit Stored(msg.sender, slot, value, note);
    }

    function tag(string calldata label, bytes32 id, int64 delta, bytes calldata payload) external {
        emit Tagged(label, id, delta, payload);
    }

    function valueTimesTwo(uint256 x) external pure returns (uint256) {
        return x * 2;
    }

    /// `size` bytes, each `fill`: many of them make a multicall's memory grow past its gas.
    function bigReturn(uint256 size, uint8 fill) external pure returns (bytes memory out) {
        out = new bytes(size);
        for (uint256 i = 0; i < size; i += 32) out[i] = bytes1(fill);
    }

    function failWithMessage() external pure {
        revert("loan is not active");
    }

    function failWithCustomError() external view {
        revert Undercollateralized(msg.sender, 5 ether, 3 ether);
    }

    function failWithoutReason() external pure {
        revert();
    }

    function failDividing(uint256 d) external pure returns (uint256) {
        return 100 / d;
    }

    function failOverflowing(uint256 x) external pure returns (uint256) {
        return x + type(uint256).max;
    }

    function failAssert() external pure {
        assert(false);
    }

    /// Reverts unless called with `value` as msg.value (to simulate before sending).
    function requireValue(uint256 value) external payable {
        if (msg.value != value) revert Paused();
    }
}
