// Escaping interop, JS side. Run from a scratch folder holding js_common.mjs and one generation
// of the @digitalbazaar stack (README.md):
//   GEN=rdfc3  eddsa-rdfc-2022-cryptosuite 1.0.1, ecdsa-rdfc-2019-cryptosuite 1.0.1, vc 7.0.0,
//              data-integrity 2.0.0, ed25519-signature-2020 5.3.0, jsonld-signatures 11.2.1,
//              jsonld 8.3.3 (rdf-canonize 3.4.0 inside jsonld.canonize)
//   GEN=rdfc5  eddsa-rdfc-2022-cryptosuite 1.3.0, ecdsa-rdfc-2019-cryptosuite 1.3.0, vc 7.3.0,
//              data-integrity 2.5.0, ed25519-signature-2020 5.4.0, jsonld-signatures 11.6.0,
//              jsonld 9.0.0, rdf-canonize 5.0.0 (npm install today)
// With --sign: issues credentials whose texts and ids hold characters canonical N-Quads escape
// (tests/interop/escape/js-signed-$GEN/). Always: this stack's verdict on every credential in
// js-signed-rdfc3/, js-signed-rdfc5/ and lerwallet-signed/ (plus a tampered copy of each
// lerwallet-signed one) -> js-verify-$GEN.json.
// Keys: DEMO-ONLY Ed25519 seeds; the published W3C vc-di-ecdsa P-256 test key.
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {cryptosuite as ecdsaRdfc2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {Ed25519VerificationKey2020} from '@digitalbazaar/ed25519-verification-key-2020';
import {documentLoader, repo} from './js_common.mjs';

const gen = process.env.GEN;
if(!['rdfc3', 'rdfc5'].includes(gen)) {
  throw new Error('usage: GEN=rdfc3|rdfc5 LERWALLET_REPO=... node make_js_signed.mjs [--sign]');
}
const here = join(repo, 'tests', 'interop', 'escape');
const seed = label => new Uint8Array(createHash('sha256').update(label).digest());
const V1 = 'https://www.w3.org/2018/credentials/v1';
const V2 = 'https://www.w3.org/ns/credentials/v2';
const DI2 = 'https://w3id.org/security/data-integrity/v2';
const OB3 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
const DATE = '2024-06-01T12:00:00Z';

// Texts with every kind of character the generations spell differently: a tab, BEL, BS, VT,
// FF, U+001F, DEL, plus a quote, a backslash, LF and CR (spelled alike); and, in *-iri.json
// only, an achievement id with { } | < > ^ ` " (legal in JSON-LD, not in an RFC 3987 IRI).
const NAME = 'Tabs\tand bells\u0007: "Control" \\ characters';
const DESCRIPTION = 'Backspace\b, vertical tab\u000b, form feed\f, unit separator\u001f, delete\u007f.\nSecond line\r end';
const ACHIEVEMENT_ID = 'https://example.edu/achievements/{escape}|<interop>^`"quoted"`';

function badge(contexts, issuer, dates, achievementId = 'https://example.edu/achievements/escape-interop') {
  return {
    '@context': contexts,
    id: `urn:uuid:0e5ca9e0-1f7a-4b6e-9c1d-0000000${gen === 'rdfc3' ? '00003' : '00005'}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: NAME,
    issuer: {id: issuer, type: ['Profile'], name: `Example College (${gen}, DEMO ONLY)\u0007`},
    ...dates,
    credentialSubject: {
      id: 'did:example:learner-escape-interop',
      type: ['AchievementSubject'],
      achievement: {id: achievementId, type: ['Achievement'], name: NAME,
        description: DESCRIPTION, criteria: {narrative: 'Pass\tthe\u0001test'}}
    }
  };
}

const ed = await Ed25519Multikey.generate({seed: seed(`lerwallet escape interop DEMO ONLY ed25519 issuer ${gen}`)});
ed.controller = `did:key:${ed.publicKeyMultibase}`;
ed.id = `${ed.controller}#${ed.publicKeyMultibase}`;
const ed2020 = await Ed25519VerificationKey2020.generate({seed: seed(`lerwallet escape interop DEMO ONLY ed25519 issuer ${gen}`)});
ed2020.controller = ed.controller;
ed2020.id = ed.id;
const p256 = await EcdsaMultikey.from({
  publicKeyMultibase: 'zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP',
  secretKeyMultibase: 'z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN'
});
p256.controller = `did:key:${p256.publicKeyMultibase}`;
p256.id = `${p256.controller}#${p256.publicKeyMultibase}`;

if(process.argv.includes('--sign')) {
  const out = join(here, `js-signed-${gen}`);
  mkdirSync(out, {recursive: true});
  const v2 = {validFrom: '2024-06-01T00:00:00Z'};
  const v1 = {issuanceDate: '2024-06-01T00:00:00Z'};
  const jobs = [
    ['eddsa-rdfc-2022-v2.json', badge([V2, OB3], ed.controller, v2), ed, eddsaRdfc2022],
    ['eddsa-rdfc-2022-v1.json', badge([V1, OB3, DI2], ed.controller, v1), ed, eddsaRdfc2022],
    ['ecdsa-rdfc-2019-v2.json', badge([V2, OB3], p256.controller, v2), p256, ecdsaRdfc2019],
    ['eddsa-rdfc-2022-v2-iri.json', badge([V2, OB3], ed.controller, v2, ACHIEVEMENT_ID), ed, eddsaRdfc2022],
    ['Ed25519Signature2020-v1.json', badge([V1, OB3], ed.controller, v1), ed2020, null]
  ];
  for(const [file, unsigned, key, cryptosuite] of jobs) {
    const suite = key === ed2020 ? new Ed25519Signature2020({key, date: DATE}) :
      new DataIntegrityProof({signer: key.signer(), cryptosuite, date: DATE});
    const signed = await vc.issue({credential: structuredClone(unsigned), suite, documentLoader});
    writeFileSync(join(out, file), JSON.stringify(signed, null, 2) + '\n');
  }
}

const verifySuites = [
  new DataIntegrityProof({cryptosuite: eddsaRdfc2022}), new DataIntegrityProof({cryptosuite: ecdsaRdfc2019}),
  new Ed25519Signature2020()
];
async function verdict(credential) {
  const result = await vc.verifyCredential({credential, suite: verifySuites, documentLoader,
    checkStatus: async () => ({verified: true})});
  return {verified: result.verified, error: result.verified ? undefined : String(result.error?.errors?.[0]?.message ||
    result.error?.message || result.results?.[0]?.error?.message || 'not verified')};
}
const version = name => JSON.parse(readFileSync(join('node_modules', name, 'package.json'), 'utf8')).version;
const results = {generation: gen, node: process.version, versions: {}, verdicts: {}};
for(const name of ['@digitalbazaar/vc', '@digitalbazaar/data-integrity', '@digitalbazaar/eddsa-rdfc-2022-cryptosuite',
  '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite', '@digitalbazaar/ed25519-signature-2020', 'jsonld-signatures', 'jsonld',
  existsSync(join('node_modules', 'jsonld', 'node_modules', 'rdf-canonize')) ? 'jsonld/node_modules/rdf-canonize' : 'rdf-canonize']) {
  results.versions[name] = version(name);
}
for(const folder of ['js-signed-rdfc3', 'js-signed-rdfc5', 'lerwallet-signed']) {
  const dir = join(here, folder);
  if(!existsSync(dir)) {
    continue;
  }
  for(const file of readdirSync(dir).filter(f => f.endsWith('.json')).sort()) {
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    results.verdicts[`${folder}/${file}`] = await verdict(doc);
    if(folder === 'lerwallet-signed') {
      const tampered = structuredClone(doc);
      tampered.name = tampered.name.replace('\t', ' ');  // the tab becomes a space
      results.verdicts[`${folder}/${file.replace(/\.json$/, '.tab-changed.json')}`] = await verdict(tampered);
    }
  }
}
writeFileSync(join(here, `js-verify-${gen}.json`), JSON.stringify(results, null, 1) + '\n');
console.log('wrote', join(here, `js-verify-${gen}.json`));
