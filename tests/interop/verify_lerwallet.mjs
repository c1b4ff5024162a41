// Verify lerwallet-signed credentials (tests/interop/lerwallet-signed) with the JS stack and
// record the verdicts in tests/interop/lerwallet-signed/js-verify-results.json.
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {cryptosuite as ecdsaRdfc2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {documentLoader, repo} from './js_common.mjs';

const dir = join(repo, 'tests', 'interop', 'lerwallet-signed');
const suite = [
  new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
  new DataIntegrityProof({cryptosuite: ecdsaRdfc2019}),
  new Ed25519Signature2020()
];
const results = [];
for(const file of readdirSync(dir).filter(f => f.endsWith('.json') && !f.startsWith('js-')).sort()) {
  const credential = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const r = await vc.verifyCredential({credential, suite, documentLoader});
  const tampered = structuredClone(credential);
  tampered.credentialSubject.achievement.name = 'Tampered';
  const t = await vc.verifyCredential({credential: tampered, suite, documentLoader});
  results.push({file, verified: r.verified, error: r.error ? String(r.error.message || r.error) : null,
    tamperedVerified: t.verified});
}
writeFileSync(join(dir, 'js-verify-results.json'), JSON.stringify(results, null, 2) + '\n');
console.log(JSON.stringify(results, null, 2));
