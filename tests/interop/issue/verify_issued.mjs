// The reference JS stack's verdict on what `lerwallet issue` made (make_issued.py): each badge
// verified with @digitalbazaar/vc (eddsa-rdfc-2022, ecdsa-rdfc-2019), a tampered copy of each,
// and the status of each badge that has one, read by @digitalbazaar/vc-bitstring-status-list's
// checkStatus from the list lerwallet published (the list's own proof verified too).
// Writes js-verify-results.json. Run from the scratch folder of tests/interop/README.md.
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {cryptosuite as ecdsaRdfc2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {documentLoader as baseLoader, repo} from '../js_common.mjs';

const here = join(repo, 'tests', 'interop', 'issue');
const read = name => JSON.parse(readFileSync(join(here, name), 'utf8'));
const list = read('list-badges.json');
const cases = read('cases.json');

async function documentLoader(url) {
  if(url === list.id) {
    return {contextUrl: null, documentUrl: url, document: list};
  }
  return baseLoader(url);
}
const suite = [new DataIntegrityProof({cryptosuite: eddsaRdfc2022}), new DataIntegrityProof({cryptosuite: ecdsaRdfc2019})];

const results = {};
for(const name of Object.keys(cases)) {
  const credential = read(name);
  const r = await vc.verifyCredential({credential, suite, documentLoader, checkStatus: async () => ({verified: true})});
  const tampered = structuredClone(credential);
  tampered.credentialSubject.achievement.name = 'Community Garden Leader';
  const t = await vc.verifyCredential({credential: tampered, suite, documentLoader, checkStatus: async () => ({verified: true})});
  const entry = {verified: r.verified, error: r.error ? String(r.error.message || r.error) : null, tamperedVerified: t.verified};
  if(credential.credentialStatus) {
    const s = await checkStatus({credential, documentLoader, suite, verifyBitstringStatusListCredential: true});
    entry.statusVerified = s.verified;
    entry.revoked = s.verified ? s.results[0].status : null;
    entry.statusError = s.error ? String(s.error.message || s.error) : null;
  }
  results[name] = entry;
}
writeFileSync(join(here, 'js-verify-results.json'), JSON.stringify(results, null, 2) + '\n');
console.log(JSON.stringify(results, null, 2));
