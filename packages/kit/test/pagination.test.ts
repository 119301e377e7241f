import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCursor, encodeCursor, pageOf } from '../src/pagination.ts';
import { AppError } from '../src/errors.ts';

const digits = (position: string) => (/^\d+$/.test(position) ? Number(position) : undefined);

describe('cursor pages', () => {
  it('reads back the position a cursor was made from', () => {
    assert.equal(decodeCursor(encodeCursor(42), digits), 42);
  });

  it('refuses a cursor the list never gave out with a 400 naming the cursor', () => {
    assert.throws(
      () => decodeCursor(encodeCursor('not-a-number'), digits),
      (error: unknown) => error instanceof AppError && error.status === 400 && error.errors?.[0]?.path === 'querystring/cursor',
    );
  });

  it('serves limit rows and a cursor only when a further row exists', () => {
    const rows = [{ seq: 1 }, { seq: 2 }, { seq: 3 }];
    const first = pageOf(rows, 2, (row) => row.seq);
    assert.deepEqual(first.page, [{ seq: 1 }, { seq: 2 }]);
    assert.equal(decodeCursor(first.nextCursor!, digits), 2);
    assert.deepEqual(pageOf(rows, 3, (row) => row.seq), { page: rows, nextCursor: null });
  });
});
