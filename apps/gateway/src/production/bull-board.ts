import { Inject, Injectable, type NestMiddleware, type OnApplicationShutdown } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { JwtService } from '@nestjs/jwt';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config/src/index.js';
import { DomainError, forbidden, PROBLEM_CONTENT_TYPE, QUEUES, unauthorized } from '#libs/contracts/src/index.js';
import { bullPrefix, createRedis } from '#libs/outbox/src/index.js';

type BoardServer = Parameters<typeof createBullBoard>[0]['serverAdapter'];

export const BULL_BOARD_PATH = '/admin/queues';
const COOKIE = 'cosmolocal_board';
const FIXED_QUEUES = [QUEUES.allocations, QUEUES.buildReports, QUEUES.reservations, QUEUES.roundCloses];
/** How often the list of queues (one per fab unit that ever had work) is read again from Redis. */
const DISCOVER_EVERY_MS = 10_000;

/**
 * Bull Board over the deployment's BullMQ queues, built on first use: the fixed queues of
 * libs/contracts and every fab unit queue found in Redis (`<prefix>:<queue>:meta`), refreshed
 * every 10 s while someone looks. Reading is all it is for: the rows in PostgreSQL are the
 * truth, and the outbox relay puts back whatever is lost here.
 */
@Injectable()
export class BullBoard implements OnApplicationShutdown {
  private redis: Redis | null = null;
  private router: ((req: Request, res: Response, next: NextFunction) => void) | null = null;
  private board: ReturnType<typeof createBullBoard> | null = null;
  private readonly queues = new Map<string, Queue>();
  private discoveredAt = 0;
  private discovering: Promise<void> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async handler(): Promise<(req: Request, res: Response, next: NextFunction) => void> {
    if (!this.router) {
      this.redis = createRedis(this.config.redisUrl, { connectionName: 'bull-board' });
      this.redis.on('error', () => undefined);
      const server = new ExpressAdapter();
      server.setBasePath(BULL_BOARD_PATH);
      // @bull-board/express carries its own copy of @bull-board/api (one patch version apart): same shape, other declarations.
      this.board = createBullBoard({
        queues: [],
        serverAdapter: server as unknown as BoardServer,
        options: { uiConfig: { boardTitle: 'Cosmolocal queues' } },
      });
      for (const name of FIXED_QUEUES) this.add(name);
      this.router = server.getRouter() as (req: Request, res: Response, next: NextFunction) => void;
    }
    if (Date.now() - this.discoveredAt > DISCOVER_EVERY_MS) {
      this.discovering ??= this.discover().finally(() => {
        this.discovering = null;
      });
      await this.discovering;
    }
    return this.router!;
  }

  private add(name: string): void {
    if (this.queues.has(name) || !this.redis || !this.board) return;
    const queue = new Queue(name, { connection: this.redis, prefix: bullPrefix(this.config.namespace) });
    queue.on('error', () => undefined);
    this.queues.set(name, queue);
    this.board.addQueue(new BullMQAdapter(queue, { readOnlyMode: false }));
  }

  private async discover(): Promise<void> {
    const prefix = `${bullPrefix(this.config.namespace)}:`;
    let cursor = '0';
    try {
      do {
        const [next, keys] = await this.redis!.scan(cursor, 'MATCH', `${prefix}*:meta`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) this.add(key.slice(prefix.length, -':meta'.length));
      } while (cursor !== '0');
      this.discoveredAt = Date.now();
    } catch {
      // Redis down: show what is known; the next request tries again.
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.queues.clear();
    this.redis?.disconnect();
  }
}

/**
 * Guards and serves /admin/queues: platform admins only. A bearer token (`Authorization`) or,
 * for a browser, `?token=<jwt>` once (it is then kept in an HttpOnly cookie for this path).
 * Anyone else gets problem details (401, 403), like the rest of the API.
 */
@Injectable()
export class BullBoardMiddleware implements NestMiddleware {
  private readonly jwt: JwtService;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BullBoard) private readonly board: BullBoard,
  ) {
    this.jwt = new JwtService({ secret: config.jwtSecret, verifyOptions: { algorithms: ['HS256'] } });
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      const fromQuery = typeof req.query?.token === 'string' ? req.query.token : undefined;
      const token = bearer(req) ?? fromQuery ?? cookie(req, COOKIE);
      if (req.headers['x-api-key'] && !token) throw forbidden('Machines do not look at the queues; sign in as a platform admin');
      if (!token) throw unauthorized('Sign in as a platform admin: send a bearer token');
      let claims: { adm?: boolean };
      try {
        claims = await this.jwt.verifyAsync<{ adm?: boolean }>(token);
      } catch {
        throw unauthorized('The token is not valid (expired, malformed or signed by someone else)');
      }
      if (claims.adm !== true) throw forbidden('Only platform admins may look at the queues');
      if (fromQuery) {
        res.cookie(COOKIE, fromQuery, { httpOnly: true, sameSite: 'strict', path: BULL_BOARD_PATH, maxAge: this.config.jwtTtlSeconds * 1000 });
      }
      const router = await this.board.handler();
      // Served as if mounted at BULL_BOARD_PATH: the board's router sees the path below it.
      const url = req.originalUrl.slice(BULL_BOARD_PATH.length) || '/';
      req.url = url.startsWith('/') ? url : `/${url}`;
      router(req, res, next);
    } catch (error) {
      const problem = error instanceof DomainError ? error.toProblem(req.originalUrl) : { type: 'about:blank', title: 'Internal error', status: 500, detail: 'Something went wrong on our side' };
      res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
    }
  }
}

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  return h && /^Bearer\s+/i.test(h) ? h.replace(/^Bearer\s+/i, '').trim() : undefined;
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}
