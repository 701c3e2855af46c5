// Compiles Solidity sources with the pinned solc (npm) into one solc
// standard-JSON output file: node compile.cjs OUT.json A.sol B.sol …
// Fails (exit 1) on any compiler error, printing it.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const [out, ...files] = process.argv.slice(2);
const sources = {};
for (const file of files) sources[path.basename(file)] = { content: fs.readFileSync(file, 'utf8') };
const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
for (const e of output.errors || []) process.stderr.write(e.formattedMessage + '\n');
if (errors.length > 0) process.exit(1);
fs.writeFileSync(out + '.tmp', JSON.stringify(output));
fs.renameSync(out + '.tmp', out);
