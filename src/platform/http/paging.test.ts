import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pageCount, pageNumber, pagination } from './paging.ts';

test('page numbers from the query string are whole and at least 1', () => {
  assert.equal(pageNumber('3'), 3);
  assert.equal(pageNumber('0'), 1);
  assert.equal(pageNumber('-2'), 1);
  assert.equal(pageNumber('2.5'), 1);
  assert.equal(pageNumber(['2', '3']), 1);
  assert.equal(pageNumber(undefined), 1);
});

test('page count is at least one page', () => {
  assert.equal(pageCount(0, 25), 1);
  assert.equal(pageCount(26, 25), 2);
});

test('pagination shows first, last and neighbours with ellipses, linking through hrefFor', () => {
  const result = pagination(5, 9, (n) => `/list?q=x&page=${n}`);
  assert.deepEqual(
    result?.items.map((item) => (item.ellipsis ? '…' : item.current ? `[${item.number}]` : item.number)),
    ['1', '…', '4', '[5]', '6', '…', '9'],
  );
  assert.equal(result?.previous?.href, '/list?q=x&page=4');
  assert.equal(result?.next?.href, '/list?q=x&page=6');
  assert.equal(pagination(1, 1, String), undefined);
});
