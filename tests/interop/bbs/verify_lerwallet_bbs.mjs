// The reference verifies the bbs-2023 disclosures lerwallet derived (make_lerwallet_bbs.py) and a
// tampered copy of each; verdicts in lerwallet-verify-results.json (README.md here).
//   node verify_lerwallet_bbs.mjs
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import * as DidKey from '@digitalbazaar/did-method-key';
import * as Bls12381Multikey from '@digitalbazaar/bls12-381-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {createVerifyCryptosuite} from '@digitalbazaar/bbs-2023-cryptosuite';
import {documentLoader as bundled, repo} from '../js_common.mjs';

const dir = join(repo, 'tests', 'interop', 'bbs');
const didKeyDriver = DidKey.driver();
didKeyDriver.use({multibaseMultikeyHeader: 'zUC7', fromMultibase: Bls12381Multikey.from});
async function documentLoader(url) {
  if(url.startsWith('did:key:zUC7')) {
    return {contextUrl: null, documentUrl: url, document: await didKeyDriver.get({url})};
  }
  return bundled(url);
}
async function verify(credential) {
  const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
  const r = await vc.verifyCredential({credential, suite, documentLoader});
  const error = r.error ? (r.error.errors?.[0]?.message || r.error.message || String(r.error)) : null;
  return {verified: r.verified, error};
}
const results = [];
for(const file of ['lerwallet-derived.json', 'lerwallet-derived-mandatory-only.json',
  'lerwallet-derived-everything.json']) {
  const credential = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const tampered = structuredClone(credential);
  tampered.credentialSubject.achievement.name = 'Tampered';
  results.push({file, ...await verify(credential), tamperedVerified: (await verify(tampered)).verified});
}
writeFileSync(join(dir, 'lerwallet-verify-results.json'), JSON.stringify(results, null, 2) + '\n');
console.log(JSON.stringify(results, null, 2));
