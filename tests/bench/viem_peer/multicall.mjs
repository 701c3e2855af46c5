// The peer positions_bench measures the refresh against: the refresh's reads
// through viem's multicall, as a bot author would write them. Each call is
// turned back into what such code holds (address, ABI, function name and
// arguments, from the contracts' own ABIs), then read with allowFailure at
// the head block, `rounds` times after three warm-up rounds.
// Input: a JSON file {url, multicall, batchSize, rounds, abiFiles, calls: [{target, data}]}.
// Output: one JSON line {reads, medianMs, failedReads}.
import { readFileSync } from 'node:fs';
import { createPublicClient, decodeFunctionData, http, toFunctionSelector } from 'viem';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const functionBySelector = new Map();
for (const file of plan.abiFiles) {
  const output = JSON.parse(readFileSync(file, 'utf8'));
  for (const source of Object.values(output.contracts ?? {}))
    for (const contract of Object.values(source))
      for (const item of contract.abi ?? [])
        if (item.type === 'function') {
          const selector = toFunctionSelector(item);
          if (!functionBySelector.has(selector)) functionBySelector.set(selector, item);
        }
}

const contracts = plan.calls.map(({ target, data }) => {
  const item = functionBySelector.get(data.slice(0, 10));
  if (!item) throw new Error(`no ABI has the function ${data.slice(0, 10)} (called on ${target})`);
  const { functionName, args } = decodeFunctionData({ abi: [item], data });
  return { address: target, abi: [item], functionName, args };
});

const client = createPublicClient({ transport: http(plan.url, { timeout: 120_000 }) });
const samples = [];
let failedReads = 0;
for (let round = 0; round < plan.rounds + 3; round++) {
  const start = performance.now();
  const blockNumber = await client.getBlockNumber({ cacheTime: 0 });
  const results = await client.multicall({
    contracts,
    allowFailure: true,
    batchSize: plan.batchSize,
    blockNumber,
    multicallAddress: plan.multicall,
  });
  const elapsed = performance.now() - start;
  if (round >= 3) samples.push(elapsed);
  failedReads = results.filter((result) => result.status !== 'success').length;
}
samples.sort((a, b) => a - b);
console.log(JSON.stringify({ reads: contracts.length, medianMs: samples[Math.floor(samples.length / 2)], failedReads }));
