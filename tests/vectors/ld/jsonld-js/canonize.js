// Canonicalize JSON-LD files with jsonld.js (safe mode) using lerwallet's bundled contexts.
// usage: node gen.js CONTEXTS_DIR FILE... ; prints one JSON line per file:
// {"file":..., "outcome":"ok"|"safe"|"error", "nquads"|"message":...}
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
  for (const f of process.argv.slice(3)) {
    const doc = JSON.parse(fs.readFileSync(f));
    try {
      const nquads = await jsonld.canonize(doc, {algorithm: 'URDNA2015', format: 'application/n-quads', safe: true, documentLoader});
      console.log(JSON.stringify({file: f, outcome: 'ok', nquads}));
    } catch (e) {
      const safe = e && (e.name === 'jsonld.ValidationError' || (e.details && e.details.event));
      console.log(JSON.stringify({file: f, outcome: safe ? 'safe' : 'error', message: String(e.message) + (e.details && e.details.event ? ' ' + e.details.event.code : '')}));
    }
  }
})();
