/** Where a page sits in a listing, reported with every page so a client knows when to stop. */
export interface Paging {
  page: number;
  pageSize: number;
  /**
   * null when the listing has not been counted to its end: an environment's versions are found by reading
   * revisions' owners newest first, only as far as the page needs (views/versions.ts). A null count always
   * means at least one more page follows.
   */
  totalItems: number | null;
  totalPages: number | null;
}

export function pagingOf(page: number, pageSize: number, totalItems: number | null): Paging {
  return { page, pageSize, totalItems, totalPages: totalItems === null ? null : Math.ceil(totalItems / pageSize) };
}

export function pageOf<T>(items: readonly T[], page: number, pageSize: number): { items: T[]; paging: Paging } {
  const start = (page - 1) * pageSize;
  return { items: items.slice(start, start + pageSize), paging: pagingOf(page, pageSize, items.length) };
}

/**
 * A page of a listing shown newest first, taken from the end of an oldest-first one without reversing all of
 * it: a family's listing holds thousands of revisions and a page a few dozen.
 */
export function newestFirstPageOf<T>(oldestFirst: readonly T[], page: number, pageSize: number): { items: T[]; paging: Paging } {
  const total = oldestFirst.length;
  const end = Math.max(0, total - (page - 1) * pageSize);
  return { items: oldestFirst.slice(Math.max(0, end - pageSize), end).reverse(), paging: pagingOf(page, pageSize, total) };
}
