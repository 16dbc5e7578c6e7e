// The kits' web editor: Decap CMS, taught that a kit is a folder (kit.yml and its four parts) edited as one entry.
//
// Decap CMS maps one entry to one file. Here the entry of a kit is its kit.yml; a backend wrapper adds the four
// Markdown parts to what is read (a "bundle": kit.yml's text and each part's text) and writes every file of the
// bundle back in one commit, so that a new kit is created whole and an edit lands as one pull request. The
// "kit" format turns a bundle into the form's fields and back: kit.yml is rewritten through the YAML document it
// was read from, so that an unchanged kit is written back byte for byte and an edited one keeps its comments,
// its key order and the style of every value not edited.
import * as YAML from "./yaml/index.js";
import { kitId } from "./kit-id.js";
import { kitText, plain } from "./kit-yaml.js";

const FORMAT = await (await fetch("format.json", { cache: "no-store" })).json();
const CONFIG = YAML.parse(await (await fetch("config.yml", { cache: "no-store" })).text());
const CMS = window.CMS;
const SOURCE = FORMAT.source_field; // hidden field: kit.yml's text as read, the base of every rewrite
const BUNDLE = "kits-cms bundle v1";
const MISSING = "(absent)"; // id of a kit.yml not changed on an unpublished branch: read it from the main branch

function folderOf(kitPath) {
  return kitPath.slice(0, kitPath.length - FORMAT.kit_file.length);
}

function isKitPath(path) {
  return path === FORMAT.kit_file || path.endsWith("/" + FORMAT.kit_file);
}

function partPath(kitPath, part) {
  return folderOf(kitPath) + part + ".md";
}

function partOf(path) {
  const name = path.split("/").pop();
  return FORMAT.parts.find((p) => name === p + ".md") || null;
}

function bundleText(kit, parts) {
  return JSON.stringify({ format: BUNDLE, kit, parts });
}

function readBundle(raw) {
  if (typeof raw === "string" && raw.startsWith("{")) {
    try {
      const b = JSON.parse(raw);
      if (b && b.format === BUNDLE) return b;
    } catch (e) {
      /* plain kit.yml text */
    }
  }
  return { format: BUNDLE, kit: raw == null ? null : String(raw), parts: {} };
}

async function readOrNull(read) {
  try {
    const text = await read();
    return typeof text === "string" ? text : null;
  } catch (e) {
    return null; // a part that does not exist yet: the check says so, the form shows an empty part
  }
}

// The backend of the configuration (github, proxy…), wrapped: kits are read and written as bundles.
function kitsBackend(innerName) {
  return class {
    constructor(config, options) {
      const inner = CMS.getBackend(innerName).init(config, options);
      const changedParts = new Map(); // unpublished entry key -> {part: {path, id}}
      const withParts = async (entry, read) => {
        if (!entry || !entry.file || !isKitPath(entry.file.path) || entry.data == null) return entry;
        const parts = {};
        await Promise.all(FORMAT.parts.map(async (p) => {
          parts[p] = await readOrNull(() => read(partPath(entry.file.path, p)));
        }));
        return { ...entry, data: bundleText(entry.data, parts) };
      };
      const fromMain = async (path) => (await inner.getEntry(path)).data;
      const wrapped = {
        // Lists show titles only: parts are read when a kit is opened (getEntry), not for every kit of a list.
        async getEntry(path) {
          return withParts(await inner.getEntry(path), fromMain);
        },
        async persistEntry(entry, opts) {
          const files = [];
          for (const file of entry.dataFiles) {
            if (!isKitPath(file.path)) {
              files.push(file);
              continue;
            }
            const b = readBundle(file.raw);
            files.push({ ...file, raw: b.kit });
            for (const p of FORMAT.parts) {
              // A part the form never loaded is left as it is on disk; an optional part left blank is not created.
              if (typeof b.parts[p] === "string" && b.parts[p].trim()) files.push({ path: partPath(file.path, p), slug: file.slug, raw: b.parts[p] });
            }
          }
          return inner.persistEntry({ ...entry, dataFiles: files }, opts);
        },
        async unpublishedEntry(args) {
          const result = await inner.unpublishedEntry(args);
          if (!result || !Array.isArray(result.diffs)) return result;
          // The parts changed on the branch belong to the kit's entry, not to its media files.
          const parts = {};
          const kits = [];
          const others = [];
          for (const diff of result.diffs) {
            if (partOf(diff.path) && !diff.path.includes("/fichiers/")) parts[partOf(diff.path)] = diff;
            else {
              if (isKitPath(diff.path)) kits.push(diff);
              others.push(diff);
            }
          }
          const anyPart = Object.values(parts)[0];
          if (anyPart && !kits.length) {
            // Only parts changed: the entry still needs its kit.yml, read from the main branch.
            const kitPath = anyPart.path.slice(0, anyPart.path.lastIndexOf("/") + 1) + FORMAT.kit_file;
            others.push({ id: MISSING, path: kitPath, newFile: false, status: "unchanged" });
          }
          changedParts.set(`${result.collection || args.collection}/${result.slug || args.slug}`, parts);
          return { ...result, diffs: others };
        },
        async unpublishedEntryDataFile(collection, slug, path, id) {
          const readKit = () => (id === MISSING ? fromMain(path) : inner.unpublishedEntryDataFile(collection, slug, path, id));
          const text = await readKit();
          if (!isKitPath(path)) return text;
          const changed = changedParts.get(`${collection}/${slug}`) || {};
          const parts = {};
          await Promise.all(FORMAT.parts.map(async (p) => {
            const diff = changed[p];
            parts[p] = await readOrNull(() => (diff ? inner.unpublishedEntryDataFile(collection, slug, diff.path, diff.id)
              : fromMain(partPath(path, p))));
          }));
          return bundleText(text, parts);
        },
      };
      return new Proxy(inner, {
        get(target, prop) {
          if (Object.prototype.hasOwnProperty.call(wrapped, prop)) return wrapped[prop];
          const value = target[prop];
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    }
  };
}

CMS.registerCustomFormat("kit", "yml", {
  fromFile(raw) {
    const b = readBundle(raw);
    // YAML 1.2's core schema keeps dates as text (AAAA-MM-JJ), as the date field stores them.
    const data = b.kit ? YAML.parse(b.kit) || {} : {};
    data[SOURCE] = b.kit || "";
    for (const p of FORMAT.parts) if (typeof b.parts[p] === "string") data[p] = b.parts[p];
    return data;
  },
  toFile(data) {
    const parts = {};
    for (const p of FORMAT.parts) if (typeof data[p] === "string") parts[p] = data[p];
    return bundleText(kitText(data, data[SOURCE] || "", FORMAT), parts);
  },
});

// A choice among the registries' ids that also refuses, in French, a value typed by hand in kit.yml.
const Select = CMS.getWidget("select");
class ChoiceControl extends Select.control {
  isValid = () => {
    const { field } = this.props;
    const allowed = plain(field.get("options")).map((o) => (typeof o === "string" ? o : o.value));
    let values = plain(this.props.value);
    values = values == null ? [] : Array.isArray(values) ? values : [values];
    const unknown = values.filter((v) => !allowed.includes(v));
    if (unknown.length) {
      const what = field.get("unknown_message") || "n'est pas une valeur possible.";
      return { error: { type: "CUSTOM", message: `« ${unknown[0]} » ${what} Valeurs possibles : ${allowed.join(", ")}.` } };
    }
    return super.isValid ? super.isValid() : { error: false };
  };
}
CMS.registerWidget("choix", ChoiceControl, Select.preview);

// A new kit's folder is named from its title as `make new` names it (accents and apostrophes give hyphens).
CMS.registerEventListener({
  name: "preSave",
  handler: ({ entry }) => {
    const data = entry.get("data");
    return entry.get("newRecord") ? data.set(FORMAT.id_field, kitId(data.get("titre") || "")) : data;
  },
});

async function proxyAnswers(url) {
  try {
    const reply = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ action: "info" }) });
    return reply.ok;
  } catch (e) {
    return false;
  }
}

function explain(title, text) {
  const main = document.createElement("main");
  main.setAttribute("role", "alert");
  main.style.cssText = "max-width:40rem;margin:3rem auto;font:1.1rem/1.5 system-ui,sans-serif;padding:0 1rem";
  const h = document.createElement("h1");
  h.textContent = title;
  const p = document.createElement("p");
  p.textContent = text;
  main.append(h, p);
  document.body.append(main);
}

for (const name of FORMAT.wrapped_backends) CMS.registerBackend(`kits-${name}`, kitsBackend(name));
if (CONFIG.backend.name === "kits-proxy" && !(await proxyAnswers(CONFIG.backend.proxy_url))) {
  explain("Le serveur local de l'éditeur ne répond pas",
    "L'éditeur écrit dans vos fichiers par un petit serveur que lance la commande « make editeur ». "
    + "Lancez-la dans un terminal, à la racine du dépôt, puis rechargez cette page.");
} else {
  CMS.init({ config: { ...CONFIG, load_config_file: false } });
}
