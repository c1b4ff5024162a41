// Verify lerwallet-made presentations (tests/interop/presentations, made by
// make_lerwallet_presentations.py) with @digitalbazaar/vc and record the verdicts in
// presentations/js-verify-results.json. For each signed presentation: the genuine one with its
// challenge and domain, the same with a wrong expected challenge / domain, and tampered copies
// (proof challenge changed, an embedded credential changed, holder changed). Unsigned bundles
// are checked with unsignedPresentation: true (their credentials only). VP-JWTs (.jwt; vc 7.x
// has no JWT support) are checked with `jose` (signature with the holder's did:key, typ vp+jwt,
// aud = domain, nonce = challenge) and their embedded credentials with vc.verifyCredential.
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {cryptosuite as ecdsaRdfc2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import * as jose from 'jose';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {documentLoader, repo} from './js_common.mjs';

const dir = join(repo, 'tests', 'interop', 'presentations');
const cases = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8'));
const suite = [
  new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
  new DataIntegrityProof({cryptosuite: ecdsaRdfc2019})
];
const OTHER_DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

function errorOf(r) {
  if(r.verified) return null;
  const e = r.error || (r.presentationResult && r.presentationResult.error);
  const errors = e && e.errors ? e.errors : [e];
  return errors.filter(Boolean).map(x => String(x.message || x)).join('; ').slice(0, 300) || 'not verified';
}

async function check(presentation, c, expect = {}) {
  if(c.unsigned) {
    return vc.verify({presentation, suite, documentLoader, unsignedPresentation: true});
  }
  return vc.verify({
    presentation, suite, documentLoader,
    challenge: expect.challenge ?? c.challenge,
    ...((expect.domain ?? c.domain) ? {domain: expect.domain ?? c.domain} : {})
  });
}

async function holderKey(kid) {
  const {document} = await documentLoader(kid);
  const vm = document.id === kid ? document :
    (document.verificationMethod || []).find(m => m.id === kid);
  const module = vm.publicKeyMultibase.startsWith('z6Mk') ? Ed25519Multikey : EcdsaMultikey;
  const jwk = await module.toJwk({keyPair: await module.from(vm)});
  return jose.importJWK(jwk, jwk.crv === 'Ed25519' ? 'EdDSA' : 'ES256');
}

async function checkJwt(token, c, expect = {}) {
  try {
    const {kid} = jose.decodeProtectedHeader(token);
    const {payload, protectedHeader} = await jose.jwtVerify(token, await holderKey(kid), {
      audience: expect.domain ?? c.domain, typ: 'vp+jwt', currentDate: new Date('2026-11-01T09:05:00Z')});
    if(payload.nonce !== (expect.challenge ?? c.challenge)) {
      return {verified: false, error: 'nonce mismatch'};
    }
    if(payload.holder !== kid.split('#')[0]) {
      return {verified: false, error: 'kid is not the holder'};
    }
    const credentialResults = [];
    for(const credential of payload.verifiableCredential) {
      credentialResults.push(await vc.verifyCredential({credential, suite, documentLoader}));
    }
    return {verified: credentialResults.every(r => r.verified), credentialResults, header: protectedHeader};
  } catch(e) {
    return {verified: false, error: String(e.code || e.message)};
  }
}

function retoken(token, change) {
  const [h, p, sig] = token.split('.');
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  change(payload);
  return [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), sig].join('.');
}

const results = [];
for(const [file, c] of Object.entries(cases)) {
  if(c.format === 'jwt') {
    const token = readFileSync(join(dir, file), 'utf8').trim();
    const genuine = await checkJwt(token, c);
    results.push({
      file,
      verified: genuine.verified,
      error: genuine.error || null,
      credentialsVerified: (genuine.credentialResults || []).map(r => r.verified),
      tamperedCredentialVerified: (await checkJwt(retoken(token, p => {
        p.verifiableCredential[0].credentialSubject.achievement.name = 'Tampered';
      }), c)).verified,
      wrongChallengeVerified: (await checkJwt(token, c, {challenge: 'not-the-challenge'})).verified,
      wrongDomainVerified: (await checkJwt(token, c, {domain: 'attacker.example'})).verified,
      tamperedChallengeVerified: (await checkJwt(retoken(token, p => {
        p.nonce = 'tampered-challenge';
      }), c, {challenge: 'tampered-challenge'})).verified,
      tamperedHolderVerified: (await checkJwt(retoken(token, p => {
        p.holder = OTHER_DID;
      }), c)).verified
    });
    continue;
  }
  const vp = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const row = {file};
  const genuine = await check(vp, c);
  row.verified = genuine.verified;
  row.error = errorOf(genuine);
  row.credentialsVerified = (genuine.credentialResults || []).map(r => r.verified);

  const tamperedCredential = structuredClone(vp);
  tamperedCredential.verifiableCredential[0].credentialSubject.achievement.name = 'Tampered';
  row.tamperedCredentialVerified = (await check(tamperedCredential, c)).verified;

  if(!c.unsigned) {
    row.wrongChallengeVerified = (await check(vp, c, {challenge: 'not-the-challenge'})).verified;
    if(c.domain) {
      row.wrongDomainVerified = (await check(vp, c, {domain: 'attacker.example'})).verified;
    }
    const tamperedChallenge = structuredClone(vp);
    for(const p of [].concat(tamperedChallenge.proof)) {
      p.challenge = 'tampered-challenge';
    }
    // expect the tampered value: only the signature can catch it
    row.tamperedChallengeVerified = (await check(tamperedChallenge, c, {challenge: 'tampered-challenge'})).verified;
    const tamperedHolder = structuredClone(vp);
    tamperedHolder.holder = OTHER_DID;
    row.tamperedHolderVerified = (await check(tamperedHolder, c)).verified;
    if(Array.isArray(vp.proof)) {
      // a proof set: change only the second proof's challenge
      const second = structuredClone(vp);
      second.proof[1].challenge = 'tampered-challenge';
      row.tamperedSecondProofVerified = (await check(second, c)).verified;
    }
  }
  results.push(row);
}
writeFileSync(join(dir, 'js-verify-results.json'), JSON.stringify(results, null, 2) + '\n');
console.log(JSON.stringify(results, null, 2));
