// The reference's verdict on the W3C vc-di-eddsa signed vector: an https issuer, a did:key
// verification method. Writes tests/interop/controller-binding-result.json. Run like the
// other interop scripts (README.md), from the scratch folder holding js_common.mjs.
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {documentLoader, repo} from './js_common.mjs';

const rel = 'tests/vectors/proofs/w3c-eddsa/eddsa-rdfc-2022-signed.json';
const credential = JSON.parse(readFileSync(join(repo, rel), 'utf8'));
const r = await vc.verifyCredential({credential, documentLoader,
  suite: [new DataIntegrityProof({cryptosuite: eddsaRdfc2022})]});
const error = r.results?.[0]?.error;
writeFileSync(join(repo, 'tests', 'interop', 'controller-binding-result.json'), JSON.stringify(
  {input: rel, verified: r.verified, message: error?.message}, null, 2) + '\n');
