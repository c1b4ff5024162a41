// The reference verifier for benchmarks/bench_bbs.py: @digitalbazaar/vc with the bbs-2023
// cryptosuite verifying the derived fixtures of tests/interop/bbs offline (bundled contexts from
// lerwallet, did:key resolved locally).
//   node bench_bbs.mjs REPO ROUNDS FILE...
// Prints one JSON line: the first verification (cold) and the median of ROUNDS warm passes, in ms
// per credential.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {createVerifyCryptosuite} from '@digitalbazaar/bbs-2023-cryptosuite';
import * as DidKey from '@digitalbazaar/did-method-key';
import * as Bls12381Multikey from '@digitalbazaar/bls12-381-multikey';

const [repo, roundsArg, ...files] = process.argv.slice(2);
const rounds = Number(roundsArg || 20);
const contextsDir = join(repo, 'src', 'lerwallet', 'ld', 'contexts');
const manifest = JSON.parse(readFileSync(join(contextsDir, 'manifest.json'), 'utf8'));
const didKey = DidKey.driver();
didKey.use({multibaseMultikeyHeader: 'zUC7', fromMultibase: Bls12381Multikey.from});
async function documentLoader(url) {
  if(url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url, document: await didKey.get({url})};
  }
  const entry = manifest[url];
  if(!entry) throw new Error(`not bundled: ${url}`);
  return {contextUrl: null, documentUrl: url,
    document: JSON.parse(readFileSync(join(contextsDir, entry.file), 'utf8'))};
}
const docs = files.map(f => JSON.parse(readFileSync(f, 'utf8')));
async function pass() {
  const start = performance.now();
  for(const credential of docs) {
    const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
    const r = await vc.verifyCredential({credential, suite, documentLoader});
    if(!r.verified) throw new Error('not verified');
  }
  return (performance.now() - start) / docs.length;
}
const cold = await pass();
const warm = [];
for(let i = 0; i < rounds; ++i) warm.push(await pass());
warm.sort((a, b) => a - b);
console.log(JSON.stringify({cold_ms: cold, warm_ms: warm[Math.floor(warm.length / 2)]}));
