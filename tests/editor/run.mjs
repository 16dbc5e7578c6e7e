// Runs the editor's pure modules (as published in a site) on cases given as JSON on stdin; prints JSON results.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [folder] = process.argv.slice(2);
const load = (name) => import(pathToFileURL(`${folder}/${name}`).href);
const { kitText } = await load("kit-yaml.js");
const { kitId } = await load("kit-id.js");
const YAML = await load("yaml/index.js");
const { format, cases } = JSON.parse(readFileSync(0, "utf8"));
const out = cases.map((c) => {
  if (c.kind === "id") return kitId(c.title);
  // The form's data: kit.yml read as the editor reads it (YAML 1.2 core: dates stay text), then edited.
  const data = c.source ? YAML.parse(c.source) || {} : {};
  for (const [key, value] of Object.entries(c.set || {})) data[key] = value;
  for (const key of c.unset || []) delete data[key];
  return kitText(data, c.source || "", format);
});
process.stdout.write(JSON.stringify(out));
