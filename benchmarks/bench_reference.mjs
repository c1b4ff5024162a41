// The reference verifier for benchmarks/bench_reference.py: @digitalbazaar/vc verifying
// eddsa-rdfc-2022 badges offline (bundled contexts from lerwallet, did:key resolved locally).
// Usage (from a scratch folder with the npm packages, see bench_reference.py):
//   node bench_reference.mjs REPO FOLDER ROUNDS
// Prints one JSON line: start-up (process start to ready), the first pass over every file,
// and the median per-badge time over ROUNDS warm passes.
import {readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsa} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as DidKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

const [repo, folder, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg || 5);
const contextsDir = join(repo, 'src', 'lerwallet', 'ld', 'contexts');
const manifest = JSON.parse(readFileSync(join(contextsDir, 'manifest.json'), 'utf8'));
const contexts = new Map();
const didKey = DidKey.driver();
didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

async function documentLoader(url) {
  if(url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url, document: await didKey.get({url})};
  }
  if(!contexts.has(url)) {
    const entry = manifest[url];
    if(!entry) throw new Error(`not bundled: ${url}`);
    contexts.set(url, JSON.parse(readFileSync(join(contextsDir, entry.file), 'utf8')));
  }
  return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
}

const suite = new DataIntegrityProof({cryptosuite: eddsa});
const files = readdirSync(folder).filter(f => f.endsWith('.json')).sort();
const ready = performance.now();

async function verifyFile(file) {
  const credential = JSON.parse(readFileSync(join(folder, file), 'utf8'));
  const result = await vc.verifyCredential({credential, suite, documentLoader});
  if(!result.verified) throw new Error(`${file}: not verified: ${JSON.stringify(result.error)}`);
}

let t = performance.now();
for(const f of files) await verifyFile(f);
const firstPass = performance.now() - t;
const perBadge = [];
for(let r = 0; r < rounds; r++) {
  t = performance.now();
  for(const f of files) await verifyFile(f);
  perBadge.push((performance.now() - t) / files.length);
}
perBadge.sort((a, b) => a - b);
console.log(JSON.stringify({startup_ms: ready, first_pass_ms: firstPass, warm_ms: perBadge[Math.floor(perBadge.length / 2)],
  count: files.length}));
