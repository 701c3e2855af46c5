// Compiles Solidity sources with the pinned solc (npm) into one solc
// standard-JSON output file: node compile.cjs OUT.json A.sol B.sol …
// Fails (exit 1) on any compiler error, printing it.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const [out, ...files] = process.argv.slice(2);
const sources = {};
const selection = {};
for (const file of files) {
  sources[path.basename(file)] = { content: fs.readFileSync(file, 'utf8') };
  // Output only for our own sources, not for every imported library file.
  selection[path.basename(file)] = { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    // The loan contracts' events and structs need more stack than the legacy pipeline has.
    viaIR: true,
    outputSelection: selection,
  },
};
// Imports such as "@openzeppelin/contracts/…" come from the pinned npm packages.
function findImports(name) {
  try {
    return { contents: fs.readFileSync(require.resolve(name), 'utf8') };
  } catch (e) {
    return { error: 'import not found: ' + name };
  }
}
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
for (const e of output.errors || []) process.stderr.write(e.formattedMessage + '\n');
if (errors.length > 0) process.exit(1);
fs.writeFileSync(out + '.tmp', JSON.stringify(output));
fs.renameSync(out + '.tmp', out);
