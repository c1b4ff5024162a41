// Shared by the interop scripts: an offline documentLoader serving lerwallet's bundled
// contexts (src/lerwallet/ld/contexts, via manifest.json) and did:key documents.
// Runs in a scratch folder with the npm packages installed (see README.md).
import {readFileSync} from 'node:fs';
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';
import * as DidKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = process.env.LERWALLET_REPO || join(here, '..', '..');
const contextsDir = join(repo, 'src', 'lerwallet', 'ld', 'contexts');
const manifest = JSON.parse(readFileSync(join(contextsDir, 'manifest.json'), 'utf8'));

const didKeyDriver = DidKey.driver();
didKeyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
didKeyDriver.use({multibaseMultikeyHeader: 'zDna', fromMultibase: EcdsaMultikey.from});

export async function documentLoader(url) {
  if(url.startsWith('did:key:')) {
    const document = await didKeyDriver.get({url});
    return {contextUrl: null, documentUrl: url, document};
  }
  const entry = manifest[url];
  if(!entry) {
    throw new Error(`not bundled (offline loader): ${url}`);
  }
  const document = JSON.parse(readFileSync(join(contextsDir, entry.file), 'utf8'));
  return {contextUrl: null, documentUrl: url, document};
}
