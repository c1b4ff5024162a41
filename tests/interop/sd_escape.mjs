// ecdsa-sd-2023 with control characters, the JavaScript side (@digitalbazaar/ecdsa-sd-2023-cryptosuite,
// rdf-canonize 5). Writes into tests/interop/ecdsa-sd-escape/:
//   node sd_escape.mjs make     js-base.json (the badge of make_lerwallet_sd_escape.py, same texts,
//                               issued here) and js-derived.json (derived here, same pointers)
//   node sd_escape.mjs verify   js-verify-results.json: the JS verdict on every lerwallet-derived*.json
//                               and on a copy of each with the description changed
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
const dir = join(repo, 'tests', 'interop', 'ecdsa-sd-escape');
const MANDATORY = ['/issuer', '/validFrom', '/credentialSubject/achievement/name'];
const SELECTIVE = ['/credentialSubject/achievement/description', '/credentialSubject/result/1/value'];
const read = name => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const write = (name, doc) => writeFileSync(join(dir, name), JSON.stringify(doc, null, 2) + '\n');

async function verify(credential) {
  const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
  const r = await vc.verifyCredential({credential, suite, documentLoader});
  return {verified: r.verified, error: r.error ? String(r.error.message || r.error.errors?.[0]?.message || r.error) : null};
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
  const disclose = new DataIntegrityProof({cryptosuite: createDiscloseCryptosuite({selectivePointers: SELECTIVE})});
  write('js-derived.json', await jsigs.derive(base, {suite: disclose, purpose: new AssertionProofPurpose(), documentLoader}));
  console.log('wrote js-base.json, js-derived.json');
} else {
  const results = [];
  for(const file of ['lerwallet-derived.json', 'lerwallet-derived-from-js-base.json', 'js-derived.json']) {
    if(!existsSync(join(dir, file))) continue;
    const credential = read(file);
    const tampered = structuredClone(credential);
    tampered.credentialSubject.achievement.description = 'Tab\there, bell\u0007, DEL, changed';
    results.push({file, ...await verify(credential), tamperedVerified: (await verify(tampered)).verified});
  }
  write('js-verify-results.json', results);
  console.log(JSON.stringify(results, null, 2));
}
