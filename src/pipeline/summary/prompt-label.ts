const NAME_LIMIT = 60;

/** Names are data from the file: shortened, so a cell cannot smuggle an essay into the prompt. */
export function promptLabel(name: string): string {
  const flat = name.replace(/\s+/g, " ").trim();
  return flat.length > NAME_LIMIT ? `${flat.slice(0, NAME_LIMIT - 1)}…` : flat;
}
