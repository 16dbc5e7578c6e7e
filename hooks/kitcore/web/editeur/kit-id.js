// The folder name of a new kit from its title, as `make new` gives it (kitcore.scaffold.kit_id; a test compares).
export const MAX_ID_LENGTH = 60;

export function slugify(text) {
  const plain = String(text).replace(/œ/g, "oe").replace(/Œ/g, "Oe").replace(/æ/g, "ae").normalize("NFKD")
    .replace(/\p{M}/gu, "").toLowerCase();
  return plain.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

export function kitId(title) {
  let slug = slugify(String(title).split(/\s+/).filter(Boolean).join(" "));
  if (slug.length > MAX_ID_LENGTH) {
    // Cut on a word boundary: a long title gives a short but readable folder name.
    const cut = slug.slice(0, MAX_ID_LENGTH);
    slug = cut.includes("-") ? cut.slice(0, cut.lastIndexOf("-")) : cut;
  }
  return slug;
}
