// Verify lerwallet's self-attested records (tests/interop/records, made by
// make_lerwallet_records.py) with the reference JS stack (@digitalbazaar/vc verifyCredential,
// eddsa-rdfc-2022 and ecdsa-rdfc-2019 Data Integrity suites), and tampered copies of each:
// a changed activity end date, achievement name, skill alignment code and evidence digest must
// all fail. Writes records/js-verify-results.json.
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {cryptosuite as ecdsaRdfc2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import {documentLoader, repo} from './js_common.mjs';

const dir = process.env.RECORDS_DIR || join(repo, 'tests', 'interop', 'records');
const suite = [
  new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
  new DataIntegrityProof({cryptosuite: ecdsaRdfc2019})
];

const tampers = {
  activityEndDate: c => { c.credentialSubject.activityEndDate = '2030-01-01T00:00:00Z'; },
  achievementName: c => { c.credentialSubject.achievement.name = 'Chief executive'; },
  alignmentCode: c => {
    const a = c.credentialSubject.achievement.alignment;
    if(!a) { return false; }
    a[0].targetCode = 'tampered';
  },
  evidenceId: c => {
    if(!c.evidence) { return false; }
    c.evidence[0].id = 'ni:///sha-256;AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  },
  subject: c => { c.credentialSubject.id = 'did:example:someone-else'; }
};

const results = [];
for(const file of readdirSync(dir).filter(f => f.endsWith('.json') && !f.startsWith('js-')).sort()) {
  const credential = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const r = await vc.verifyCredential({credential, suite, documentLoader});
  const tampered = {};
  for(const [name, change] of Object.entries(tampers)) {
    const copy = structuredClone(credential);
    if(change(copy) === false) { continue; }
    const t = await vc.verifyCredential({credential: copy, suite, documentLoader});
    tampered[name] = t.verified;
  }
  results.push({file, cryptosuite: credential.proof.cryptosuite, verified: r.verified,
    error: r.error ? String(r.error.message || r.error) : null, tamperedVerified: tampered});
}
writeFileSync(join(dir, 'js-verify-results.json'), JSON.stringify(results, null, 2) + '\n');
console.log(JSON.stringify(results.map(r => [r.file, r.verified, r.tamperedVerified])));
