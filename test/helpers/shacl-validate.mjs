// Validates RDF data against SHACL shapes with rdf-validate-shacl (an ES module, so it runs in its own
// node process rather than inside Jest). Usage: node shacl-validate.mjs <data.ttl|.nq> <shapes.ttl>...
// Prints { conforms, results: [{ severity, focus, path, message, shape }] } as JSON.
import { readFileSync } from 'node:fs';
import { Parser } from 'n3';
import factory from '@rdfjs/dataset';
import SHACLValidator from 'rdf-validate-shacl';

function load(file) {
  const format = file.endsWith('.nq') ? 'application/n-quads' : 'text/turtle';
  const dataset = factory.dataset();
  for (const q of new Parser({ format }).parse(readFileSync(file, 'utf8'))) dataset.add(q);
  return dataset;
}

const [dataFile, ...shapeFiles] = process.argv.slice(2);
const shapes = factory.dataset();
for (const f of shapeFiles) for (const q of load(f)) shapes.add(q);
const validator = new SHACLValidator(shapes);
const report = await validator.validate(load(dataFile));
const results = report.results.map((r) => ({
  severity: r.severity?.value?.split('#').pop(),
  focus: r.focusNode?.value,
  path: r.path?.value,
  message: r.message.map((m) => m.value).join(' '),
  shape: r.sourceShape?.value,
}));
process.stdout.write(JSON.stringify({ conforms: report.conforms, results }));
