// @direction interop, JS side: the @digitalbazaar stack issues credentials whose names and
// descriptions are language value objects with a base direction, writes the canonical N-Quads
// jsonld.js gives them (rdfDirection "i18n-datatype", as the rdfc cryptosuites canonicalize),
// and verifies the credentials lerwallet signed with direction (lerwallet-signed/).
// Keys: DEMO-ONLY seeds (Ed25519) and the published W3C vc-di-ecdsa P-256 test key.
// Run from a scratch folder holding js_common.mjs and the npm packages (README.md).
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import jsonld from 'jsonld';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {cryptosuite as ecdsaRdfc2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {documentLoader, repo} from './js_common.mjs';

const here = join(repo, 'tests', 'interop', 'direction');
const out = join(here, 'js-signed');
const canonDir = join(here, 'js-canonical');
mkdirSync(out, {recursive: true});
mkdirSync(canonDir, {recursive: true});
const seed = label => new Uint8Array(createHash('sha256').update(label).digest());
const V2 = 'https://www.w3.org/ns/credentials/v2';
const DATE = '2024-05-01T12:00:00Z';

const ed = await Ed25519Multikey.generate({seed: seed('lerwallet direction interop DEMO ONLY ed25519 issuer')});
ed.controller = `did:key:${ed.publicKeyMultibase}`;
ed.id = `${ed.controller}#${ed.publicKeyMultibase}`;
// The published W3C vc-di-ecdsa P-256 test key (also used by tests/interop/make_js_fixtures.mjs).
const p256 = await EcdsaMultikey.from({
  publicKeyMultibase: 'zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP',
  secretKeyMultibase: 'z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN'
});
p256.controller = `did:key:${p256.publicKeyMultibase}`;
p256.id = `${p256.controller}#${p256.publicKeyMultibase}`;

function credential(issuer) {
  return {
    '@context': [V2],
    id: 'urn:uuid:5d1f0f4e-7c1a-4b7e-9a55-00000000d1ec',
    type: ['VerifiableCredential'],
    name: {'@value': 'شهادة المشاركة', '@language': 'ar', '@direction': 'rtl'},
    description: [
      {'@value': 'Certificate of participation', '@language': 'en', '@direction': 'ltr'},
      {'@value': 'שם ללא שפה', '@direction': 'rtl'}
    ],
    issuer: {
      id: issuer,
      name: {'@value': 'جامعة المثال', '@language': 'ar-EG', '@direction': 'rtl'},
      description: {'@value': 'Example University (demo only)', '@language': 'en', '@direction': 'ltr'}
    },
    validFrom: '2024-05-01T00:00:00Z',
    credentialSubject: {id: 'did:example:learner-1', name: {'@value': 'ليلى', '@language': 'ar', '@direction': 'rtl'}}
  };
}

function suiteInput(rel, issuer) {
  const doc = JSON.parse(readFileSync(join(repo, 'tests', 'vectors', 'w3c-vcdm2', 'input', rel), 'utf8'));
  if(doc.issuer === undefined) {
    doc.issuer = issuer;
  } else if(typeof doc.issuer === 'object' && !doc.issuer.id) {
    doc.issuer.id = issuer;
  }
  return doc;
}

const SUITE = [
  'credential-name-language-direction-en-ok.json', 'credential-description-language-direction-en-ok.json',
  'issuer-name-language-direction-en-ok.json', 'issuer-description-language-direction-en-ok.json'
];

const jobs = [
  ['direction-eddsa-rdfc-2022.json', credential(ed.controller), ed, eddsaRdfc2022],
  ['direction-ecdsa-rdfc-2019.json', credential(p256.controller), p256, ecdsaRdfc2019],
  ...SUITE.map(name => [`suite-${name}`, suiteInput(`names-and-descriptions/${name}`, ed.controller), ed, eddsaRdfc2022])
];

for(const [file, unsigned, key, cryptosuite] of jobs) {
  const canonical = await jsonld.canonize(structuredClone(unsigned), {
    algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader, safe: true,
    rdfDirection: 'i18n-datatype'
  });
  writeFileSync(join(canonDir, file.replace(/\.json$/, '.unsigned.json')), JSON.stringify(unsigned, null, 2) + '\n');
  writeFileSync(join(canonDir, file.replace(/\.json$/, '.nq')), canonical);
  const suite = new DataIntegrityProof({signer: key.signer(), cryptosuite, date: DATE});
  const signed = await vc.issue({credential: structuredClone(unsigned), suite, documentLoader});
  writeFileSync(join(out, file), JSON.stringify(signed, null, 2) + '\n');
}

// The JS stack's verdict on its own output, and on what lerwallet signed.
const verifySuites = [
  new DataIntegrityProof({cryptosuite: eddsaRdfc2022}), new DataIntegrityProof({cryptosuite: ecdsaRdfc2019})
];
async function verdict(credential) {
  const result = await vc.verifyCredential({credential, suite: verifySuites, documentLoader,
    checkStatus: async () => ({verified: true})});
  return {verified: result.verified, error: result.verified ? undefined : String(result.error?.errors?.[0]?.message ||
    result.error?.message || result.results?.[0]?.error?.message || 'not verified')};
}
const own = {};
for(const file of readdirSync(out).sort()) {
  own[file] = await verdict(JSON.parse(readFileSync(join(out, file), 'utf8')));
}
writeFileSync(join(here, 'js-verify-own.json'), JSON.stringify(own, null, 2) + '\n');
const theirs = join(here, 'lerwallet-signed');
if(existsSync(theirs)) {
  const results = {};
  for(const file of readdirSync(theirs).filter(f => f.endsWith('.json') && !f.startsWith('js-')).sort()) {
    const doc = JSON.parse(readFileSync(join(theirs, file), 'utf8'));
    results[file] = await verdict(doc);
    const tampered = structuredClone(doc);
    tampered.name['@direction'] = tampered.name['@direction'] === 'rtl' ? 'ltr' : 'rtl';
    results[file.replace(/\.json$/, '.direction-flipped.json')] = await verdict(tampered);
  }
  writeFileSync(join(theirs, 'js-verify-results.json'), JSON.stringify(results, null, 2) + '\n');
}
console.log('wrote', out, canonDir);
