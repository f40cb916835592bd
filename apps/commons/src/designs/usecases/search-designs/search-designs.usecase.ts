import { Inject, Injectable } from '@nestjs/common';
import type { DesignSearchPage } from '#libs/contracts/src/commons/views.js';
import { badRequest } from '#libs/contracts/src/index.js';
import { designSummary } from '../../design-views.js';
import { DESIGNS_REPOSITORY, type DesignsRepository } from '../../designs.repository.js';
import { encodeCursor, parseSearch, type SearchInput } from '../../search-query.js';

@Injectable()
export class SearchDesignsUseCase {
  constructor(@Inject(DESIGNS_REPOSITORY) private readonly designs: DesignsRepository) {}

  async execute(input: SearchInput): Promise<DesignSearchPage> {
    const parsed = parseSearch(input);
    if (!parsed.ok) {
      throw badRequest(parsed.errors.length === 1 ? parsed.errors[0]!.message : `${parsed.errors.length} parameters are not valid`, parsed.errors);
    }
    const query = parsed.query;
    const rows = await this.designs.search(query);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > query.limit && last
        ? encodeCursor(
            query.fingerprint,
            query.text
              ? { order: 'rank', rank: last.rankText ?? '0', id: last.id }
              : { order: 'recent', createdAt: last.createdAtKey, id: last.id },
          )
        : null;
    return {
      items: page.map((r) => designSummary(r, r.rankText === null ? undefined : Number(r.rankText))),
      nextCursor,
    };
  }
}
