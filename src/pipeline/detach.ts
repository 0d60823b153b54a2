/** V8's SlicedString::kMinLength: a slice shorter than this is a copy, a longer one a view. */
export const SHORTEST_VIEW = 13;

/**
 * A copy of `s` that does not share memory with the text chunk it was sliced from. V8 keeps a whole
 * parent string alive for every slice of it, so a Map key taken straight from a cell would pin every
 * chunk that introduced a new date or group name.
 */
export function detach(s: string): string {
  // JSON round-trips every string exactly (lone surrogates included) into fresh memory.
  return s.length < SHORTEST_VIEW ? s : (JSON.parse(JSON.stringify(s)) as string);
}
