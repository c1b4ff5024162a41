// Encode the presentations in inputs/ as DCC QR text with the reference JavaScript encoders,
// and decode each back with the same library, recording everything in vpqr-cases.json.
//   - @digitalcredentials/vpqr 2.x (what the DCC Learner Credential Wallet uses): "VP1-B" +
//     base32 of CBOR-LD in the legacy format (tag 0x0501, @digitalcredentials/cborld 4.x);
//   - @digitalbazaar/vpqr 6.x: "VP1-R" + base45 of CBOR-LD 1.0 (tag 0xcb1d, registry entry 1),
//     and the same with base32 ("VP1-B").
// An encoder that throws is recorded as such ({error}): that is the finding, not a failure.
// Offline: contexts from lerwallet's bundle (src/lerwallet/ld/contexts), nothing fetched.
// Run in a scratch folder with the packages installed (see README.md):
//   LERWALLET_REPO=/path/to/lerwallet node make_vpqr.mjs
import {readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import * as lcw from '@digitalcredentials/vpqr';
import * as vpqr from '@digitalbazaar/vpqr';

const repo = process.env.LERWALLET_REPO;
const here = join(repo, 'tests', 'interop', 'vpqr');
const contextsDir = join(repo, 'src', 'lerwallet', 'ld', 'contexts');
const manifest = JSON.parse(readFileSync(join(contextsDir, 'manifest.json'), 'utf8'));

async function documentLoader(url) {
  const entry = manifest[url];
  if(!entry) {
    throw new Error(`not bundled (offline loader): ${url}`);
  }
  const document = JSON.parse(readFileSync(join(contextsDir, entry.file), 'utf8'));
  return {contextUrl: null, documentUrl: url, document};
}

const encoders = {
  'lcw-vpqr2-base32': {
    encode: vp => lcw.toQrCode({vp, documentLoader}),
    decode: text => lcw.fromQrCode({text, documentLoader})
  },
  'vpqr6-cborld1-base45': {
    encode: vp => vpqr.toQrCode({vp, documentLoader, registryEntryId: 1}),
    decode: text => vpqr.fromQrCode({text, documentLoader})
  },
  'vpqr6-cborld1-base32': {
    encode: vp => vpqr.toQrCode({vp, documentLoader, registryEntryId: 1, qrMultibaseEncoding: 'B'}),
    decode: text => vpqr.fromQrCode({text, documentLoader})
  },
  'vpqr6-legacy-base45': {
    encode: vp => vpqr.toQrCode({vp, documentLoader, format: 'legacy-singleton'}),
    decode: text => vpqr.fromQrCode({text, documentLoader})
  }
};

const cases = {};
for(const file of readdirSync(join(here, 'inputs')).sort()) {
  const name = file.replace(/\.json$/, '');
  const vp = JSON.parse(readFileSync(join(here, 'inputs', file), 'utf8'));
  cases[name] = {};
  for(const [label, {encode, decode}] of Object.entries(encoders)) {
    try {
      const {payload, version, rawCborldBytes} = await encode(vp);
      const {vp: decoded} = await decode(payload);
      cases[name][label] = {
        payload, qrVersion: version, cborldHex: Buffer.from(rawCborldBytes).toString('hex'), decoded
      };
    } catch(e) {
      cases[name][label] = {error: `${e.code || e.name}: ${e.message}`};
    }
    console.log(name, label, cases[name][label].error || `ok, QR version ${cases[name][label].qrVersion}`);
  }
}
writeFileSync(join(here, 'vpqr-cases.json'), JSON.stringify(cases, null, 2) + '\n');
