// bbs-2023 interop fixtures, made by the reference JavaScript stack (see README.md here).
//   node make_bbs_fixtures.mjs
// The issuer (a DEMO-ONLY BLS12-381 G2 key from a fixed seed) issues an Open Badges 3.0
// credential with a bbs-2023 base proof; the holder derives selectively disclosed copies; the
// script then makes tampered copies and records the reference verifier's verdict on every file
// in js-verify-results.json. BBS proofs are randomized: re-running gives new proof values.
import {createHash} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import * as cborg from 'cborg';
import * as DidKey from '@digitalbazaar/did-method-key';
import * as Bls12381Multikey from '@digitalbazaar/bls12-381-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import jsigs from 'jsonld-signatures';
import {createSignCryptosuite, createDiscloseCryptosuite, createVerifyCryptosuite}
  from '@digitalbazaar/bbs-2023-cryptosuite';
import {documentLoader as bundled, repo} from '../js_common.mjs';

const {purposes: {AssertionProofPurpose}} = jsigs;
const dir = join(repo, 'tests', 'interop', 'bbs');
const ALGORITHM = 'BBS-BLS12-381-SHA-256';
const MANDATORY = ['/issuer', '/validFrom', '/credentialSubject/achievement/name'];
const SELECTIVE = ['/credentialSubject/achievement/description', '/credentialSubject/result/1/value'];
const PRESENTATION_HEADER = new TextEncoder().encode('lerwallet bbs interop: employer nonce 42');

const didKeyDriver = DidKey.driver();
didKeyDriver.use({multibaseMultikeyHeader: 'zUC7', fromMultibase: Bls12381Multikey.from});
async function documentLoader(url) {
  if(url.startsWith('did:key:zUC7')) {
    return {contextUrl: null, documentUrl: url, document: await didKeyDriver.get({url})};
  }
  return bundled(url);
}

const write = (name, doc) => writeFileSync(join(dir, name), JSON.stringify(doc, null, 2) + '\n');

async function demoKey(label) {
  // DEMO ONLY: the seed is public (SHA-256 of a label), never use these keys for anything real
  const seed = new Uint8Array(createHash('sha256').update(label).digest());
  const {publicKeyMultibase} = await Bls12381Multikey.generateBbsKeyPair({algorithm: ALGORITHM, seed});
  const controller = `did:key:${publicKeyMultibase}`;
  return Bls12381Multikey.generateBbsKeyPair({algorithm: ALGORITHM, seed, controller});
}

async function verify(credential) {
  const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
  const r = await vc.verifyCredential({credential, suite, documentLoader});
  const error = r.error ? (r.error.errors?.[0]?.message || r.error.message || String(r.error)) : null;
  return {verified: r.verified, error};
}

async function derive(base, selectivePointers, presentationHeader = new Uint8Array()) {
  const suite = new DataIntegrityProof({
    cryptosuite: createDiscloseCryptosuite({selectivePointers, presentationHeader})});
  return vc.derive({verifiableCredential: base, suite, documentLoader});
}

function withPresentationHeader(credential, presentationHeader) {
  // re-encode the derived proofValue (0xd9 0x5d 0x03 || CBOR [...5 items]) with another header
  const copy = structuredClone(credential);
  const raw = Buffer.from(copy.proof.proofValue.slice(1), 'base64url');
  const items = cborg.decode(raw.subarray(3), {useMaps: true});
  items[4] = presentationHeader;
  const body = cborg.encode(items, {useMaps: true});
  copy.proof.proofValue = 'u' + Buffer.concat([raw.subarray(0, 3), body]).toString('base64url');
  return copy;
}

const issuer = await demoKey('lerwallet bbs-2023 interop issuer DEMO ONLY');
const stranger = await demoKey('lerwallet bbs-2023 interop other key DEMO ONLY');
const unsigned = {
  '@context': ['https://www.w3.org/ns/credentials/v2',
    'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  id: 'urn:uuid:5e0b1c9a-0000-4000-8000-00000000bb50',
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  name: 'BBS Selective Disclosure Badge',
  issuer: {id: issuer.controller, type: ['Profile'], name: 'lerwallet demo BBS issuer'},
  validFrom: '2024-06-01T00:00:00Z',
  credentialSubject: {
    type: ['AchievementSubject'],
    achievement: {
      id: 'https://example.edu/achievements/bbs',
      type: ['Achievement'],
      name: 'Data Analysis',
      description: 'Statistics and Python.',
      criteria: {narrative: 'Passed the exam.'}
    },
    result: [
      {type: ['Result'], value: 'A'},
      {type: ['Result'], value: 'distinction'}
    ]
  }
};
const signSuite = new DataIntegrityProof({
  signer: issuer.signer(), date: '2024-06-01T08:00:00Z',
  cryptosuite: createSignCryptosuite({mandatoryPointers: MANDATORY})});
const base = await vc.issue({credential: unsigned, suite: signSuite, documentLoader});
write('js-base.json', base);

const derived = await derive(base, SELECTIVE, PRESENTATION_HEADER);
const files = {
  'js-derived.json': derived,
  'js-derived-no-header.json': await derive(base, SELECTIVE),
  'js-derived-mandatory-only.json': await derive(base, []),
  'js-derived-everything.json': await derive(base, ['/id', '/type', '/name', '/credentialSubject']),
};
const changed = structuredClone(derived);
changed.credentialSubject.achievement.description = 'Statistics, Python and R.';
const mandatoryChanged = structuredClone(derived);
mandatoryChanged.credentialSubject.achievement.name = 'Data Science';
const wrongKey = structuredClone(derived);
wrongKey.proof.verificationMethod = stranger.id;
const truncated = structuredClone(derived);
truncated.proof.proofValue = truncated.proof.proofValue.slice(0, 200);
const extra = structuredClone(derived);
extra.credentialSubject.achievement.criteria = {narrative: 'Passed the exam.'};
const missing = structuredClone(derived);
delete missing.credentialSubject.achievement.description;
const tampered = {
  'tampered-disclosed-value.json': changed,
  'tampered-mandatory-value.json': mandatoryChanged,
  'tampered-presentation-header.json': withPresentationHeader(derived, new TextEncoder().encode('another nonce')),
  'tampered-wrong-key.json': wrongKey,
  'tampered-truncated-proof-value.json': truncated,
  'tampered-extra-statement.json': extra,
  'tampered-missing-statement.json': missing,
};
const results = [{file: 'js-base.json', ...await verify(base)}];
for(const [name, doc] of Object.entries({...files, ...tampered})) {
  write(name, doc);
  results.push({file: name, ...await verify(doc)});
}
write('js-verify-results.json', results);
console.log(JSON.stringify(results, null, 2));

// The reference's verdict on the W3C vc-di-bbs vectors copied into tests/vectors/proofs/w3c-bbs/
// (verified as vectors are: the proof only, the issuer is not bound to the key).
const vectors = join(repo, 'tests', 'vectors', 'proofs', 'w3c-bbs');
const w3c = [];
for(const file of ['derived-reveal.json', 'derived-reveal-untagged.json', 'prc-derived-reveal.json',
  'base-signed.json']) {
  const doc = JSON.parse(readFileSync(join(vectors, file), 'utf8'));
  const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
  const r = await jsigs.verify(doc, {suite, purpose: new AssertionProofPurpose(), documentLoader});
  const error = r.error ? (r.error.errors?.[0]?.message || r.error.message || String(r.error)) : null;
  w3c.push({file, verified: r.verified, error});
}
writeFileSync(join(vectors, 'js-verify-results.json'), JSON.stringify(w3c, null, 2) + '\n');
console.log(JSON.stringify(w3c, null, 2));
