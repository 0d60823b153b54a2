import type { Vocabulary } from "../concepts.js";
import { chinese, japanese, korean } from "./cjk.js";
import { german } from "./de.js";
import { english } from "./en.js";
import { spanish } from "./es.js";
import { french } from "./fr.js";
import { indonesian } from "./id.js";
import { italian } from "./it.js";
import { dutch } from "./nl.js";
import { nordic } from "./nordic.js";
import { polish } from "./pl.js";
import { portuguese } from "./pt.js";
import { turkish } from "./tr.js";

export const VOCABULARIES: readonly Vocabulary[] = [
  english,
  portuguese,
  spanish,
  french,
  german,
  italian,
  dutch,
  polish,
  turkish,
  nordic,
  indonesian,
  japanese,
  chinese,
  korean,
];
