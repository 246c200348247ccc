/** Where a page sits in a listing, reported with every page so a client knows when to stop. */
export interface Paging {
  page: number;
  pageSize: number;
  totalItems: number;
  totalPages: number;
}

export function pageOf<T>(items: readonly T[], page: number, pageSize: number): { items: T[]; paging: Paging } {
  const start = (page - 1) * pageSize;
  return {
    items: items.slice(start, start + pageSize),
    paging: { page, pageSize, totalItems: items.length, totalPages: Math.ceil(items.length / pageSize) },
  };
}

/**
 * A page of a listing shown newest first, taken from the end of an oldest-first one without reversing all of
 * it: a family's listing holds thousands of revisions and a page a few dozen.
 */
export function newestFirstPageOf<T>(oldestFirst: readonly T[], page: number, pageSize: number): { items: T[]; paging: Paging } {
  const total = oldestFirst.length;
  const end = Math.max(0, total - (page - 1) * pageSize);
  return {
    items: oldestFirst.slice(Math.max(0, end - pageSize), end).reverse(),
    paging: { page, pageSize, totalItems: total, totalPages: Math.ceil(total / pageSize) },
  };
}
