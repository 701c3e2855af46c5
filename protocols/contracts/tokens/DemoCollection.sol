// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "@openzeppelin/contracts/token/ERC721/extensions/ERC721Enumerable.sol";
import "@openzeppelin/contracts/access/Ownable.sol";
import "@openzeppelin/contracts/utils/Strings.sol";

/// A demo ERC-721 collection for the devnet (enumerable, with metadata
/// under a base URI). The owner (the deployer) mints.
contract DemoCollection is ERC721Enumerable, Ownable {
    string private baseUri;

    constructor(string memory name_, string memory symbol_, string memory baseUri_)
        ERC721(name_, symbol_)
        Ownable(msg.sender)
    {
        baseUri = baseUri_;
    }

    function mint(address to, uint256 tokenId) external onlyOwner {
        _safeMint(to, tokenId);
    }

    function _baseURI() internal view override returns (string memory) {
        return baseUri;
    }
}
