// kit.yml written back from the editor's form: unchanged, the file as it was; changed, only the edited keys.
//
// Every key that was not edited keeps its bytes (comments, folded summaries, list style): edits are spliced into
// the original text at the places the YAML parser reports. New text is written for YAML 1.1, as `make check`
// (PyYAML) reads it: a value such as `No`, `on` or `1:20` is quoted, where YAML 1.2 would leave it plain.
import * as YAML from "./yaml/index.js";

// YAML 1.1 (PyYAML, `make check`) reads these plain scalars as booleans, nulls, numbers or dates: quote them.
const YAML11_SPECIAL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+][0-9]+)?)|\.(?:inf|Inf|INF|nan|NaN|NAN)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?)$/;

export function plain(value) {
  // Decap keeps lists and objects as Immutable collections; compare and write plain values.
  if (value && typeof value.toJS === "function") return value.toJS();
  return value;
}

function isEmpty(value) {
  value = plain(value);
  return value === undefined || value === null || (typeof value === "string" && !value.trim()) || (Array.isArray(value) && value.length === 0)
    || (typeof value === "object" && !Array.isArray(value) && Object.values(value).every(isEmpty));
}

function clean(value) {
  value = plain(value);
  if (Array.isArray(value)) return value.map(clean).filter((v) => !isEmpty(v));
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) if (!isEmpty(v)) out[k] = clean(v);
    return out;
  }
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  // `make check` ignores the spaces and line breaks around a text (a folded `>` summary ends with one; the
  // form's text box drops it): they do not make a change.
  if (typeof value === "string") return value.trim();
  return value;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function pairText(key, value, previous, FORMAT) {
  // One `key: value` block, rendered alone, in the style the value had (a folded `>` summary stays folded).
  const doc = new YAML.Document({});
  const made = doc.createNode(value);
  YAML.visit(made, {
    Scalar(_, scalar) {
      if (typeof scalar.value === "string" && YAML11_SPECIAL.test(scalar.value) && !FORMAT.dates.includes(key)) {
        scalar.type = "QUOTE_DOUBLE";
      }
    },
  });
  let folded = false;
  if (YAML.isScalar(made) && typeof value === "string" && made.type !== "QUOTE_DOUBLE") {
    const style = previous && YAML.isScalar(previous) ? previous.type : FORMAT.block_fields.includes(key) ? "BLOCK_FOLDED" : null;
    if (style === "BLOCK_FOLDED" && !value.includes("\n")) {
      made.type = style;
      folded = true;
    }
  }
  doc.contents.items.push(doc.createPair(key, made));
  let text = doc.toString({ lineWidth: folded ? 100 : 0, indentSeq: true });
  if (folded) text = text.replace(/^([^:]+): >-\n/, "$1: >\n"); // as written by hand: no chomping indicator
  return text;
}

function lineEnd(text, at) {
  const next = text.indexOf("\n", at);
  return next === -1 ? text.length : next + 1;
}

export function kitText(data, source, FORMAT) {
  const values = {};
  for (const key of FORMAT.fields) if (!isEmpty(data[key])) values[key] = clean(data[key]);
  if (!source) {
    // A new kit: the schema comment, then every key in the format's order.
    return `#${FORMAT.header}\n` + FORMAT.fields.filter((k) => k in values).map((k) => pairText(k, values[k], null, FORMAT)).join("");
  }
  const doc = YAML.parseDocument(source);
  const before = doc.toJS() || {};
  const known = {};
  for (const key of Object.keys(before)) if (FORMAT.fields.includes(key)) known[key] = clean(before[key]);
  if (Object.keys(before).every((k) => FORMAT.fields.includes(k)) && same(known, values)) {
    return source; // unchanged: the file as it was, byte for byte
  }
  if (!YAML.isMap(doc.contents)) return kitText(data, "", FORMAT);
  // Edits are spliced into the text, from the end backwards: every byte of an unchanged key stays as it was.
  const pairs = doc.contents.items.map((pair) => ({ key: String(pair.key), pair }));
  const edits = [];
  let text = source.endsWith("\n") ? source : source + "\n";
  for (const key of FORMAT.fields) {
    const found = pairs.find((p) => p.key === key);
    if (found && key in values && same(known[key], values[key])) continue;
    if (!found && !(key in values)) continue;
    if (found) {
      const start = found.pair.key.range[0];
      const value = found.pair.value;
      const end = lineEnd(text, value ? value.range[1] - 1 : found.pair.key.range[1]);
      edits.push([start, end, key in values ? pairText(key, values[key], value, FORMAT) : ""]);
    } else {
      // A new key goes where the format puts it: before the first present key that comes after it.
      const order = FORMAT.fields.indexOf(key);
      const next = pairs.find((p) => FORMAT.fields.indexOf(p.key) > order);
      const at = next ? next.pair.key.range[0] : text.length;
      edits.push([at, at, pairText(key, values[key], null, FORMAT)]);
    }
  }
  edits.sort((x, y) => y[0] - x[0]);
  for (const [start, end, replacement] of edits) text = text.slice(0, start) + replacement + text.slice(end);
  return text;
}

