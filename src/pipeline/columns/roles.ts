export const METRIC_ROLES = [
  "revenue",
  "units",
  "unitPrice",
  "date",
  "region",
  "category",
  "status",
] as const;
export const EXTRA_ROLES = ["product", "customer", "orderId", "currency"] as const;
export type MetricRole = (typeof METRIC_ROLES)[number];
export type Role = MetricRole | (typeof EXTRA_ROLES)[number];

/** Roles are filled in this order, each from the columns still free. */
export const ROLE_ORDER: Role[] = [
  "revenue",
  "units",
  "unitPrice",
  "date",
  "status",
  "region",
  "category",
  "product",
  "customer",
  "orderId",
  "currency",
];

/** How a column came to play a role: named by its header, read from its values, or suggested by Gemini. */
export type ColumnReason = "header" | "content" | "gemini";
