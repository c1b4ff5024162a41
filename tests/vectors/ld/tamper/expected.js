// jsonld.js safe-mode outcome for every case in cases.json, with lerwallet's bundled contexts.
// usage (in a scratch folder with `npm install jsonld@8`):
//   NODE_PATH=<scratch>/node_modules node expected.js <repo>/src/lerwallet/ld/contexts cases.json > expected.json
// outcome: "ok" (with nquads), "safe" (jsonld.ValidationError, with the event code), "error".
const fs = require('fs'); const path = require('path');
const jsonld = require('jsonld');
const dir = process.argv[2];
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json')));
const documentLoader = async url => {
  const e = manifest[url];
  if (!e) throw new Error('unknown context: ' + url);
  return {contextUrl: null, documentUrl: url, document: JSON.parse(fs.readFileSync(path.join(dir, e.file)))};
};
(async () => {
  const {base, cases} = JSON.parse(fs.readFileSync(process.argv[3]));
  const out = {jsonld: require('jsonld/package.json').version, cases: {}};
  for (const [name, doc] of Object.entries({base, ...cases})) {
    try {
      const nquads = await jsonld.canonize(doc, {algorithm: 'URDNA2015', format: 'application/n-quads', safe: true, documentLoader});
      out.cases[name] = {outcome: 'ok', nquads};
    } catch (e) {
      const event = e && e.details && e.details.event;
      const safe = e && (e.name === 'jsonld.ValidationError' || event);
      out.cases[name] = {outcome: safe ? 'safe' : 'error',
        message: String(e.message).split('\n')[0] + (event ? ' (' + event.code + ')' : (e.details && e.details.code ? ' (' + e.details.code + ')' : ''))};
    }
  }
  console.log(JSON.stringify(out, null, 1));
})();
