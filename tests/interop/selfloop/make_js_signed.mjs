// RDFC-1.0's blank node to quads map, JS side: credentials with a blank-node result that names
// itself (`"sameAs": {"id": "_:r"}`, one statement mentioning the node twice), signed by the
// reference stack, for tests/test_ld_blank_mentions.py. Run from a scratch folder holding
// ../js_common.mjs (copied next to this script) and `npm install @digitalbazaar/vc@7
// @digitalbazaar/data-integrity@2 @digitalbazaar/eddsa-rdfc-2022-cryptosuite@1
// @digitalbazaar/ed25519-multikey@1 @digitalbazaar/ecdsa-multikey@1 @digitalbazaar/did-method-key@5`:
//   LERWALLET_REPO=<repo> node make_js_signed.mjs
// Key: a DEMO-ONLY Ed25519 seed. Writes js-signed/*.json and js-verify.json (this stack's verdicts).
import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {documentLoader, repo} from './js_common.mjs';

const here = join(repo, 'tests', 'interop', 'selfloop');
const seed = new Uint8Array(createHash('sha256').update('lerwallet selfloop interop DEMO ONLY ed25519 issuer').digest());
const V2 = 'https://www.w3.org/ns/credentials/v2';
const OB3 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

const key = await Ed25519Multikey.generate({seed});
key.controller = `did:key:${key.publicKeyMultibase}`;
key.id = `${key.controller}#${key.publicKeyMultibase}`;

function badge(n) {
  return {
    '@context': [V2, OB3, {sameAs: {'@id': 'https://schema.org/sameAs', '@type': '@id'}}],
    id: `urn:uuid:5e1f1009-0000-4000-8000-${String(n).padStart(12, '0')}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: `Self-reference ${n}`,
    issuer: {id: key.controller, type: ['Profile'], name: 'Example College (DEMO ONLY)'},
    validFrom: '2024-06-01T00:00:00Z',
    credentialSubject: {
      id: 'did:example:learner-selfloop', type: ['AchievementSubject'],
      achievement: {id: `https://example.edu/achievements/${n}`, type: ['Achievement'], name: `Self-reference ${n}`,
        criteria: {narrative: 'Named itself.'}},
      result: [{id: '_:r', type: ['Result'], value: `A${n}`, sameAs: {id: '_:r'}}, {type: ['Result'], value: `B${n}`},
        {type: ['Result'], value: `C${n}`}]
    }
  };
}

mkdirSync(join(here, 'js-signed'), {recursive: true});
const verdicts = {};
for(let n = 0; n < 6; n++) {
  const suite = new DataIntegrityProof({signer: key.signer(), cryptosuite: eddsaRdfc2022, date: '2024-06-01T12:00:00Z'});
  const signed = await vc.issue({credential: badge(n), suite, documentLoader});
  const file = `badge-${n}.json`;
  writeFileSync(join(here, 'js-signed', file), JSON.stringify(signed, null, 2) + '\n');
  const result = await vc.verifyCredential({credential: signed, suite: new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
    documentLoader, checkStatus: async () => ({verified: true})});
  verdicts[file] = result.verified;
}
const version = name => JSON.parse(readFileSync(join('node_modules', name, 'package.json'), 'utf8')).version;
writeFileSync(join(here, 'js-verify.json'), JSON.stringify({versions: Object.fromEntries(
  ['@digitalbazaar/vc', '@digitalbazaar/data-integrity', '@digitalbazaar/eddsa-rdfc-2022-cryptosuite', 'jsonld', 'rdf-canonize']
    .map(name => [name, version(name)])), verdicts}, null, 2) + '\n');
