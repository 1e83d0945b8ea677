/** Paging for list pages: reading ?page= safely, and the GOV.UK pagination component's parameters. */

export function pageNumber(value: unknown): number {
  const page = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : 1;
  return Math.max(1, page);
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/**
 * First, last and the pages either side of this one, with ellipses between;
 * hrefFor builds each page's link so that the list's filters survive paging.
 */
export function pagination(page: number, pages: number, hrefFor: (page: number) => string) {
  if (pages <= 1) return undefined;
  const items: Array<{ number?: string; href?: string; current?: boolean; ellipsis?: boolean }> = [];
  for (let n = 1; n <= pages; n += 1) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 1) {
      items.push({ number: String(n), href: hrefFor(n), current: n === page });
    } else if (!items.at(-1)?.ellipsis) {
      items.push({ ellipsis: true });
    }
  }
  return {
    items,
    previous: page > 1 ? { href: hrefFor(page - 1) } : undefined,
    next: page < pages ? { href: hrefFor(page + 1) } : undefined,
  };
}
