/**
 * Letters that PostgreSQL's unaccent dictionary (its unaccent.rules, used by catalogue_unaccent) folds
 * but Unicode decomposition (NFKD) does not: ß → ss, œ → oe, ø → o, ɛ → e, ɖ → d, ı → i… Generated from
 * the rules of PostgreSQL 15 (letters that become letters; what NFKD already yields is left out, and ℌ, which PostgreSQL 15 folds to x and 18 to h), so that the
 * TypeScript fold finds in a text the same words the database matched: the words to highlight, the
 * prefixes suggest looks up. Keyed by what a letter becomes, lower case.
 */
const FOLDED_TO: Record<string, string> = {
  "a": "Ⱥᴀᶏẚⱥ",
  "aa": "Ꜳꜳ",
  "ae": "Ææᴁ",
  "ao": "Ꜵꜵ",
  "au": "Ꜷꜷ",
  "av": "ꜸꜹꜺꜻ",
  "ay": "Ꜽꜽ",
  "b": "ƀƁƂƃɃɓʙᴃᵬᶀ",
  "c": "ƇƈȻȼɕᴄꞒꞓ",
  "d": "ÐðĐđƉƊƋƌȡɖɗᴅᴆᵭᶁᶑꝱꝹꝺ",
  "db": "ȸ",
  "dz": "ʣʥ",
  "e": "ƐɆɇɛᴇᶒᶓⱸ",
  "f": "ƑƒᵮᶂꜰꝻꝼ",
  "g": "ƓǤǥɠɡɢʛᶃꞠꞡ",
  "h": "ĦħɦɧʜⱧⱨꞪ",
  "hv": "ƕ",
  "i": "ıƖƗɨɪᵻᶖ",
  "j": "ȷɈɉɟʝᴊ",
  "k": "ƘƙᴋᶄⱩⱪꝀꝁꝂꝃꝄꝅꞢꞣ",
  "l": "ĿŀŁłƚȴȽɫɬɭʟᴌᶅⱠⱡⱢꝆꝇꝈꝉꝲ",
  "ll": "Ỻỻ",
  "ls": "ʪ",
  "lz": "ʫ",
  "m": "ɱᴍᵯᶆⱮꝳ",
  "n": "ŊŋƝƞȵɲɳɴᵰᶇꝴꞐꞑꞤꞥ",
  "o": "ØøᴏⱺꝊꝋꝌꝍ",
  "oe": "Œœɶ",
  "oi": "Ƣƣ",
  "oo": "Ꝏꝏ",
  "p": "ƤƥᴘᵱᵽᶈⱣꝐꝑꝒꝓꝔꝕ",
  "q": "ĸʠꝖꝗꝘꝙ",
  "qp": "ȹ",
  "r": "ɌɍɼɽɾʀᵲᵳᶉⱤꝵꝶꞦꞧ",
  "s": "ȿʂᵴᶊẜẝⱾꜱꞨꞩ",
  "ss": "ßẞ",
  "t": "ŦŧƫƬƭƮȶȾʈᴛᵵⱦꝷꞆꞇ",
  "th": "ÞþᵺꝤꝥꝦꝧ",
  "ts": "ʦ",
  "u": "Ʉʉᴜᵾᶙ",
  "ue": "ᵫ",
  "v": "ƲʋᴠᶌỼỽⱱⱴꝞꝟ",
  "vy": "Ꝡꝡ",
  "w": "ᴡⱲⱳ",
  "x": "ᶍ",
  "y": "ƳƴɎɏʏỾỿ",
  "z": "ƵƶȤȥɀʐʑᴢᵶᶎⱫⱬⱿ",
};

/** Each letter NFKD leaves alone, with what unaccent makes of it (lower case). */
export const UNACCENT_LETTERS: ReadonlyMap<string, string> = new Map(
  Object.entries(FOLDED_TO).flatMap(([to, letters]) => [...letters].map((letter) => [letter, to] as [string, string])),
);
