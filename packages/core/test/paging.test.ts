import { describe, expect, it } from 'vitest';
import { CloudError, pageWindow } from '../src/index.js';

function refusal(fn: () => unknown): CloudError {
  try {
    fn();
  } catch (error) {
    return error as CloudError;
  }
  throw new Error('expected a refusal');
}

describe('pageWindow (CloudStack paging rules)', () => {
  it('defaults to default.page.size rows from the start', () => {
    expect(pageWindow({}, 500)).toEqual({ offset: 0, limit: 500 });
  });

  it('turns page and pagesize into a window', () => {
    expect(pageWindow({ page: 3, pageSize: 20 }, 500)).toEqual({ offset: 40, limit: 20 });
  });

  it('treats pagesize -1 as unlimited and then refuses a page', () => {
    expect(pageWindow({ pageSize: -1 }, 500)).toEqual({ offset: 0, limit: undefined });
    expect(refusal(() => pageWindow({ pageSize: -1, page: 1 }, 500))).toMatchObject({ code: 431, param: 'page' });
  });

  it('needs page and pagesize together', () => {
    // The exact 4.1 wording: clients (cs) show it as it is.
    expect(refusal(() => pageWindow({ page: 2 }, 500))).toMatchObject({ code: 431, param: 'pagesize', message: '"pagesize" parameter is required when "page" is specified' });
    expect(refusal(() => pageWindow({ pageSize: 2 }, 500))).toMatchObject({ code: 431, param: 'page', message: '"page" parameter is required when "pagesize" is specified' });
  });

  it('refuses a page size above the configured maximum with CloudStack text', () => {
    const error = refusal(() => pageWindow({ page: 1, pageSize: 501 }, 500));
    expect(error).toMatchObject({ code: 431, param: 'pagesize' });
    expect(error.message).toBe("Page size can't exceed max allowed page size value: 500");
  });
});
