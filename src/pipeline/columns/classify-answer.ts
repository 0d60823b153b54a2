import { z } from "zod";
import type { ColumnAnswer } from "./classify-prompt.js";
import { ROLE_ORDER, type Role } from "./roles.js";

// Apart from classify-prompt.ts so that an offline run, which never reads an answer, never loads zod
// (about 0.1 s of start-up; test/cli/startup.test.ts).

/**
 * The classifier's answer, or null when it is not exactly what was asked: JSON, an object with only
 * the known roles, each a column index that exists or null, and no column given two roles. Anything
 * else (prose, extra keys, a column out of range) discards the whole answer: a model that got the
 * format wrong may have got the content wrong too.
 */
export function parseColumnAnswer(text: string, columnCount: number): ColumnAnswer | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const column = z
    .number()
    .int()
    .min(0)
    .max(columnCount - 1)
    .nullable();
  const shape = Object.fromEntries(ROLE_ORDER.map((r) => [r, column.optional()])) as Record<
    Role,
    z.ZodOptional<typeof column>
  >;
  const parsed = z.strictObject(shape).safeParse(json);
  if (!parsed.success) return null;
  const answer: ColumnAnswer = {};
  const used = new Set<number>();
  for (const role of ROLE_ORDER) {
    const index = parsed.data[role];
    if (index === null || index === undefined) continue;
    if (used.has(index)) return null;
    used.add(index);
    answer[role] = index;
  }
  return answer;
}
