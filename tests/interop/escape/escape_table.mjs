// How the reference JavaScript canonicalizers write each character that N-Quads escapes, in a
// literal and in an IRI. One JSON-LD document per character (inline context, nothing fetched),
// canonicalized the way the @digitalbazaar cryptosuites of one generation do it (safe mode):
//   GEN=rdfc3  jsonld 8.3.3 jsonld.canonize (URDNA2015, rdf-canonize 3.4.0): eddsa-rdfc-2022-cryptosuite
//              1.0.1, ecdsa-rdfc-2019-cryptosuite 1.0.1, jsonld-signatures <= 11.2
//   GEN=rdfc4  jsonld 8.3.3 toRDF, then rdf-canonize 4.0.1 canonize (RDFC-1.0): the cryptosuites 1.1-1.2
//              and jsonld-signatures 11.3-11.5
//   GEN=rdfc5  jsonld 9.0.0 toRDF, then rdf-canonize 5.0.0 canonize (RDFC-1.0): today's cryptosuites 1.3
// Writes tests/interop/escape/js-table-$GEN.json. See README.md for the scratch folders.
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import jsonld from 'jsonld';
import * as rdfCanonize from 'rdf-canonize';

const gen = process.env.GEN;
const repo = process.env.LERWALLET_REPO;
if(!['rdfc3', 'rdfc4', 'rdfc5'].includes(gen) || !repo) {
  throw new Error('usage: GEN=rdfc3|rdfc4|rdfc5 LERWALLET_REPO=/path/to/lerwallet node escape_table.mjs');
}
const ctx = {p: 'https://example.org/vocab#p', q: {'@id': 'https://example.org/vocab#q', '@type': '@id'}};
const hex = c => 'U+' + c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
const cases = [];
const literalChars = [];
for(let n = 0; n <= 0x1f; ++n) {
  literalChars.push(String.fromCharCode(n));
}
literalChars.push('\u007f', '"', '\\', '\u0085', '\u00e9', '\ufffe', '\uffff');
for(const c of literalChars) {
  cases.push({name: `literal ${hex(c)}`, position: 'literal', char: hex(c),
    doc: {'@context': ctx, '@id': 'https://example.org/s', p: `a${c}b`}});
}
const iriChars = [];
for(let n = 0; n <= 0x20; ++n) {
  iriChars.push(String.fromCharCode(n));
}
iriChars.push('<', '>', '"', '{', '}', '|', '^', '`', '\\', '\u007f', '\u00e9');
for(const c of iriChars) {
  cases.push({name: `IRI ${hex(c)}`, position: 'iri', char: hex(c),
    doc: {'@context': ctx, '@id': 'https://example.org/s', q: `https://example.org/a${c}b`}});
}

async function canonize(doc) {
  if(gen === 'rdfc3') {
    return jsonld.canonize(doc, {algorithm: 'URDNA2015', format: 'application/n-quads', safe: true});
  }
  const dataset = await jsonld.toRDF(doc, {safe: true, base: null, rdfDirection: 'i18n-datatype',
    produceGeneralizedRdf: false});
  return rdfCanonize.canonize(dataset, {algorithm: 'RDFC-1.0', format: 'application/n-quads'});
}

const results = [];
for(const c of cases) {
  try {
    results.push({...c, outcome: 'ok', nquads: await canonize(structuredClone(c.doc))});
  } catch(e) {
    results.push({...c, outcome: 'error', message: String(e && e.message) +
      (e && e.details && e.details.event ? ' ' + e.details.event.code : '')});
  }
}
const versions = {};
for(const name of ['jsonld', 'rdf-canonize']) {
  const {createRequire} = await import('node:module');
  const require = createRequire(import.meta.url);
  versions[name] = require(`${name}/package.json`).version;
}
if(gen === 'rdfc3') {
  const {createRequire} = await import('node:module');
  const require = createRequire(import.meta.url);
  versions['rdf-canonize (under jsonld)'] = require('jsonld/node_modules/rdf-canonize/package.json').version;
}
const file = join(repo, 'tests', 'interop', 'escape', `js-table-${gen}.json`);
writeFileSync(file, JSON.stringify({generation: gen, node: process.version, versions, results}, null, 1) + '\n');
console.log('wrote', file, results.filter(r => r.outcome === 'ok').length, 'ok of', results.length);
