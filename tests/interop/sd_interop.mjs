// ecdsa-sd-2023 interop, the JavaScript side (@digitalbazaar/ecdsa-sd-2023-cryptosuite).
//   node sd_interop.mjs make    JS issues tests/interop/ecdsa-sd/js-base.json (same badge and
//                               pointers as make_lerwallet_sd.py) and derives js-derived.json
//   node sd_interop.mjs verify  JS verifies every lerwallet-derived*.json (and a tampered copy of
//                               each), derives from lerwallet-base.json itself and verifies that;
//                               verdicts in ecdsa-sd/js-verify-results.json
//   node sd_interop.mjs base    JS verifies the two BASE credentials (js-base.json,
//                               lerwallet-base.json) as they are, as an employer would receive
//                               them: verdicts in ecdsa-sd/js-base-verify-results.json
import {readFileSync, writeFileSync, existsSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import jsigs from 'jsonld-signatures';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {createSignCryptosuite, createDiscloseCryptosuite, createVerifyCryptosuite}
  from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import {documentLoader, repo} from './js_common.mjs';

const {purposes: {AssertionProofPurpose}} = jsigs;
const dir = join(repo, 'tests', 'interop', 'ecdsa-sd');
const MANDATORY = ['/issuer', '/validFrom', '/credentialSubject/achievement/name'];
const SELECTIVE = ['/credentialSubject/achievement/description', '/credentialSubject/result/1/value'];
const read = name => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const write = (name, doc) => writeFileSync(join(dir, name), JSON.stringify(doc, null, 2) + '\n');

async function verify(credential) {
  const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
  const r = await vc.verifyCredential({credential, suite, documentLoader});
  return {verified: r.verified, error: r.error ? String(r.error.message || r.error.errors?.[0]?.message || r.error) : null};
}

async function derive(base) {
  const suite = new DataIntegrityProof({cryptosuite: createDiscloseCryptosuite({selectivePointers: SELECTIVE})});
  return jsigs.derive(base, {suite, purpose: new AssertionProofPurpose(), documentLoader});
}

if(process.argv[2] === 'make') {
  const pair = JSON.parse(readFileSync(join(repo, 'tests', 'vectors', 'proofs', 'w3c-ecdsa', 'p256KeyPair.json'), 'utf8'));
  const did = `did:key:${pair.publicKeyMultibase}`;
  const key = await EcdsaMultikey.from({...pair, id: `${did}#${pair.publicKeyMultibase}`, controller: did});
  const unsigned = read('lerwallet-base.json');
  delete unsigned.proof;
  unsigned.name = 'Selective Disclosure Badge (issued by the JS stack)';
  const suite = new DataIntegrityProof({signer: key.signer(), date: '2024-06-01T08:00:00Z',
    cryptosuite: createSignCryptosuite({mandatoryPointers: MANDATORY})});
  const base = await jsigs.sign(unsigned, {suite, purpose: new AssertionProofPurpose(), documentLoader});
  write('js-base.json', base);
  write('js-derived.json', await derive(base));
  console.log('wrote js-base.json, js-derived.json');
} else if(process.argv[2] === 'base') {
  const results = [];
  for(const file of ['js-base.json', 'lerwallet-base.json']) {
    const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
    const r = await vc.verifyCredential({credential: read(file), suite, documentLoader});
    // the reason the proof failed, under the generic "Verification error(s)."
    const reasons = (r.error?.errors || [r.error]).filter(Boolean).map(e => String(e.message || e));
    results.push({file, verified: r.verified, error: reasons.join('; ') || null});
  }
  write('js-base-verify-results.json', results);
  console.log(JSON.stringify(results, null, 2));
} else {
  const results = [];
  for(const file of ['lerwallet-derived.json', 'lerwallet-derived-from-js-base.json', 'js-derived.json']) {
    if(!existsSync(join(dir, file))) continue;
    const credential = read(file);
    const tampered = structuredClone(credential);
    tampered.credentialSubject.achievement.name = 'Tampered';
    results.push({file, ...await verify(credential), tamperedVerified: (await verify(tampered)).verified});
  }
  const jsDerived = await derive(read('lerwallet-base.json'));
  write('js-derived-from-lerwallet-base.json', jsDerived);
  results.push({file: 'js-derived-from-lerwallet-base.json', ...await verify(jsDerived)});
  write('js-verify-results.json', results);
  console.log(JSON.stringify(results, null, 2));
}
