// Issue credentials with the @digitalbazaar JS stack for lerwallet's interop tests.
// Keys come from fixed, clearly labelled DEMO-ONLY seeds; Ed25519 output is deterministic,
// ECDSA output is not (random nonces). Writes tests/interop/js-signed/*.json.
import {createHash} from 'node:crypto';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {cryptosuite as ecdsaRdfc2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {Ed25519VerificationKey2020} from '@digitalbazaar/ed25519-verification-key-2020';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {documentLoader, repo} from './js_common.mjs';

const seed = label => new Uint8Array(createHash('sha256').update(label).digest());
const DATE = '2024-05-01T12:00:00Z';
const out = join(repo, 'tests', 'interop', 'js-signed');
mkdirSync(out, {recursive: true});

function badge({v1, issuer, extra = {}}) {
  const c = {
    '@context': v1 ?
      ['https://www.w3.org/2018/credentials/v1', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'] :
      ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'urn:uuid:2b1f7c9e-0000-4000-8000-00000000interop'.replace('interop', v1 ? '0000011' : '0000020'),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Interop Badge',
    issuer: {id: issuer, type: ['Profile'], name: 'Interop Test Issuer (demo only)'},
    credentialSubject: {
      id: 'did:example:learner-1',
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://example.edu/achievements/interop',
        type: ['Achievement'],
        name: 'Interoperability',
        description: 'Signed by the JavaScript reference stack.',
        criteria: {narrative: 'Round-trip a credential between two implementations.'},
        creditsAvailable: 3,
        alignment: [{type: ['Alignment'], targetName: 'Collaboration', targetUrl: 'https://example.org/frameworks/c/1'}],
        ...extra
      },
      creditsEarned: 2.5
    }
  };
  if(v1) {
    c.issuanceDate = '2024-05-01T00:00:00Z';
  } else {
    c.validFrom = '2024-05-01T00:00:00Z';
  }
  return c;
}

const edMk = await Ed25519Multikey.generate({seed: seed('lerwallet interop DEMO ONLY ed25519 issuer')});
edMk.controller = `did:key:${edMk.publicKeyMultibase}`;
edMk.id = `${edMk.controller}#${edMk.publicKeyMultibase}`;
const ed2020 = await Ed25519VerificationKey2020.generate({seed: seed('lerwallet interop DEMO ONLY ed25519 issuer')});
ed2020.controller = edMk.controller;
ed2020.id = edMk.id;
// P-256 key pair: the published W3C vc-di-ecdsa test key (public test material, demo only).
const p256 = await EcdsaMultikey.from({
  publicKeyMultibase: 'zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP',
  secretKeyMultibase: 'z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN'
});
p256.controller = 'did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP';
p256.id = `${p256.controller}#zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP`;

const suites = {
  'eddsa-rdfc-2022': () => [new DataIntegrityProof({signer: edMk.signer(), date: DATE, cryptosuite: eddsaRdfc2022}), edMk.controller],
  'Ed25519Signature2020': () => [new Ed25519Signature2020({key: ed2020, date: DATE}), edMk.controller],
  'ecdsa-rdfc-2019': () => [new DataIntegrityProof({signer: p256.signer(), date: DATE, cryptosuite: ecdsaRdfc2019}), p256.controller]
};

const log = [];
for(const [name, make] of Object.entries(suites)) {
  for(const v1 of [true, false]) {
    const [suite, issuer] = make();
    const credential = badge({v1, issuer});
    const signed = await vc.issue({credential, suite, documentLoader});
    const file = `${name}-${v1 ? 'vc11' : 'vc20'}.json`;
    writeFileSync(join(out, file), JSON.stringify(signed, null, 2) + '\n');
    // verify with the same stack, so each fixture's JS verdict is recorded beside it
    const [vsuite] = make();
    const result = await vc.verifyCredential({credential: signed, suite: vsuite, documentLoader});
    log.push({file, verified: result.verified, error: result.error ? String(result.error.message || result.error) : null});
  }
}
writeFileSync(join(out, 'js-verify-own.json'), JSON.stringify(log, null, 2) + '\n');
console.log(JSON.stringify(log, null, 2));
