// eddsa-jcs-2022 / ecdsa-jcs-2019 interop with the reference stack (@digitalbazaar/*-jcs-*-cryptosuite).
// 1. Issues the same badge with each suite (js-signed/): Ed25519 from a DEMO-ONLY seed, P-256 and
//    P-384 with the published W3C vc-di-ecdsa test keys.
// 2. Verifies every credential in js-signed/ and lerwallet-signed/ and a tampered copy of each,
//    writing the reference verdicts to verdicts.json. Offline (bundled contexts, did:key).
import {createHash} from 'node:crypto';
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';
import * as vc from '@digitalbazaar/vc';
import * as DidKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as eddsaJcs from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as ecdsaJcs from '@digitalbazaar/ecdsa-jcs-2019-cryptosuite';

const here = dirname(fileURLToPath(import.meta.url));
const repo = process.env.LERWALLET_REPO || join(here, '..', '..', '..');
const base = join(repo, 'tests', 'interop', 'jcs');
const contextsDir = join(repo, 'src', 'lerwallet', 'ld', 'contexts');
const manifest = JSON.parse(readFileSync(join(contextsDir, 'manifest.json'), 'utf8'));
const driver = DidKey.driver();
driver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
driver.use({multibaseMultikeyHeader: 'zDna', fromMultibase: EcdsaMultikey.from});
driver.use({multibaseMultikeyHeader: 'z82L', fromMultibase: EcdsaMultikey.from});

async function documentLoader(url) {
  if(url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url, document: await driver.get({url})};
  }
  const entry = manifest[url];
  if(!entry) {
    throw new Error(`not bundled (offline loader): ${url}`);
  }
  return {contextUrl: null, documentUrl: url,
    document: JSON.parse(readFileSync(join(contextsDir, entry.file), 'utf8'))};
}

const DATE = '2024-05-01T12:00:00Z';
function badge(issuer, v1) {
  const c = JSON.parse(readFileSync(join(base, 'lerwallet-signed', `eddsa-jcs-2022-ed25519-${v1 ? 'vc11' : 'vc20'}.json`), 'utf8'));
  delete c.proof;
  c['@context'] = c['@context'].filter(u => u !== 'https://w3id.org/security/data-integrity/v2');
  c.issuer.id = issuer;
  return c;
}

const seed = new Uint8Array(createHash('sha256').update('lerwallet jcs interop DEMO ONLY ed25519 issuer').digest());
const ed = await Ed25519Multikey.generate({seed});
const p256 = await EcdsaMultikey.from({publicKeyMultibase: 'zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP',
  secretKeyMultibase: 'z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN'});
const p384 = await EcdsaMultikey.from({publicKeyMultibase: 'z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ',
  secretKeyMultibase: 'z2fanyY7zgwNpZGxX5fXXibvScNaUWNprHU9dKx7qpVj7mws9J8LLt4mDB5TyH2GLHWkUc'});
for(const k of [ed, p256, p384]) {
  k.controller = `did:key:${k.publicKeyMultibase}`;
  k.id = `${k.controller}#${k.publicKeyMultibase}`;
}
mkdirSync(join(base, 'js-signed'), {recursive: true});
for(const [name, key, suite] of [['eddsa-jcs-2022-ed25519', ed, eddsaJcs], ['ecdsa-jcs-2019-p256', p256, ecdsaJcs],
  ['ecdsa-jcs-2019-p384', p384, ecdsaJcs]]) {
  for(const v1 of [true, false]) {
    const proof = new DataIntegrityProof({signer: key.signer(), date: DATE, cryptosuite: suite.createSignCryptosuite()});
    const signed = await vc.issue({credential: badge(key.controller, v1), suite: proof, documentLoader});
    writeFileSync(join(base, 'js-signed', `${name}-${v1 ? 'vc11' : 'vc20'}.json`), JSON.stringify(signed, null, 2) + '\n');
  }
}

const verifiers = [new DataIntegrityProof({cryptosuite: eddsaJcs.createVerifyCryptosuite()}),
  new DataIntegrityProof({cryptosuite: ecdsaJcs.createVerifyCryptosuite()})];
const verdicts = [];
for(const folder of ['js-signed', 'lerwallet-signed']) {
  for(const file of readdirSync(join(base, folder)).filter(f => f.endsWith('.json')).sort()) {
    const credential = JSON.parse(readFileSync(join(base, folder, file), 'utf8'));
    const tampered = structuredClone(credential);
    tampered.credentialSubject.achievement.creditsAvailable = 25;
    for(const [variant, doc] of [['original', credential], ['tampered', tampered]]) {
      const r = await vc.verifyCredential({credential: doc, suite: verifiers, documentLoader});
      const errors = r.error ? (r.error.errors || [r.error]).map(e => String(e.message || e)) : [];
      verdicts.push({file: `${folder}/${file}`, variant, verified: r.verified, errors});
    }
  }
}
writeFileSync(join(base, 'verdicts.json'), JSON.stringify(verdicts, null, 2) + '\n');
console.log(JSON.stringify(verdicts.map(v => [v.file, v.variant, v.verified, v.errors[0]])));
