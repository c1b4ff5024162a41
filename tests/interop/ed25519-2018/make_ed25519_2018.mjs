// Ed25519Signature2018 fixtures from the reference stack (@digitalbazaar/ed25519-signature-2018).
// 1. Issues credentials with a DEMO-ONLY did:key whose verification method is an
//    Ed25519VerificationKey2018 with publicKeyBase58 (js-signed/*.json).
// 2. Verifies every credential in js-signed/ and real-world/, and one tampered copy of each
//    (credentialSubject changed), recording the reference verdicts in verdicts.json.
// Offline: contexts come from lerwallet's bundle (manifest.json); did:key documents are built
// here from the key bytes. See README.md for how to run it.
import {createHash} from 'node:crypto';
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';
import * as vc from '@digitalbazaar/vc';
import * as base58 from 'base58-universal';
import {Ed25519Signature2018} from '@digitalbazaar/ed25519-signature-2018';
import {Ed25519VerificationKey2018} from '@digitalbazaar/ed25519-verification-key-2018';

const here = dirname(fileURLToPath(import.meta.url));
const repo = process.env.LERWALLET_REPO || join(here, '..', '..', '..');
const base = join(repo, 'tests', 'interop', 'ed25519-2018');
const contextsDir = join(repo, 'src', 'lerwallet', 'ld', 'contexts');
const manifest = JSON.parse(readFileSync(join(contextsDir, 'manifest.json'), 'utf8'));
const ED2018 = 'https://w3id.org/security/suites/ed25519-2018/v1';

function didKeyDocument(did) {
  const fp = did.slice('did:key:'.length);
  const raw = base58.decode(fp.slice(1));
  if(raw[0] !== 0xed || raw[1] !== 0x01) {
    throw new Error(`not an Ed25519 did:key: ${did}`);
  }
  const vm = {
    '@context': ED2018, id: `${did}#${fp}`, type: 'Ed25519VerificationKey2018', controller: did,
    publicKeyBase58: base58.encode(raw.slice(2))
  };
  return {
    vm,
    doc: {
      '@context': ['https://www.w3.org/ns/did/v1', ED2018], id: did,
      verificationMethod: [{id: vm.id, type: vm.type, controller: did, publicKeyBase58: vm.publicKeyBase58}],
      assertionMethod: [vm.id], authentication: [vm.id]
    }
  };
}

async function documentLoader(url) {
  if(url.startsWith('did:key:')) {
    const [did] = url.split('#');
    const {vm, doc} = didKeyDocument(did);
    return {contextUrl: null, documentUrl: url, document: url.includes('#') ? vm : doc};
  }
  const entry = manifest[url];
  if(!entry) {
    throw new Error(`not bundled (offline loader): ${url}`);
  }
  const document = JSON.parse(readFileSync(join(contextsDir, entry.file), 'utf8'));
  return {contextUrl: null, documentUrl: url, document};
}

const seed = new Uint8Array(createHash('sha256').update('lerwallet ed25519-2018 DEMO ONLY issuer').digest());
const key = await Ed25519VerificationKey2018.generate({seed});
const fingerprint = key.fingerprint();
key.controller = `did:key:${fingerprint}`;
key.id = `${key.controller}#${fingerprint}`;
const DATE = '2024-05-01T12:00:00Z';

const credentials = {
  'ob303-vc11': {
    '@context': ['https://www.w3.org/2018/credentials/v1', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'urn:uuid:6f9a0c1e-2018-4000-8000-000000000011',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Legacy Suite Badge',
    issuer: {id: key.controller, type: ['Profile'], name: 'Ed25519Signature2018 Test Issuer (demo only)'},
    issuanceDate: '2024-05-01T00:00:00Z',
    credentialSubject: {
      id: 'did:example:learner-2018', type: ['AchievementSubject'],
      achievement: {
        id: 'https://example.edu/achievements/legacy-suite', type: ['Achievement'], name: 'Legacy Suite',
        description: 'Signed with Ed25519Signature2018 by the JavaScript reference stack.',
        criteria: {narrative: 'Verify a detached JWS with b64 false.'}
      }
    }
  },
  'examples-vc11': {
    '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/2018/credentials/examples/v1'],
    id: 'http://example.edu/credentials/2018',
    type: ['VerifiableCredential', 'AlumniCredential'],
    issuer: key.controller,
    issuanceDate: '2024-05-01T00:00:00Z',
    credentialSubject: {id: 'did:example:ebfeb1f712ebc6f1c276e12ec21', alumniOf: 'Example University'}
  }
};

mkdirSync(join(base, 'js-signed'), {recursive: true});
for(const [name, credential] of Object.entries(credentials)) {
  try {
    const suite = new Ed25519Signature2018({key, date: DATE});
    const signed = await vc.issue({credential, suite, documentLoader});
    writeFileSync(join(base, 'js-signed', `${name}.json`), JSON.stringify(signed, null, 2) + '\n');
  } catch(e) {
    console.log(`not issued: ${name}: ${e.message}`);
  }
}

function tamper(credential) {
  if(credential.type.includes('VerifiablePresentation')) {
    const t = structuredClone(credential);
    t.verifiableCredential[0].credentialSubject.degree.name = 'Tampered Degree';
    return t;
  }
  const t = structuredClone(credential);
  const s = Array.isArray(t.credentialSubject) ? t.credentialSubject[0] : t.credentialSubject;
  if(s.achievement) {
    s.achievement.name = s.achievement.name + ' (tampered)';
  } else {
    s.alumniOf = 'Tampered University';
  }
  return t;
}

const verdicts = [];
for(const folder of ['js-signed', 'real-world']) {
  for(const file of readdirSync(join(base, folder)).filter(f => f.endsWith('.json')).sort()) {
    const credential = JSON.parse(readFileSync(join(base, folder, file), 'utf8'));
    for(const [variant, doc] of [['original', credential], ['tampered', tamper(credential)]]) {
      const r = doc.type.includes('VerifiablePresentation') ?
        await vc.verify({presentation: doc, challenge: doc.proof.challenge, suite: new Ed25519Signature2018(),
          documentLoader}) :
        await vc.verifyCredential({credential: doc, suite: new Ed25519Signature2018(), documentLoader,
          checkStatus: async () => ({verified: true})});
      const errors = r.error ? (r.error.errors || [r.error]).map(e => String(e.message || e)) : [];
      verdicts.push({file: `${folder}/${file}`, variant, verified: r.verified, errors});
    }
  }
}
writeFileSync(join(base, 'verdicts.json'), JSON.stringify(verdicts, null, 2) + '\n');
console.log(JSON.stringify(verdicts, null, 2));
