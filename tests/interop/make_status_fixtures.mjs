// Bitstring Status List fixtures made with the reference library
// (@digitalbazaar/vc-bitstring-status-list), and the reference's own verdicts (`checkStatus`).
// Keys come from a fixed DEMO-ONLY seed; Ed25519 output is deterministic. Writes tests/interop/status/.
// Run from a scratch folder with the npm packages installed (see README.md).
import {createHash} from 'node:crypto';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {createList, createCredential, checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {documentLoader as baseLoader, repo} from './js_common.mjs';

const out = join(repo, 'tests', 'interop', 'status');
mkdirSync(out, {recursive: true});
const DATE = '2026-01-01T00:00:00Z';
const seed = label => new Uint8Array(createHash('sha256').update(label).digest());
const key = await Ed25519Multikey.generate({seed: seed('lerwallet status interop DEMO ONLY ed25519 issuer')});
key.controller = `did:key:${key.publicKeyMultibase}`;
key.id = `${key.controller}#${key.publicKeyMultibase}`;
const suite = () => new DataIntegrityProof({signer: key.signer(), date: DATE, cryptosuite: eddsaRdfc2022});
const verifySuite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

const lists = {};  // url -> signed list credential
async function makeList(name, length, revoked) {
  const id = `https://status.example.edu/interop/${name}`;
  const list = await createList({length});
  for(const index of revoked) {
    list.setStatus(index, true);
  }
  const credential = await createCredential({id, list, statusPurpose: 'revocation'});
  credential.issuer = key.controller;
  credential.validFrom = DATE;
  const signed = await vc.issue({credential, suite: suite(), documentLoader: baseLoader});
  lists[id] = signed;
  writeFileSync(join(out, `list-${name}.json`), JSON.stringify(signed, null, 2) + '\n');
  return id;
}

const full = await makeList('full', 131072, [5, 131071]);
const short = await makeList('short', 100000, [5]);

async function documentLoader(url) {
  if(lists[url]) {
    return {contextUrl: null, documentUrl: url, document: lists[url]};
  }
  return baseLoader(url);
}

const cases = [
  ['full-revoked', full, 5], ['full-not-revoked', full, 6], ['full-last-revoked', full, 131071],
  ['short-revoked', short, 5], ['short-not-revoked', short, 6]
];
const results = {};
for(const [name, url, index] of cases) {
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: `urn:uuid:3c9f1d2e-0000-4000-8000-${String(index).padStart(12, '0')}`,
    type: ['VerifiableCredential'],
    issuer: key.controller,
    validFrom: DATE,
    credentialSubject: {id: 'did:example:ada', name: `status interop ${name}`},
    credentialStatus: {
      id: `${url}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation',
      statusListIndex: String(index), statusListCredential: url
    }
  };
  const signed = await vc.issue({credential, suite: suite(), documentLoader});
  writeFileSync(join(out, `${name}.json`), JSON.stringify(signed, null, 2) + '\n');
  const r = await checkStatus({credential: signed, documentLoader, suite: verifySuite, verifyBitstringStatusListCredential: true});
  results[name] = {verified: r.verified, status: r.verified ? r.results[0].status : null, error: r.error ? r.error.message : null};
}
// A tampered list: one bit flipped in the encoded list after signing; the reference must refuse it.
const tampered = structuredClone(lists[full]);
const flipped = await createList({length: 131072});
tampered.credentialSubject.encodedList = await flipped.encode();  // index 5 no longer revoked
lists[full] = tampered;
writeFileSync(join(out, 'list-full-tampered.json'), JSON.stringify(tampered, null, 2) + '\n');
const revoked = JSON.parse((await import('node:fs')).readFileSync(join(out, 'full-revoked.json'), 'utf8'));
const r = await checkStatus({credential: revoked, documentLoader, suite: verifySuite, verifyBitstringStatusListCredential: true});
results['full-revoked-with-tampered-list'] = {verified: r.verified, status: null, error: r.error ? r.error.message : null};
writeFileSync(join(out, 'js-checkstatus-results.json'), JSON.stringify(results, null, 2) + '\n');
console.log(JSON.stringify(results, null, 2));
